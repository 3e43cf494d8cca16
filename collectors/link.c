#include "coll/link.h"

#include "coll/wire.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <zmq.h>

/* Deep enough that a burst of flow ends at EOF never blocks a worker on the engine. */
#define LINK_HWM 200000

/* Batches are decoded where ZeroMQ received them: copying each 32 KB batch out first was 7% of
 * the engine thread's instructions. */
struct coll_receiver {
    void *sock;
    coll_receiver_stats_t st;
    zmq_msg_t msg;       /* the current batch, owned until the next receive     */
    const uint8_t *data; /* its bytes                                           */
    size_t len, off;     /* its length, and the next record in it               */
};

struct coll_sender {
    void *sock;
    size_t len;         /* bytes queued                                   */
    unsigned queued;    /* records queued                                 */
    uint64_t oldest_ns; /* when the first queued record was added         */
    uint8_t buf[COLL_LINK_BATCH];
};

static void *link_socket(void *zctx, int type, ssf_err *err)
{
    void *s = zmq_socket(zctx, type);
    if (!s) {
        ssf_err_set(err, SSF_EIO, NULL, 0, "zmq_socket: %s", zmq_strerror(errno));
        return NULL;
    }
    int hwm = LINK_HWM, linger = -1;
    zmq_setsockopt(s, type == ZMQ_PULL ? ZMQ_RCVHWM : ZMQ_SNDHWM, &hwm, sizeof hwm);
    zmq_setsockopt(s, ZMQ_LINGER, &linger, sizeof linger);
    return s;
}

coll_receiver_t *coll_receiver_new(void *zctx, const char *endpoint, ssf_err *err)
{
    coll_receiver_t *r = calloc(1, sizeof *r);
    if (!r) {
        ssf_err_set(err, SSF_ENOMEM, NULL, 0, "out of memory");
        return NULL;
    }
    zmq_msg_init(&r->msg);
    if (!(r->sock = link_socket(zctx, ZMQ_PULL, err))) goto out_free;
    if (zmq_bind(r->sock, endpoint) != 0) {
        ssf_err_set(err, SSF_EIO, NULL, 0, "cannot bind %s: %s", endpoint, zmq_strerror(errno));
        goto out_close;
    }
    return r;
out_close:
    zmq_close(r->sock);
out_free:
    zmq_msg_close(&r->msg);
    free(r);
    return NULL;
}

void coll_receiver_free(coll_receiver_t **rp)
{
    if (!rp || !*rp) return;
    zmq_msg_close(&(*rp)->msg);
    zmq_close((*rp)->sock);
    free(*rp);
    *rp = NULL;
}

/* Takes the next record from the current batch. SSF_EAGAIN when the batch is used up. */
static ssf_rc rx_next_record(coll_receiver_t *r, coll_obs_t *out)
{
    if (r->off >= r->len) return SSF_EAGAIN;
    const uint8_t *rec = r->data + r->off;
    size_t n = coll_wire_record_len(rec, r->len - r->off);
    if (n == 0 || n > r->len - r->off || coll_wire_decode(rec, n, out) != SSF_OK) {
        r->st.malformed++;
        /* A record length means a whole header with our magic: its version byte is real. */
        if (n && rec[COLL_WIRE_VERSION_AT] != COLL_WIRE_VERSION) r->st.version++;
        r->off = r->len = 0; /* the rest of the batch cannot be trusted */
        return SSF_EINVAL;
    }
    r->off += n;
    r->st.received++;
    return SSF_OK;
}

ssf_rc coll_receiver_recv(coll_receiver_t *r, coll_obs_t *out, int timeout_ms)
{
    if (r->off < r->len) return rx_next_record(r, out);
    zmq_pollitem_t it = {r->sock, 0, ZMQ_POLLIN, 0};
    int n = zmq_poll(&it, 1, timeout_ms);
    if (n < 0) return errno == EINTR ? SSF_EAGAIN : SSF_EIO;
    if (n == 0) return SSF_EAGAIN;
    /* Replaces (and releases) the previous batch, whose records are all consumed. */
    if (zmq_msg_recv(&r->msg, r->sock, ZMQ_DONTWAIT) < 0)
        return errno == EAGAIN || errno == EINTR ? SSF_EAGAIN : SSF_EIO;
    size_t len = zmq_msg_size(&r->msg);
    r->st.messages++;
    if (len == 0) {
        r->st.goodbyes++;
        return SSF_EAGAIN;
    }
    if (len > COLL_LINK_BATCH) {
        r->st.malformed++;
        return SSF_EINVAL;
    }
    r->data = zmq_msg_data(&r->msg);
    r->len = len;
    r->off = 0;
    return rx_next_record(r, out);
}

void coll_receiver_stats(const coll_receiver_t *r, coll_receiver_stats_t *out)
{
    *out = r->st;
}

coll_sender_t *coll_sender_new(void *zctx, const char *endpoint, ssf_err *err)
{
    coll_sender_t *s = malloc(sizeof *s);
    if (s) memset(s, 0, offsetof(coll_sender_t, buf));
    if (!s) {
        ssf_err_set(err, SSF_ENOMEM, NULL, 0, "out of memory");
        return NULL;
    }
    if (!(s->sock = link_socket(zctx, ZMQ_PUSH, err))) goto out_free;
    if (zmq_connect(s->sock, endpoint) != 0) {
        ssf_err_set(err, SSF_EIO, NULL, 0, "cannot connect %s: %s", endpoint, zmq_strerror(errno));
        goto out_close;
    }
    return s;
out_close:
    zmq_close(s->sock);
out_free:
    free(s);
    return NULL;
}

static ssf_rc tx_message(coll_sender_t *s, const void *p, size_t n)
{
    while (zmq_send(s->sock, p, n, 0) < 0)
        if (errno != EINTR) return SSF_EIO;
    return SSF_OK;
}

ssf_rc coll_sender_flush(coll_sender_t *s)
{
    if (s->len == 0) return SSF_OK;
    ssf_rc rc = tx_message(s, s->buf, s->len);
    s->len = 0;
    return rc;
}

ssf_rc coll_sender_send(coll_sender_t *s, const coll_obs_t *obs)
{
    ssf_rc rc = SSF_OK;
    if (COLL_LINK_BATCH - s->len < COLL_WIRE_MAX) rc = coll_sender_flush(s);
    size_t n = coll_wire_encode(obs, s->buf + s->len, COLL_LINK_BATCH - s->len);
    if (n == 0) return SSF_EINVAL;
    if (s->len == 0) {
        s->oldest_ns = ssf_now_ns();
        s->queued = 0;
    }
    s->len += n;
    /* Reading the clock for every record would cost more than encoding it. */
    if (++s->queued % 32 == 0 && ssf_now_ns() - s->oldest_ns > COLL_LINK_FLUSH_NS)
        rc = coll_sender_flush(s);
    return rc;
}

ssf_rc coll_sender_bye(coll_sender_t *s)
{
    ssf_rc rc = coll_sender_flush(s);
    return rc != SSF_OK ? rc : tx_message(s, "", 0);
}

void coll_sender_free(coll_sender_t **sp)
{
    if (!sp || !*sp) return;
    zmq_close((*sp)->sock);
    free(*sp);
    *sp = NULL;
}
