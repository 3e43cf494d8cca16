/* test_link.c - the probe->engine link over inproc ZeroMQ: several senders at once, goodbyes,
 * and a receiver that refuses hostile messages without losing its footing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "coll/link.h"
#include "coll/wire.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <zmq.h>

#define N_SENDERS    3
#define N_PER_SENDER 1000u

/* Observation seq of sender id: flow, evidence and ARP in turn, every field derived from
 * (id, seq) so the receiver can rebuild what it should get. */
static void make_obs(coll_obs_t *o, uint16_t id, uint32_t seq)
{
    memset(o, 0, sizeof *o);
    o->probe_id = id;
    uint8_t v4[4] = {10, (uint8_t)id, (uint8_t)(seq >> 8), (uint8_t)seq};
    switch (seq % 3) {
    case 0:
        o->kind = COLL_OBS_FLOW;
        o->u.flow.client.has_mac = 1;
        o->u.flow.client.mac[5] = (uint8_t)id;
        o->u.flow.client.has_ip = 1;
        ssf_addr_from_v4(&o->u.flow.client.ip, v4);
        o->u.flow.server_port = 80;
        o->u.flow.client_port = (uint16_t)(1024 + seq);
        o->u.flow.l4_proto = 6;
        o->u.flow.final = 1;
        snprintf(o->u.flow.app_name, sizeof o->u.flow.app_name, "HTTP");
        o->u.flow.first_us = o->u.flow.last_us = 1700000000000000ull + seq;
        o->u.flow.pkts[0] = seq;
        o->u.flow.bytes[1] = (uint64_t)seq * 100;
        break;
    case 1:
        o->kind = COLL_OBS_EVIDENCE;
        o->u.ev.subject.has_ip = 1;
        ssf_addr_from_v4(&o->u.ev.subject.ip, v4);
        o->u.ev.field = 5;
        o->u.ev.count = 1;
        o->u.ev.frame = seq;
        o->u.ev.ts_us = 1700000000000000ull + seq;
        snprintf(o->u.ev.source, sizeof o->u.ev.source, "http");
        snprintf(o->u.ev.value, sizeof o->u.ev.value, "srv-%u-%u", id, seq);
        break;
    default:
        o->kind = COLL_OBS_ARP;
        o->u.arp.mac[0] = 0x02;
        o->u.arp.mac[5] = (uint8_t)seq;
        ssf_addr_from_v4(&o->u.arp.ip, v4);
        o->u.arp.ts_us = seq;
        break;
    }
}

/* The encoding is canonical (WIRE.md), so equal encodings mean equal observations. */
static void assert_obs_equal(const coll_obs_t *a, const coll_obs_t *b)
{
    uint8_t x[COLL_WIRE_MAX], y[COLL_WIRE_MAX];
    size_t nx = coll_wire_encode(a, x, sizeof x), ny = coll_wire_encode(b, y, sizeof y);
    assert_true(nx > 0);
    assert_int_equal(nx, ny);
    assert_memory_equal(x, y, nx);
}

/* Sequence number of a received observation (see make_obs). */
static uint32_t obs_seq(const coll_obs_t *o)
{
    switch (o->kind) {
    case COLL_OBS_FLOW:
        return (uint32_t)(o->u.flow.client_port - 1024);
    case COLL_OBS_EVIDENCE:
        return (uint32_t)o->u.ev.frame;
    default:
        return (uint32_t)(o->u.arp.ts_us);
    }
}

typedef struct {
    void *zctx;
    const char *endpoint;
    uint16_t id;
    ssf_rc rc; /* first failure, SSF_OK if none */
} sender_arg_t;

static void *sender_main(void *arg)
{
    sender_arg_t *a = arg;
    ssf_err err = {0};
    coll_sender_t *s = coll_sender_new(a->zctx, a->endpoint, &err);
    a->rc = s ? SSF_OK : err.rc;
    for (uint32_t i = 0; s && i < N_PER_SENDER && a->rc == SSF_OK; i++) {
        coll_obs_t o;
        make_obs(&o, a->id, i);
        a->rc = coll_sender_send(s, &o);
    }
    if (s && a->rc == SSF_OK) a->rc = coll_sender_bye(s);
    coll_sender_free(&s);
    return NULL;
}

typedef struct {
    void *zctx;
    coll_receiver_t *rx;
    void *raw; /* a test's raw socket; teardown closes it, or zmq_ctx_term would wait forever */
} fixture_t;

static int setup(void **state)
{
    fixture_t *fx = calloc(1, sizeof *fx);
    ssf_err err = {0};
    if (!fx || !(fx->zctx = zmq_ctx_new())) return -1;
    if (!(fx->rx = coll_receiver_new(fx->zctx, "inproc://test", &err))) return -1;
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture_t *fx = *state;
    coll_receiver_free(&fx->rx);
    assert_null(fx->rx);
    coll_receiver_free(&fx->rx); /* NULL-safe */
    if (fx->raw) zmq_close(fx->raw);
    zmq_ctx_term(fx->zctx);
    free(fx);
    return 0;
}

static void t_three_senders(void **state)
{
    fixture_t *fx = *state;
    pthread_t th[N_SENDERS];
    sender_arg_t args[N_SENDERS];
    for (int i = 0; i < N_SENDERS; i++) {
        args[i] = (sender_arg_t){fx->zctx, "inproc://test", (uint16_t)(i + 1), SSF_OK};
        assert_int_equal(pthread_create(&th[i], NULL, sender_main, &args[i]), 0);
    }
    uint32_t next[N_SENDERS + 1] = {0};
    uint64_t kinds[COLL_OBS_KIND_MAX + 1] = {0};
    coll_receiver_stats_t st = {0};
    int idle = 0;
    while (st.goodbyes < N_SENDERS && idle < 50) {
        coll_obs_t o, want;
        ssf_rc rc = coll_receiver_recv(fx->rx, &o, 200);
        coll_receiver_stats(fx->rx, &st);
        if (rc == SSF_EAGAIN) {
            idle++;
            continue;
        }
        assert_int_equal(rc, SSF_OK);
        assert_in_range(o.probe_id, 1, N_SENDERS);
        /* PUSH/PULL keeps each sender's order. */
        assert_int_equal(obs_seq(&o), next[o.probe_id]);
        make_obs(&want, o.probe_id, next[o.probe_id]++);
        assert_obs_equal(&o, &want);
        kinds[o.kind]++;
    }
    for (int i = 0; i < N_SENDERS; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(args[i].rc, SSF_OK);
        assert_int_equal(next[i + 1], N_PER_SENDER);
    }
    assert_int_equal(st.received, N_SENDERS * N_PER_SENDER);
    assert_int_equal(st.goodbyes, N_SENDERS);
    assert_int_equal(st.malformed, 0);
    assert_int_equal(kinds[COLL_OBS_FLOW], N_SENDERS * 334);
    assert_int_equal(kinds[COLL_OBS_EVIDENCE], N_SENDERS * 333);
    assert_int_equal(kinds[COLL_OBS_ARP], N_SENDERS * 333);
    /* Nothing else is pending. */
    coll_obs_t o;
    assert_int_equal(coll_receiver_recv(fx->rx, &o, 0), SSF_EAGAIN);
}

static void raw_send(void *sock, const void *p, size_t n)
{
    assert_int_equal(zmq_send(sock, p, n, 0), (int)n);
}

static void expect_malformed(coll_receiver_t *rx, uint64_t want_count)
{
    coll_obs_t o;
    coll_receiver_stats_t st;
    assert_int_equal(coll_receiver_recv(rx, &o, 2000), SSF_EINVAL);
    coll_receiver_stats(rx, &st);
    assert_int_equal(st.malformed, want_count);
}

static void t_malformed(void **state)
{
    fixture_t *fx = *state;
    void *raw = fx->raw = zmq_socket(fx->zctx, ZMQ_PUSH);
    assert_non_null(raw);
    int linger = 0;
    zmq_setsockopt(raw, ZMQ_LINGER, &linger, sizeof linger);
    assert_int_equal(zmq_connect(raw, "inproc://test"), 0);

    coll_obs_t good;
    make_obs(&good, 9, 1);
    uint8_t enc[COLL_WIRE_MAX];
    size_t n = coll_wire_encode(&good, enc, sizeof enc);
    assert_true(n > 11);

    uint64_t bad = 0;
    raw_send(raw, "garbage!garbage!", 16);
    expect_malformed(fx->rx, ++bad);
    raw_send(raw, enc, n - 1); /* truncated */
    expect_malformed(fx->rx, ++bad);
    raw_send(raw, enc, 3); /* shorter than the magic */
    expect_malformed(fx->rx, ++bad);

    /* A batch is read record by record: a valid record is delivered, and the junk after it
     * ends the batch as one malformed message. */
    static uint8_t huge[COLL_LINK_BATCH + 100];
    memset(huge, 0, sizeof huge);
    memcpy(huge, enc, n);
    coll_obs_t first;
    raw_send(raw, huge, 5000);
    assert_int_equal(coll_receiver_recv(fx->rx, &first, 2000), SSF_OK);
    assert_obs_equal(&first, &good);
    expect_malformed(fx->rx, ++bad);
    /* Larger than any batch: refused whole, nothing delivered. */
    raw_send(raw, huge, sizeof huge);
    expect_malformed(fx->rx, ++bad);

    uint8_t copy[COLL_WIRE_MAX + 1];
    memcpy(copy, enc, n);
    copy[4] = COLL_WIRE_VERSION + 1; /* bad version */
    raw_send(raw, copy, n);
    expect_malformed(fx->rx, ++bad);
    memcpy(copy, enc, n);
    copy[0] = 'X'; /* bad magic */
    raw_send(raw, copy, n);
    expect_malformed(fx->rx, ++bad);
    memcpy(copy, enc, n);
    copy[n] = 0; /* a trailing byte: the record arrives, the byte is refused */
    raw_send(raw, copy, n + 1);
    assert_int_equal(coll_receiver_recv(fx->rx, &first, 2000), SSF_OK);
    expect_malformed(fx->rx, ++bad);

    /* A valid message after all that arrives intact. */
    raw_send(raw, enc, n);
    coll_obs_t o;
    memset(&o, 0xee, sizeof o);
    assert_int_equal(coll_receiver_recv(fx->rx, &o, 2000), SSF_OK);
    assert_obs_equal(&o, &good);
    coll_receiver_stats_t st;
    coll_receiver_stats(fx->rx, &st);
    assert_int_equal(st.received, 3);
    assert_int_equal(st.malformed, bad);
    assert_int_equal(st.version, 1); /* the bad version; magic and length errors are not */
    assert_int_equal(st.goodbyes, 0);

    /* An empty message is a goodbye: EAGAIN, counted, not malformed. */
    raw_send(raw, "", 0);
    assert_int_equal(coll_receiver_recv(fx->rx, &o, 2000), SSF_EAGAIN);
    coll_receiver_stats(fx->rx, &st);
    assert_int_equal(st.goodbyes, 1);
    assert_int_equal(st.malformed, bad);
}

/* A probe still on wire version 2 (flows without frame and input) is refused record by record,
 * counted as malformed and as of another version, and what it sends after in the same batch is
 * dropped with it; the engine's own probes keep getting through. */
static void t_old_version(void **state)
{
    fixture_t *fx = *state;
    void *raw = fx->raw = zmq_socket(fx->zctx, ZMQ_PUSH);
    assert_non_null(raw);
    int linger = 0;
    zmq_setsockopt(raw, ZMQ_LINGER, &linger, sizeof linger);
    assert_int_equal(zmq_connect(raw, "inproc://test"), 0);

    coll_obs_t flow, good;
    make_obs(&flow, 4, 3); /* a flow */
    make_obs(&good, 4, 4); /* evidence */
    uint8_t batch[2 * COLL_WIRE_MAX];
    size_t n = coll_wire_encode(&flow, batch, COLL_WIRE_MAX);
    assert_true(n > 20);
    /* The same flow as version 2 wrote it: version byte 2, the body without its last ten bytes
     * (frame and input). */
    n -= 10;
    batch[COLL_WIRE_VERSION_AT] = 2;
    batch[8] = (uint8_t)((n - 10) >> 8);
    batch[9] = (uint8_t)(n - 10);
    size_t m = coll_wire_encode(&good, batch + n, COLL_WIRE_MAX);
    assert_true(m > 0);
    raw_send(raw, batch, n + m);
    coll_obs_t o;
    assert_int_equal(coll_receiver_recv(fx->rx, &o, 2000), SSF_EINVAL);
    coll_receiver_stats_t st;
    coll_receiver_stats(fx->rx, &st);
    assert_int_equal(st.malformed, 1);
    assert_int_equal(st.version, 1);
    assert_int_equal(st.received, 0);

    raw_send(raw, batch + n, m);
    assert_int_equal(coll_receiver_recv(fx->rx, &o, 2000), SSF_OK);
    assert_obs_equal(&o, &good);
    coll_receiver_stats(fx->rx, &st);
    assert_int_equal(st.received, 1);
    assert_int_equal(st.malformed, 1);
    assert_int_equal(st.version, 1);
}

static void t_timeout(void **state)
{
    fixture_t *fx = *state;
    coll_obs_t o;
    assert_int_equal(coll_receiver_recv(fx->rx, &o, 0), SSF_EAGAIN);
    uint64_t t0 = ssf_now_ns();
    assert_int_equal(coll_receiver_recv(fx->rx, &o, 50), SSF_EAGAIN);
    uint64_t ms = (ssf_now_ns() - t0) / 1000000u;
    assert_in_range(ms, 40, 2000);
    coll_receiver_stats_t st;
    coll_receiver_stats(fx->rx, &st);
    assert_int_equal(st.received + st.malformed + st.goodbyes, 0);
}

static void t_sender_refuses_unknown_kind(void **state)
{
    fixture_t *fx = *state;
    ssf_err err = {0};
    coll_sender_t *s = coll_sender_new(fx->zctx, "inproc://test", &err);
    assert_non_null(s);
    coll_obs_t o;
    memset(&o, 0, sizeof o);
    o.kind = COLL_OBS_KIND_MAX + 1;
    assert_int_equal(coll_sender_send(s, &o), SSF_EINVAL);
    coll_sender_free(&s);
    assert_null(s);
    coll_sender_free(&s); /* NULL-safe */
    coll_obs_t got;
    assert_int_equal(coll_receiver_recv(fx->rx, &got, 20), SSF_EAGAIN);
}

static void t_bind_twice_fails(void **state)
{
    fixture_t *fx = *state;
    ssf_err err = {0};
    coll_receiver_t *rx2 = coll_receiver_new(fx->zctx, "inproc://test", &err);
    assert_null(rx2);
    assert_int_equal(err.rc, SSF_EIO);
    assert_non_null(strstr(err.msg, "inproc://test"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(t_three_senders, setup, teardown),
        cmocka_unit_test_setup_teardown(t_malformed, setup, teardown),
        cmocka_unit_test_setup_teardown(t_old_version, setup, teardown),
        cmocka_unit_test_setup_teardown(t_timeout, setup, teardown),
        cmocka_unit_test_setup_teardown(t_sender_refuses_unknown_kind, setup, teardown),
        cmocka_unit_test_setup_teardown(t_bind_twice_fails, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
