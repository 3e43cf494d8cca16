/* test_pipeline.c - the reader's fan-out: whatever the number of workers, whether the rings
 * copy frames or point at them, and however the flow hash space is split (fixed, or buckets
 * that move between workers once idle), the engine must receive the same flows, counters,
 * classifications and evidence as from one thread. The trace is played three times: the
 * second time past the idle timeout, so that every flow ends and resumes its conversation in
 * the worker that remembers it; the third time past the resume horizon too, so that every flow
 * starts afresh and balanced buckets can move. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "../../probes/pipeline_internal.h"
#include "coll/link.h"
#include "probe/pipeline.h"

#include <stdio.h>
#include <stdlib.h>
#include <zmq.h>

#define N_FLOWS   300
#define N_DHCP    100
#define N_FRAMES  (N_FLOWS * 4 + N_DHCP + 1)
#define FRAME_MAX 400
#define ENDPOINT  "inproc://test-pipeline"

typedef struct {
    uint8_t bytes[N_FRAMES][FRAME_MAX];
    probe_frame_t frames[N_FRAMES];
} trace_t;

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

/* Ethernet + IPv4 + UDP carrying a DNS query for "a.example" (RFC 1035 4.1), or its response
 * with no answers. Checksums are left zero: nothing here verifies them. */
static uint32_t dns_frame(uint8_t *b, uint32_t flow, bool reply)
{
    static const uint8_t qname[] = {1, 'a', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0};
    uint8_t cli[4] = {10, 1, (uint8_t)(flow >> 8), (uint8_t)flow}, srv[4] = {10, 0, 0, 53};
    memset(b, 0, FRAME_MAX);
    uint8_t *eth = b, *ip = b + 14, *udp = ip + 20, *dns = udp + 8;
    memcpy(eth, reply ? "\x02\x00\x00\x00\x00\x35" : "\x02\x00\x00\x00\x01\x01", 6);
    memcpy(eth + 6, reply ? "\x02\x00\x00\x00\x01\x01" : "\x02\x00\x00\x00\x00\x35", 6);
    put16(eth + 12, 0x0800);
    uint16_t dns_len = 12 + sizeof qname + 4, udp_len = 8 + dns_len;
    ip[0] = 0x45;
    put16(ip + 2, (uint16_t)(20 + udp_len));
    ip[8] = 64;
    ip[9] = 17;
    memcpy(ip + 12, reply ? srv : cli, 4);
    memcpy(ip + 16, reply ? cli : srv, 4);
    put16(udp, reply ? 53 : (uint16_t)(20000 + flow));
    put16(udp + 2, reply ? (uint16_t)(20000 + flow) : 53);
    put16(udp + 4, udp_len);
    put16(dns, (uint16_t)flow);
    put16(dns + 2, reply ? 0x8180 : 0x0100);
    put16(dns + 4, 1);
    memcpy(dns + 12, qname, sizeof qname);
    put16(dns + 12 + sizeof qname, 1);
    put16(dns + 14 + sizeof qname, 1);
    return 14 + 20 + udp_len;
}

/* Ethernet + IPv4 + UDP carrying a DHCPREQUEST (RFC 2131, options RFC 2132) from client n,
 * renewing 10.2.0.n from 10.0.0.1, with its host name "host-n" in option 12: evidence that
 * only a worker reading the right payload bytes can produce. */
static uint32_t dhcp_frame(uint8_t *b, uint32_t n)
{
    uint8_t mac[6] = {0x02, 0, 0, 0, 0x02, (uint8_t)n};
    uint8_t cli[4] = {10, 2, 0, (uint8_t)n}, srv[4] = {10, 0, 0, 1};
    memset(b, 0, FRAME_MAX);
    uint8_t *eth = b, *ip = b + 14, *udp = ip + 20, *bootp = udp + 8;
    memcpy(eth, "\x02\x00\x00\x00\x00\x01", 6);
    memcpy(eth + 6, mac, 6);
    put16(eth + 12, 0x0800);
    bootp[0] = 1; /* BOOTREQUEST */
    bootp[1] = 1; /* Ethernet */
    bootp[2] = 6;
    put16(bootp + 4, (uint16_t)n); /* xid */
    memcpy(bootp + 12, cli, 4);    /* ciaddr */
    memcpy(bootp + 28, mac, 6);    /* chaddr */
    uint8_t *o = bootp + 236;
    memcpy(o, "\x63\x82\x53\x63\x35\x01\x03", 7); /* magic cookie, DHCPREQUEST */
    o += 7;
    int len = snprintf((char *)o + 2, 16, "host-%u", n);
    o[0] = 12;
    o[1] = (uint8_t)len;
    o += 2 + len;
    *o++ = 255;
    uint16_t udp_len = (uint16_t)(8 + (o - bootp));
    ip[0] = 0x45;
    put16(ip + 2, (uint16_t)(20 + udp_len));
    ip[8] = 64;
    ip[9] = 17;
    memcpy(ip + 12, cli, 4);
    memcpy(ip + 16, srv, 4);
    put16(udp, 68);
    put16(udp + 2, 67);
    put16(udp + 4, udp_len);
    return 14 + 20u + udp_len;
}

/* Each flow: query, reply, query, reply; its frames interleaved with the other flows'. The
 * last frame is cut inside its Ethernet header. */
static void trace_build(trace_t *t)
{
    uint32_t n = 0;
    for (uint32_t round = 0; round < 4; round++)
        for (uint32_t fl = 0; fl < N_FLOWS; fl++, n++) {
            uint32_t len = dns_frame(t->bytes[n], fl, round % 2);
            t->frames[n] = (probe_frame_t){.data = t->bytes[n],
                                           .caplen = len,
                                           .wirelen = len,
                                           .ts_us = 1700000000000000ull + n * 1000,
                                           .frame_no = n + 1,
                                           .dlt = PROBE_DLT_EN10MB};
        }
    for (uint32_t i = 0; i < N_DHCP; i++, n++) {
        uint32_t len = dhcp_frame(t->bytes[n], i);
        t->frames[n] = t->frames[0];
        t->frames[n].data = t->bytes[n];
        t->frames[n].caplen = t->frames[n].wirelen = len;
        t->frames[n].ts_us += n * 1000;
        t->frames[n].frame_no = n + 1;
    }
    dns_frame(t->bytes[n], 0, false);
    t->frames[n] = t->frames[0];
    t->frames[n].data = t->bytes[n];
    t->frames[n].caplen = 10;
    t->frames[n].frame_no = n + 1;
}

/* One flow observation reduced to what must not depend on the threads. */
typedef struct {
    uint8_t client[16], server[16];
    uint16_t cport, sport;
    uint64_t pkts[2], bytes[2];
    char app[COLL_NAME_MAX];
} flow_sum_t;

static int flow_sum_cmp(const void *a, const void *b)
{
    return memcmp(a, b, sizeof(flow_sum_t));
}

typedef struct {
    uint16_t field;
    char value[COLL_VALUE_MAX];
} ev_sum_t;

static int ev_sum_cmp(const void *a, const void *b)
{
    return memcmp(a, b, sizeof(ev_sum_t));
}

typedef struct {
    flow_sum_t flows[(N_FLOWS + N_DHCP) * 3];
    size_t n;
    ev_sum_t ev[N_DHCP * 8];
    size_t n_ev;
    probe_worker_stats_t st;
    probe_pipeline_split_t split;
} result_t;

static void run(const trace_t *t, int workers, bool stable, double share, result_t *out)
{
    ssf_err err = {0};
    void *zctx = zmq_ctx_new();
    assert_non_null(zctx);
    coll_receiver_t *rx = coll_receiver_new(zctx, ENDPOINT, &err);
    assert_non_null(rx);
    probe_pipeline_cfg_t pc = {.n_workers = workers,
                               .ring_bytes = 1 << 16, /* small: the reader must wait too */
                               .flow_memory_total = (size_t)16 << 20,
                               .frames_stable = stable,
                               .inline_share = share};
    pc.worker.idle_timeout_us = 120000000ull;
    pc.worker.abs_timeout_us = 86400000000ull;
    pc.worker.report_every_us = 3600000000ull;
    pc.worker.zctx = zctx;
    pc.worker.endpoint = ENDPOINT;
    probe_pipeline_t *pl = probe_pipeline_new(&pc, &err);
    assert_non_null(pl);
    /* Copies live in a scratch buffer that is overwritten at once, as capture buffers are. */
    static uint8_t scratch[FRAME_MAX];
    static const uint64_t pass_at[3] = {0, 200000000ull, 400000000ull + PROBE_RESUME_HORIZON_US};
    for (size_t i = 0; i < 3 * N_FRAMES; i++) {
        probe_frame_t f = t->frames[i % N_FRAMES];
        f.ts_us += pass_at[i / N_FRAMES];
        if (!stable) {
            memcpy(scratch, f.data, f.caplen);
            f.data = scratch;
        }
        probe_pipeline_push(pl, &f);
        if (!stable) memset(scratch, 0xa5, sizeof scratch);
    }
    probe_pipeline_finish(pl);
    probe_pipeline_stats(pl, &out->st);
    probe_pipeline_split(pl, &out->split);
    memset(out->flows, 0, sizeof out->flows);
    out->n = 0;
    memset(out->ev, 0, sizeof out->ev);
    out->n_ev = 0;
    coll_receiver_stats_t rs = {0};
    while (rs.goodbyes < (uint64_t)workers) {
        coll_obs_t o;
        ssf_rc rc = coll_receiver_recv(rx, &o, 1000);
        if (rc == SSF_OK && o.kind == COLL_OBS_EVIDENCE) {
            assert_true(out->n_ev < SSF_ARRAY_LEN(out->ev));
            out->ev[out->n_ev].field = o.u.ev.field;
            memcpy(out->ev[out->n_ev++].value, o.u.ev.value, COLL_VALUE_MAX);
        } else if (rc == SSF_OK && o.kind == COLL_OBS_FLOW) {
            assert_true(out->n < SSF_ARRAY_LEN(out->flows));
            flow_sum_t *s = &out->flows[out->n++];
            memcpy(s->client, o.u.flow.client.ip.b, 16);
            memcpy(s->server, o.u.flow.server.ip.b, 16);
            s->cport = o.u.flow.client_port;
            s->sport = o.u.flow.server_port;
            memcpy(s->pkts, o.u.flow.pkts, sizeof s->pkts);
            memcpy(s->bytes, o.u.flow.bytes, sizeof s->bytes);
            memcpy(s->app, o.u.flow.app_name, sizeof s->app);
        }
        coll_receiver_stats(rx, &rs);
    }
    qsort(out->flows, out->n, sizeof out->flows[0], flow_sum_cmp);
    qsort(out->ev, out->n_ev, sizeof out->ev[0], ev_sum_cmp);
    /* A repeat is dropped by the worker that saw the item before; a flow that restarts in
     * another worker sends it again and the engine counts it. Only the set must agree. */
    size_t u = 0;
    for (size_t i = 0; i < out->n_ev; i++)
        if (u == 0 || ev_sum_cmp(&out->ev[u - 1], &out->ev[i])) out->ev[u++] = out->ev[i];
    out->n_ev = u;
    probe_pipeline_free(&pl);
    coll_receiver_free(&rx);
    zmq_ctx_term(zctx);
}

static void expect_same(const result_t *a, const result_t *b)
{
    assert_int_equal(a->n, b->n);
    assert_memory_equal(a->flows, b->flows, a->n * sizeof a->flows[0]);
    assert_int_equal(a->n_ev, b->n_ev);
    assert_memory_equal(a->ev, b->ev, a->n_ev * sizeof a->ev[0]);
    assert_int_equal(a->st.packets, b->st.packets);
    assert_int_equal(a->st.truncated, b->st.truncated);
    assert_int_equal(a->st.flows_created, b->st.flows_created);
    /* A bucket moves only when its flows are past resuming, so a flow resumes in whichever
     * worker has it. Which keys collide in a worker's direct-mapped resume table depends on
     * which other keys that worker holds; a flow that lost its slot is classified afresh.
     * The work differs then; the flows each side classified do not. */
    assert_int_equal(a->st.dpi_detected + a->st.flows_resumed,
                     b->st.dpi_detected + b->st.flows_resumed);
}

static void test_fanout_matches_one_thread(void **state)
{
    (void)state;
    trace_t *t = calloc(1, sizeof *t);
    result_t *one = calloc(1, sizeof *one), *many = calloc(1, sizeof *many);
    assert_true(t && one && many);
    trace_build(t);
    run(t, 1, false, 0, one);
    assert_int_equal(one->n, 3 * (N_FLOWS + N_DHCP));
    assert_int_equal(one->st.flows_expired, 2 * (N_FLOWS + N_DHCP));
    bool named = false;
    for (size_t i = 0; i < one->n_ev; i++)
        named |= !strcmp(one->ev[i].value, "host-42");
    assert_true(named);                            /* the extractors read the payloads */
    assert_int_equal(one->st.truncated, 3);        /* one per pass */
    assert_string_equal(one->flows[0].app, "DNS"); /* nDPI read the payloads */
    assert_int_equal(one->flows[0].pkts[0] + one->flows[0].pkts[1], 4);
    assert_memory_equal(&one->flows[0], &one->flows[1], sizeof one->flows[0]); /* restarted */
    assert_memory_equal(&one->flows[0], &one->flows[2], sizeof one->flows[0]);
    /* The second pass resumed without nDPI, but for the few whose slot of the direct-mapped
     * resume table another flow took first (400 keys in 8192 slots collide a few times); the
     * third came too late to resume. */
    assert_true(one->st.flows_resumed >= (N_FLOWS + N_DHCP) * 9 / 10);
    assert_true(one->st.flows_resumed <= N_FLOWS + N_DHCP);

    static const struct {
        int workers;
        bool stable;
        double share;
    } cases[] = {{2, false, 0},  {2, true, 0},    {2, false, 0.5},
                 {2, true, 0.9}, {3, false, 0.2}, {3, true, 0}};
    for (size_t i = 0; i < SSF_ARRAY_LEN(cases); i++) {
        run(t, cases[i].workers, cases[i].stable, cases[i].share, many);
        expect_same(one, many);
        /* No bucket moved while its flows could resume. */
        assert_true(many->st.flows_resumed >= (N_FLOWS + N_DHCP) * 9 / 10);
        /* A fixed split stays put; a balanced one starts where the instruction counts put
         * worker 0, (1 - (n-1)/10)/n, and adapts within its bounds. */
        const probe_pipeline_split_t *sp = &many->split;
        double base = cases[i].share ? cases[i].share
                                     : (1.0 - (cases[i].workers - 1) / 10.0) / cases[i].workers;
        assert_float_equal(sp->start, base, 1e-9);
        if (cases[i].share) assert_float_equal(sp->end, base, 1e-9);
        assert_true(sp->start <= sp->end && sp->end <= sp->peak && sp->peak <= PL_SHARE_MAX);
        assert_true(sp->taken > 0 && sp->taken < 1);
    }
    free(t);
    free(one);
    free(many);
}

/* The controller: a worker falling behind (ring over half full) hands new flows to worker 0;
 * one that could take more (under 1/32) gets them back, down to where the split started. */
static void test_share_next(void **state)
{
    (void)state;
    const size_t cap = 1 << 20;
    assert_float_equal(probe_pipeline_share_next(0.45, 0.45, cap / 2 + 1, cap), 0.46, 1e-9);
    assert_float_equal(probe_pipeline_share_next(0.45, 0.45, cap, cap), 0.46, 1e-9);
    assert_float_equal(probe_pipeline_share_next(0.45, 0.45, cap / 2, cap), 0.45, 1e-9);
    assert_float_equal(probe_pipeline_share_next(0.60, 0.45, cap / 4, cap), 0.60, 1e-9);
    assert_float_equal(probe_pipeline_share_next(0.60, 0.45, cap / 32, cap), 0.60, 1e-9);
    assert_float_equal(probe_pipeline_share_next(0.60, 0.45, cap / 32 - 1, cap), 0.59, 1e-9);
    assert_float_equal(probe_pipeline_share_next(0.46, 0.45, 0, cap), 0.45, 1e-9);
    assert_float_equal(probe_pipeline_share_next(0.45, 0.45, 0, cap), 0.45, 1e-9);
    assert_float_equal(probe_pipeline_share_next(0.455, 0.45, 0, cap), 0.455, 1e-9);
    assert_float_equal(probe_pipeline_share_next(PL_SHARE_MAX, 0.45, cap, cap), PL_SHARE_MAX, 1e-9);
    /* Many steps of a full ring reach the cap and stay there; of an empty one, the start,
     * whatever rounding the steps gathered on the way. */
    double s = 0.45;
    for (int i = 0; i < 100; i++)
        s = probe_pipeline_share_next(s, 0.45, cap, cap);
    assert_float_equal(s, PL_SHARE_MAX, 1e-9);
    for (int i = 0; i < 100; i++)
        s = probe_pipeline_share_next(s, 0.45, 0, cap);
    assert_float_equal(s, 0.45, 1e-9);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_share_next),
        cmocka_unit_test(test_fanout_matches_one_thread),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
