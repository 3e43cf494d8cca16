#include "coll/link.h"

#include "coll/wire.h"

#include <errno.h>
#include <stdlib.h>
#include <zmq.h>

/* Deep enough that a burst of flow ends at EOF never blocks a worker on the engine. */
#define LINK_HWM 200000

struct coll_receiver {
    void *sock;
    coll_receiver_stats_t st;
};

struct coll_sender {
    void *sock;
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
    if (!(r->sock = link_socket(zctx, ZMQ_PULL, err))) goto out_free;
    if (zmq_bind(r->sock, endpoint) != 0) {
        ssf_err_set(err, SSF_EIO, NULL, 0, "cannot bind %s: %s", endpoint, zmq_strerror(errno));
        goto out_close;
    }
    return r;
out_close:
    zmq_close(r->sock);
out_free:
    free(r);
    return NULL;
}

void coll_receiver_free(coll_receiver_t **rp)
{
    if (!rp || !*rp) return;
    zmq_close((*rp)->sock);
    free(*rp);
    *rp = NULL;
}

ssf_rc coll_receiver_recv(coll_receiver_t *r, coll_obs_t *out, int timeout_ms)
{
    zmq_pollitem_t it = {r->sock, 0, ZMQ_POLLIN, 0};
    int n = zmq_poll(&it, 1, timeout_ms);
    if (n < 0) return errno == EINTR ? SSF_EAGAIN : SSF_EIO;
    if (n == 0) return SSF_EAGAIN;
    uint8_t buf[COLL_WIRE_MAX + 1];
    int len = zmq_recv(r->sock, buf, sizeof buf, ZMQ_DONTWAIT);
    if (len < 0) return errno == EAGAIN || errno == EINTR ? SSF_EAGAIN : SSF_EIO;
    if (len == 0) {
        r->st.goodbyes++;
        return SSF_EAGAIN;
    }
    /* zmq_recv reports the full size of a truncated message: longer than any record. */
    if ((size_t)len > COLL_WIRE_MAX || coll_wire_decode(buf, (size_t)len, out) != SSF_OK) {
        r->st.malformed++;
        return SSF_EINVAL;
    }
    r->st.received++;
    return SSF_OK;
}

void coll_receiver_stats(const coll_receiver_t *r, coll_receiver_stats_t *out)
{
    *out = r->st;
}

coll_sender_t *coll_sender_new(void *zctx, const char *endpoint, ssf_err *err)
{
    coll_sender_t *s = calloc(1, sizeof *s);
    if (!s) {
        ssf_err_set(err, SSF_ENOMEM, NULL, 0, "out of memory");
        return NULL;
    }
    if (!(s->sock = link_socket(zctx, ZMQ_PUSH, err))) goto out_free;
    if (zmq_connect(s->sock, endpoint) != 0) {
        ssf_err_set(err, SSF_EIO, NULL, 0, "cannot connect %s: %s", endpoint,
                    zmq_strerror(errno));
        goto out_close;
    }
    return s;
out_close:
    zmq_close(s->sock);
out_free:
    free(s);
    return NULL;
}

ssf_rc coll_sender_send(coll_sender_t *s, const coll_obs_t *obs)
{
    uint8_t buf[COLL_WIRE_MAX];
    size_t n = coll_wire_encode(obs, buf, sizeof buf);
    if (n == 0) return SSF_EINVAL;
    while (zmq_send(s->sock, buf, n, 0) < 0)
        if (errno != EINTR) return SSF_EIO;
    return SSF_OK;
}

ssf_rc coll_sender_bye(coll_sender_t *s)
{
    while (zmq_send(s->sock, "", 0, 0) < 0)
        if (errno != EINTR) return SSF_EIO;
    return SSF_OK;
}

void coll_sender_free(coll_sender_t **sp)
{
    if (!sp || !*sp) return;
    zmq_close((*sp)->sock);
    free(*sp);
    *sp = NULL;
}
