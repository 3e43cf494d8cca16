/* test_ident_stale.c - a plant flow's side that keeps repeating what it already taught is
 * watched early (worker_ident.c, WK_PORT_STALE_MAX), and a state change still reaches the
 * extractor afterwards. One worker is driven with hand-built Modbus/TCP frames (Modbus
 * Application Protocol v1.1b3, MBAP header 4.1: transaction id, protocol 0, length, unit id;
 * 6.3 Read Holding Registers, 6.6 Write Single Register). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "../../probes/worker_internal.h"
#include "coll/link.h"
#include "probe/worker.h"

#include <netinet/in.h>
#include <string.h>
#include <zmq.h>

#define ENDPOINT "inproc://test-ident-stale"
#define T0       1700000000000000ull
#define POLLS    30

typedef struct {
    void *zctx;
    coll_receiver_t *rx;
    probe_worker_t *w;
    uint64_t frame_no;
} rig_t;

static const uint8_t HMI[4] = {10, 0, 50, 10}, PLC[4] = {10, 0, 50, 20};

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

/* Ethernet + IPv4 + TCP (PSH|ACK) carrying pdu; checksums zero, nothing checks them. */
static void push(rig_t *r, bool to_plc, uint16_t tid, const uint8_t *pdu, size_t n, uint64_t ts)
{
    uint8_t b[128] = {0};
    const uint8_t *src = to_plc ? HMI : PLC, *dst = to_plc ? PLC : HMI;
    b[0] = b[6] = 2;
    memcpy(b + 2, dst, 4);
    memcpy(b + 8, src, 4);
    put16(b + 12, 0x0800);
    uint8_t *ip = b + 14, *tcp = ip + 20, *mb = tcp + 20;
    ip[0] = 0x45;
    put16(ip + 2, (uint16_t)(20 + 20 + 7 + n));
    ip[8] = 64;
    ip[9] = IPPROTO_TCP;
    memcpy(ip + 12, src, 4);
    memcpy(ip + 16, dst, 4);
    put16(tcp, to_plc ? 40000 : 502);
    put16(tcp + 2, to_plc ? 502 : 40000);
    tcp[12] = 5 << 4;
    tcp[13] = 0x18;
    put16(mb, tid);
    put16(mb + 4, (uint16_t)(1 + n));
    mb[6] = 1; /* unit id */
    memcpy(mb + 7, pdu, n);
    probe_frame_t f = {.data = b,
                       .caplen = (uint32_t)(14 + 20 + 20 + 7 + n),
                       .wirelen = (uint32_t)(14 + 20 + 20 + 7 + n),
                       .ts_us = ts,
                       .frame_no = ++r->frame_no,
                       .dlt = PROBE_DLT_EN10MB};
    probe_worker_frame(r->w, &f);
}

static uint64_t ident_packets(rig_t *r)
{
    probe_worker_stats_t st;
    probe_worker_stats(r->w, &st);
    return st.ident_packets;
}

/* Whether an evidence item with this value came through, after the worker's goodbye. */
static bool drain_for(rig_t *r, const char *value)
{
    probe_worker_finish(r->w);
    bool seen = false;
    coll_receiver_stats_t rs = {0};
    while (rs.goodbyes < 1) {
        coll_obs_t o;
        if (coll_receiver_recv(r->rx, &o, 1000) == SSF_OK && o.kind == COLL_OBS_EVIDENCE)
            seen |= strstr(o.u.ev.value, value) != NULL;
        coll_receiver_stats(r->rx, &rs);
    }
    return seen;
}

static void test_polling_watched_early(void **state)
{
    (void)state;
    rig_t r = {0};
    ssf_err err = {0};
    r.zctx = zmq_ctx_new();
    r.rx = coll_receiver_new(r.zctx, ENDPOINT, &err);
    assert_non_null(r.rx);
    probe_worker_cfg_t cfg = {.flow_memory = (size_t)8 << 20,
                              .idle_timeout_us = 120000000ull,
                              .abs_timeout_us = 86400000000ull,
                              .report_every_us = 3600000000ull,
                              .zctx = r.zctx,
                              .endpoint = ENDPOINT};
    r.w = probe_worker_new(&cfg, &err);
    assert_non_null(r.w);

    /* An HMI polls ten holding registers, the PLC answers the same values every time. */
    static const uint8_t read_req[] = {0x03, 0x00, 0x00, 0x00, 0x0a};
    uint8_t read_rsp[2 + 20] = {0x03, 20};
    for (uint16_t i = 0; i < POLLS; i++) {
        push(&r, true, i, read_req, sizeof read_req, T0 + i * 1000000ull);
        push(&r, false, i, read_rsp, sizeof read_rsp, T0 + i * 1000000ull + 5000);
    }
    /* Each side taught something with its first payload, then nothing new: it is watched
     * after WK_PORT_STALE_MAX more, not after the full budget of WK_PORT_MAX_PAYLOADS. */
    assert_int_equal(ident_packets(&r), 2 * (1 + WK_PORT_STALE_MAX));
    assert_true(POLLS < WK_PORT_MAX_PAYLOADS);

    /* A write, long after: the watch still hands it to the extractor, and the PLC's answer
     * (the echo, no exception) is the state change the finding rests on. */
    static const uint8_t write[] = {0x06, 0x00, 0x05, 0x12, 0x34};
    push(&r, true, POLLS, write, sizeof write, T0 + 100000000ull);
    push(&r, false, POLLS, write, sizeof write, T0 + 100005000ull);
    assert_int_equal(ident_packets(&r), 2 * (1 + WK_PORT_STALE_MAX) + 2);
    assert_true(drain_for(&r, "write_single_register"));
    probe_worker_free(&r.w);
    coll_receiver_free(&r.rx);
    zmq_ctx_term(r.zctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_polling_watched_early),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
