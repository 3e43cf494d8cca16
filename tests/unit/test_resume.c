/* test_resume.c - a conversation that comes back after an idle timeout (worker_resume.c).
 * One worker is driven with hand-built frames (Ethernet, IPv4, UDP or TCP; SIP per RFC 3261,
 * HTTP/1.1 per RFC 9112); the flow observations it sends and its counters say whether a
 * flow resumed its predecessor's classification or was given to nDPI again. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "../../probes/worker_internal.h"
#include "coll/link.h"
#include "probe/worker.h"

#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <zmq.h>

#define ENDPOINT "inproc://test-resume"
#define T0       1700000000000000ull
#define GAP      200000000ull /* 200 s: past the 120 s idle timeout, far below the lifetime */
#define MAX_OBS  16

enum { TCP_FIN = 0x01, TCP_SYN = 0x02, TCP_PSH = 0x08, TCP_ACK = 0x10 };
/* Passed instead of TCP flags: the frame is UDP, or an ICMP echo request. */
enum { AS_UDP = 0xff, AS_ICMP = 0xfe };

typedef struct {
    uint8_t ip[4];
    uint16_t port;
} end_t;

static const end_t CLI = {{10, 0, 0, 1}, 40000}, WEB = {{10, 0, 0, 80}, 80};

typedef struct {
    uint16_t client_port, server_port;
    char app[COLL_NAME_MAX];
    uint64_t frame; /* the flow's first packet, as the observation names it */
} flow_seen_t;

typedef struct {
    void *zctx;
    coll_receiver_t *rx;
    probe_worker_t *w;
    uint64_t frame_no;
    flow_seen_t flows[MAX_OBS];
    size_t n_flows;
} rig_t;

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, (uint16_t)(v >> 16));
    put16(p + 2, (uint16_t)v);
}

/* Ethernet + IPv4 + TCP, UDP or ICMP (RFC 792 echo), checksums zero: nothing here verifies
 * them. */
static size_t frame_build(uint8_t *b, end_t src, end_t dst, uint8_t tcp_flags, uint32_t seq,
                          const char *payload)
{
    size_t n = payload ? strlen(payload) : 0, l4 = tcp_flags >= AS_ICMP ? 8 : 20;
    memset(b, 0, 14 + 20 + l4);
    uint8_t smac[6] = {2, 0, src.ip[0], src.ip[1], src.ip[2], src.ip[3]};
    uint8_t dmac[6] = {2, 0, dst.ip[0], dst.ip[1], dst.ip[2], dst.ip[3]};
    memcpy(b, dmac, 6);
    memcpy(b + 6, smac, 6);
    put16(b + 12, 0x0800);
    uint8_t *ip = b + 14, *l = ip + 20;
    ip[0] = 0x45;
    put16(ip + 2, (uint16_t)(20 + l4 + n));
    ip[8] = 64;
    ip[9] = tcp_flags == AS_UDP ? IPPROTO_UDP : tcp_flags == AS_ICMP ? IPPROTO_ICMP : IPPROTO_TCP;
    memcpy(ip + 12, src.ip, 4);
    memcpy(ip + 16, dst.ip, 4);
    put16(l, src.port);
    put16(l + 2, dst.port);
    if (tcp_flags == AS_ICMP) {
        l[0] = 8; /* echo request, code 0, checksum 0, identifier and sequence from the ports */
        l[1] = 0;
    } else if (tcp_flags == AS_UDP) {
        put16(l + 4, (uint16_t)(8 + n));
    } else {
        put32(l + 4, seq);
        put32(l + 8, 1);
        l[12] = 5 << 4;
        l[13] = tcp_flags;
        put16(l + 14, 65535);
    }
    memcpy(l + l4, payload ? payload : "", n);
    return 14 + 20 + l4 + n;
}

static void push(rig_t *r, end_t src, end_t dst, uint8_t tcp_flags, uint32_t seq,
                 const char *payload, uint64_t ts_us)
{
    static uint8_t b[512];
    size_t len = frame_build(b, src, dst, tcp_flags, seq, payload);
    probe_frame_t f = {.data = b,
                       .caplen = (uint32_t)len,
                       .wirelen = (uint32_t)len,
                       .ts_us = ts_us,
                       .frame_no = ++r->frame_no,
                       .dlt = PROBE_DLT_EN10MB};
    probe_worker_frame(r->w, &f);
}

/* The UDP flows carry SIP (RFC 3261 7, 8.1.1): text, so a payload is a C string. */
#define SIP_REQ                                                                                    \
    "OPTIONS sip:a@10.0.0.53 SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1:40000\r\nFrom: <sip:b@10.0.0.1>" \
    "\r\nTo: <sip:a@10.0.0.53>\r\nCall-ID: 1@10.0.0.1\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\n"  \
    "Content-Length: 0\r\n\r\n"
#define SIP_OK                                                                                     \
    "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 10.0.0.1:40000\r\nFrom: <sip:b@10.0.0.1>\r\nTo: "          \
    "<sip:a@10.0.0.53>\r\nCall-ID: 1@10.0.0.1\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n"
#define HTTP_GET "GET / HTTP/1.1\r\nHost: a.example\r\nUser-Agent: t/1\r\n\r\n"
#define HTTP_OK  "HTTP/1.1 200 OK\r\nServer: t/1\r\nContent-Length: 0\r\n\r\n"

/* A UDP exchange between cli and srv (SIP on 5060). */
static void udp_exchange(rig_t *r, end_t cli, end_t srv, uint64_t ts)
{
    push(r, cli, srv, AS_UDP, 0, SIP_REQ, ts);
    push(r, srv, cli, AS_UDP, 0, SIP_OK, ts + 1000);
}

/* An HTTP request and response on an established connection, no handshake. */
static void http_exchange(rig_t *r, uint64_t ts, uint32_t seq)
{
    push(r, CLI, WEB, TCP_PSH | TCP_ACK, seq, HTTP_GET, ts);
    push(r, WEB, CLI, TCP_PSH | TCP_ACK, 7000, HTTP_OK, ts + 1000);
}

static void tcp_handshake(rig_t *r, uint64_t ts, uint32_t seq)
{
    push(r, CLI, WEB, TCP_SYN, seq - 1, NULL, ts);
    push(r, WEB, CLI, TCP_SYN | TCP_ACK, 6999, NULL, ts + 100);
    push(r, CLI, WEB, TCP_ACK, seq, NULL, ts + 200);
}

/* Non-IP frames until the worker's next periodic expiry pass, which ends idle flows. */
static void expire_pass(rig_t *r, uint64_t ts)
{
    static uint8_t b[60];
    memset(b, 0, sizeof b);
    b[0] = 2;
    b[6] = 2;
    put16(b + 12, 0x88b5); /* IEEE 802 local experimental ethertype: nothing reads it */
    probe_worker_stats_t st;
    do {
        probe_frame_t f = {.data = b,
                           .caplen = sizeof b,
                           .wirelen = sizeof b,
                           .ts_us = ts,
                           .frame_no = ++r->frame_no,
                           .dlt = PROBE_DLT_EN10MB};
        probe_worker_frame(r->w, &f);
        probe_worker_stats(r->w, &st);
    } while (st.packets % 256);
}

static void rig_start_with(rig_t *r, uint64_t lifetime_us)
{
    memset(r, 0, sizeof *r);
    ssf_err err = {0};
    r->zctx = zmq_ctx_new();
    assert_non_null(r->zctx);
    r->rx = coll_receiver_new(r->zctx, ENDPOINT, &err);
    assert_non_null(r->rx);
    probe_worker_cfg_t cfg = {.flow_memory = (size_t)8 << 20,
                              .idle_timeout_us = 120000000ull,
                              .abs_timeout_us = lifetime_us,
                              .report_every_us = 3600000000ull,
                              .zctx = r->zctx,
                              .endpoint = ENDPOINT};
    r->w = probe_worker_new(&cfg, &err);
    assert_non_null(r->w);
}

static void rig_start(rig_t *r)
{
    rig_start_with(r, 86400000000ull);
}

/* Ends every flow, collects the final flow observations in the order the flows ended. */
static void rig_finish(rig_t *r, probe_worker_stats_t *st)
{
    probe_worker_finish(r->w);
    probe_worker_stats(r->w, st);
    coll_receiver_stats_t rs = {0};
    while (rs.goodbyes < 1) {
        coll_obs_t o;
        if (coll_receiver_recv(r->rx, &o, 1000) == SSF_OK && o.kind == COLL_OBS_FLOW &&
            o.u.flow.final) {
            assert_true(r->n_flows < MAX_OBS);
            flow_seen_t *s = &r->flows[r->n_flows++];
            s->client_port = o.u.flow.client_port;
            s->server_port = o.u.flow.server_port;
            memcpy(s->app, o.u.flow.app_name, sizeof s->app);
            s->frame = o.u.flow.frame;
        }
        coll_receiver_stats(r->rx, &rs);
    }
    probe_worker_free(&r->w);
    coll_receiver_free(&r->rx);
    zmq_ctx_term(r->zctx);
}

static uint64_t dpi_packets(rig_t *r)
{
    probe_worker_stats_t st;
    probe_worker_stats(r->w, &st);
    return st.dpi_packets;
}

/* (1) UDP: the exchange comes back after the gap, the server's reply first. */
static void test_udp_resumes(void **state)
{
    (void)state;
    rig_t r;
    rig_start(&r);
    end_t sip = {{10, 0, 0, 53}, 5060};
    udp_exchange(&r, CLI, sip, T0);
    uint64_t before = dpi_packets(&r);
    assert_true(before > 0);
    push(&r, sip, CLI, AS_UDP, 0, SIP_OK, T0 + GAP);
    push(&r, CLI, sip, AS_UDP, 0, SIP_REQ, T0 + GAP + 1000);
    assert_int_equal(dpi_packets(&r), before); /* nDPI never saw the resumed flow */
    probe_worker_stats_t st;
    rig_finish(&r, &st);
    assert_int_equal(st.flows_created, 2);
    assert_int_equal(st.flows_resumed, 1);
    assert_int_equal(st.dpi_detected, 1);
    assert_int_equal(r.n_flows, 2);
    assert_string_equal(r.flows[0].app, "SIP");
    assert_string_equal(r.flows[1].app, "SIP");
    /* The client side is the predecessor's, not the first sender's after the gap. */
    assert_int_equal(r.flows[1].client_port, CLI.port);
    assert_int_equal(r.flows[1].server_port, 5060);
    /* Each flow cites its own first packet: the resumed one starts at the reply (frame 3). */
    assert_int_equal(r.flows[0].frame, 1);
    assert_int_equal(r.flows[1].frame, 3);
}

/* A conversation silent for longer than the resume horizon is gone: classified afresh. */
static void test_past_horizon_starts_fresh(void **state)
{
    (void)state;
    rig_t r;
    rig_start(&r);
    end_t sip = {{10, 0, 0, 53}, 5060};
    udp_exchange(&r, CLI, sip, T0);
    uint64_t before = dpi_packets(&r);
    uint64_t late = T0 + PROBE_RESUME_HORIZON_US + 2000000;
    push(&r, sip, CLI, AS_UDP, 0, SIP_OK, late);
    push(&r, CLI, sip, AS_UDP, 0, SIP_REQ, late + 1000);
    assert_true(dpi_packets(&r) > before);
    probe_worker_stats_t st;
    rig_finish(&r, &st);
    assert_int_equal(st.flows_created, 2);
    assert_int_equal(st.flows_resumed, 0);
}

/* (1) TCP: a request on the established connection after the gap. */
static void test_tcp_resumes_without_syn(void **state)
{
    (void)state;
    rig_t r;
    rig_start(&r);
    tcp_handshake(&r, T0, 1000);
    http_exchange(&r, T0 + 1000, 1000);
    uint64_t before = dpi_packets(&r);
    http_exchange(&r, T0 + GAP, 1000 + sizeof HTTP_GET - 1);
    assert_int_equal(dpi_packets(&r), before);
    probe_worker_stats_t st;
    rig_finish(&r, &st);
    assert_int_equal(st.flows_created, 2);
    assert_int_equal(st.flows_resumed, 1);
    assert_int_equal(r.n_flows, 2);
    assert_string_equal(r.flows[0].app, "HTTP");
    assert_string_equal(r.flows[1].app, "HTTP");
}

/* (2) A SYN after the gap is a new connection: classified afresh. */
static void test_syn_starts_fresh(void **state)
{
    (void)state;
    rig_t r;
    rig_start(&r);
    tcp_handshake(&r, T0, 1000);
    http_exchange(&r, T0 + 1000, 1000);
    uint64_t before = dpi_packets(&r);
    tcp_handshake(&r, T0 + GAP, 9000);
    http_exchange(&r, T0 + GAP + 1000, 9000);
    assert_true(dpi_packets(&r) > before);
    probe_worker_stats_t st;
    rig_finish(&r, &st);
    assert_int_equal(st.flows_created, 2);
    assert_int_equal(st.flows_resumed, 0);
    assert_int_equal(st.dpi_detected, 2);
    assert_string_equal(r.flows[1].app, "HTTP");
}

/* (3) A connection closed by FIN is over, even if packets come back without a SYN. The same
 * for RST. */
static void closed_then_payload(uint8_t close_flags)
{
    rig_t r;
    rig_start(&r);
    tcp_handshake(&r, T0, 1000);
    http_exchange(&r, T0 + 1000, 1000);
    push(&r, CLI, WEB, close_flags, 1100, NULL, T0 + 3000);
    uint64_t before = dpi_packets(&r);
    http_exchange(&r, T0 + GAP, 1100);
    assert_true(dpi_packets(&r) > before);
    probe_worker_stats_t st;
    rig_finish(&r, &st);
    assert_int_equal(st.flows_created, 2);
    assert_int_equal(st.flows_resumed, 0);
}

static void test_closed_does_not_resume(void **state)
{
    (void)state;
    closed_then_payload(TCP_FIN | TCP_ACK);
    closed_then_payload(0x04); /* RST */
}

/* A flow that reached its lifetime did not end for being quiet: its successor starts afresh,
 * and so does every flow after that one's idle end. */
static void test_lifetime_end_does_not_resume(void **state)
{
    (void)state;
    rig_t r;
    rig_start_with(&r, 100000000ull); /* 100 s, below the idle timeout */
    end_t sip = {{10, 0, 0, 53}, 5060};
    udp_exchange(&r, CLI, sip, T0);
    udp_exchange(&r, CLI, sip, T0 + 60000000ull);
    uint64_t before = dpi_packets(&r);
    udp_exchange(&r, CLI, sip, T0 + 120000000ull); /* 60 s quiet, 120 s old */
    assert_true(dpi_packets(&r) > before);
    probe_worker_stats_t st;
    rig_finish(&r, &st);
    assert_int_equal(st.flows_created, 2);
    assert_int_equal(st.flows_resumed, 0);
}

/* Without ports a key names two hosts, not a conversation: a ping back the other way is
 * another one, and keeps its own client side. */
static void test_icmp_does_not_resume(void **state)
{
    (void)state;
    rig_t r;
    rig_start(&r);
    end_t a = {{10, 0, 0, 1}, 1}, b = {{10, 0, 0, 2}, 1};
    push(&r, a, b, AS_ICMP, 0, "ping", T0);
    uint64_t before = dpi_packets(&r);
    push(&r, b, a, AS_ICMP, 0, "ping", T0 + GAP);
    assert_true(dpi_packets(&r) > before);
    probe_worker_stats_t st;
    rig_finish(&r, &st);
    assert_int_equal(st.flows_created, 2);
    assert_int_equal(st.flows_resumed, 0);
}

/* (4) Two keys that share a slot of the direct-mapped table: neither inherits the other's
 * verdict, whichever of them the slot holds. */
static void test_collision_never_inherits(void **state)
{
    (void)state;
    end_t sip = {{10, 0, 0, 53}, 5060}, other = CLI, peer = {{10, 0, 0, 99}, 40001};
    uint8_t b[512];
    probe_pkt_t pkt;
    probe_flow_key_t ka, kb;
    size_t len = frame_build(b, CLI, sip, AS_UDP, 0, SIP_REQ);
    assert_int_equal(probe_decode(PROBE_DLT_EN10MB, b, (uint32_t)len, (uint32_t)len, T0, &pkt),
                     SSF_OK);
    assert_true(probe_flow_key_make(&pkt, &ka, NULL));
    size_t slot = wk_resume_slot(&ka);
    for (other.port = 1025;; other.port++) {
        assert_true(other.port != 0); /* 64k keys must give a collision among 8192 slots */
        len = frame_build(b, other, peer, AS_UDP, 0, "?");
        assert_int_equal(probe_decode(PROBE_DLT_EN10MB, b, (uint32_t)len, (uint32_t)len, T0, &pkt),
                         SSF_OK);
        assert_true(probe_flow_key_make(&pkt, &kb, NULL));
        if (wk_resume_slot(&kb) == slot) break;
    }
    rig_t r;
    rig_start(&r);
    udp_exchange(&r, CLI, sip, T0);                      /* A: SIP                         */
    expire_pass(&r, T0 + GAP);                           /* A ends idle: the slot holds it */
    push(&r, other, peer, AS_UDP, 0, "?", T0 + GAP);     /* B: same slot, other key   */
    push(&r, peer, other, AS_UDP, 0, "!", T0 + GAP + 1); /* an answer: not a scan   */
    expire_pass(&r, T0 + 2 * GAP);                       /* B ends idle: it takes the slot */
    udp_exchange(&r, CLI, sip, T0 + 2 * GAP + 1000);     /* A again, slot holds B      */
    probe_worker_stats_t st;
    rig_finish(&r, &st);
    assert_int_equal(st.flows_created, 3);
    assert_int_equal(st.flows_resumed, 0);
    assert_int_equal(r.n_flows, 3);
    assert_string_equal(r.flows[0].app, "SIP");
    assert_string_not_equal(r.flows[1].app, "SIP");
    assert_string_equal(r.flows[2].app, "SIP");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_udp_resumes),
        cmocka_unit_test(test_tcp_resumes_without_syn),
        cmocka_unit_test(test_past_horizon_starts_fresh),
        cmocka_unit_test(test_syn_starts_fresh),
        cmocka_unit_test(test_closed_does_not_resume),
        cmocka_unit_test(test_lifetime_end_does_not_resume),
        cmocka_unit_test(test_icmp_does_not_resume),
        cmocka_unit_test(test_collision_never_inherits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
