/* test_decode.c - probe_decode() on frames built byte by byte.
 *
 * Every frame is copied into a heap buffer of exactly caplen bytes before decoding, so under
 * ASan a read one byte past the capture is a failure, not a silent pass. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "probe/decode.h"

/* A frame under construction, and the exact-size heap copy the decoder last saw. */
typedef struct {
    uint8_t b[512];
    size_t n;
    uint8_t *heap;
} frame_t;

static void put8(frame_t *f, uint8_t v)
{
    assert_true(f->n < sizeof f->b);
    f->b[f->n++] = v;
}
static void put16(frame_t *f, uint16_t v)
{
    put8(f, (uint8_t)(v >> 8));
    put8(f, (uint8_t)v);
}
static void put32(frame_t *f, uint32_t v)
{
    put16(f, (uint16_t)(v >> 16));
    put16(f, (uint16_t)v);
}
static void putn(frame_t *f, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        put8(f, p[i]);
}
static void putz(frame_t *f, size_t n)
{
    for (size_t i = 0; i < n; i++)
        put8(f, 0);
}
static void set16(frame_t *f, size_t at, uint16_t v)
{
    f->b[at] = (uint8_t)(v >> 8);
    f->b[at + 1] = (uint8_t)v;
}

static const uint8_t MAC_A[6] = {0x02, 0, 0, 0, 0, 0x0a};
static const uint8_t MAC_B[6] = {0x02, 0, 0, 0, 0, 0x0b};
static const uint8_t IP4_A[4] = {10, 0, 0, 1};
static const uint8_t IP4_B[4] = {10, 0, 0, 2};
static const uint8_t IP6_A[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1};
static const uint8_t IP6_B[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 2};

/* Ethernet B -> A, then an ethertype. */
static void eth(frame_t *f, uint16_t et)
{
    putn(f, MAC_A, 6);
    putn(f, MAC_B, 6);
    put16(f, et);
}

/* IPv4 B -> A with IHL 5 + optwords, total length tot; returns the header's offset. */
static size_t ip4(frame_t *f, uint8_t proto, uint16_t tot, unsigned optwords, uint16_t fragw)
{
    size_t at = f->n;
    put8(f, (uint8_t)(0x40 | (5 + optwords)));
    put8(f, 0);
    put16(f, tot);
    put16(f, 0x1234);
    put16(f, fragw);
    put8(f, 64);
    put8(f, proto);
    put16(f, 0);
    putn(f, IP4_B, 4);
    putn(f, IP4_A, 4);
    for (unsigned i = 0; i < optwords; i++)
        put32(f, 0x01010101); /* NOPs */
    return at;
}

static void ip6(frame_t *f, uint8_t nh, uint16_t plen)
{
    put32(f, 0x60000000);
    put16(f, plen);
    put8(f, nh);
    put8(f, 255);
    putn(f, IP6_B, 16);
    putn(f, IP6_A, 16);
}

static void tcp(frame_t *f, uint16_t sport, uint16_t dport, uint8_t offwords)
{
    put16(f, sport);
    put16(f, dport);
    put32(f, 0x01020304);
    put32(f, 0x0a0b0c0d);
    put8(f, (uint8_t)(offwords << 4));
    put8(f, 0x12); /* SYN|ACK */
    put16(f, 1024);
    put32(f, 0);
}

static void udp(frame_t *f, uint16_t sport, uint16_t dport, uint16_t len)
{
    put16(f, sport);
    put16(f, dport);
    put16(f, len);
    put16(f, 0);
}

/* Generic 8-byte extension header (HbH, Routing, DstOpts): next header, length 0, padding. */
static void ext8(frame_t *f, uint8_t nh)
{
    put8(f, nh);
    put8(f, 0);
    putz(f, 6);
}

static ssf_rc dec_len(int dlt, frame_t *f, uint32_t caplen, uint32_t wirelen, probe_pkt_t *p)
{
    free(f->heap);
    f->heap = malloc(caplen ? caplen : 1);
    assert_non_null(f->heap);
    memcpy(f->heap, f->b, caplen);
    return probe_decode(dlt, f->heap, caplen, wirelen, 42, p);
}

static ssf_rc dec(int dlt, frame_t *f, probe_pkt_t *p)
{
    return dec_len(dlt, f, (uint32_t)f->n, (uint32_t)f->n, p);
}

static void done(frame_t *f)
{
    free(f->heap);
    f->heap = NULL;
}

static void assert_v4(const ssf_addr *a, const uint8_t v4[4])
{
    ssf_addr e;
    ssf_addr_from_v4(&e, v4);
    assert_memory_equal(a->b, e.b, 16);
}

/* ---- link layers -------------------------------------------------------------------------- */

static void t_eth_ipv4_tcp(void **state)
{
    (void)state;
    frame_t f = {0};
    eth(&f, 0x0800);
    ip4(&f, 6, 20 + 20 + 5, 0, 0x4000); /* DF only: not a fragment */
    tcp(&f, 40000, 502, 5);
    putn(&f, (const uint8_t *)"hello", 5);
    probe_pkt_t p;
    assert_int_equal(dec(PROBE_DLT_EN10MB, &f, &p), SSF_OK);
    assert_int_equal(p.anom, 0);
    assert_int_equal(p.ts_us, 42);
    assert_int_equal(p.has_mac, 1);
    assert_memory_equal(p.dst_mac, MAC_A, 6);
    assert_memory_equal(p.src_mac, MAC_B, 6);
    assert_int_equal(p.ethertype, 0x0800);
    assert_int_equal(p.ip_ver, 4);
    assert_int_equal(p.ttl, 64);
    assert_int_equal(p.frag, PROBE_FRAG_NONE);
    assert_v4(&p.src_ip, IP4_B);
    assert_v4(&p.dst_ip, IP4_A);
    assert_ptr_equal(p.l3, f.heap + 14);
    assert_int_equal(p.l3_len, 45);
    assert_int_equal(p.l4_proto, 6);
    assert_int_equal(p.sport, 40000);
    assert_int_equal(p.dport, 502);
    assert_int_equal(p.tcp_seq, 0x01020304);
    assert_int_equal(p.tcp_ack, 0x0a0b0c0d);
    assert_int_equal(p.tcp_flags, 0x12);
    assert_ptr_equal(p.payload, f.heap + 54);
    assert_int_equal(p.payload_len, 5);
    assert_memory_equal(p.payload, "hello", 5);
    done(&f);
}

static void t_vlan_single_double(void **state)
{
    (void)state;
    static const uint16_t outer[] = {0x8100, 0x88a8, 0x9100};
    for (size_t i = 0; i < 3; i++) {
        frame_t f = {0};
        eth(&f, outer[i]);
        put16(&f, 0x2000 | 100); /* PCP 1, VID 100 */
        put16(&f, 0x0800);
        ip4(&f, 17, 28, 0, 0);
        udp(&f, 68, 67, 8);
        probe_pkt_t p;
        assert_int_equal(dec(PROBE_DLT_EN10MB, &f, &p), SSF_OK);
        assert_int_equal(p.anom, 0);
        assert_int_equal(p.n_vlan, 1);
        assert_int_equal(p.vlan[0], 100);
        assert_int_equal(p.ethertype, 0x0800);
        assert_int_equal(p.dport, 67);
        done(&f);
    }
    frame_t f = {0};
    eth(&f, 0x88a8);
    put16(&f, 10);
    put16(&f, 0x8100);
    put16(&f, 0xe000 | 4094);
    put16(&f, 0x0800);
    ip4(&f, 17, 28, 0, 0);
    udp(&f, 68, 67, 8);
    probe_pkt_t p;
    assert_int_equal(dec(PROBE_DLT_EN10MB, &f, &p), SSF_OK);
    assert_int_equal(p.anom, 0);
    assert_int_equal(p.n_vlan, 2);
    assert_int_equal(p.vlan[0], 10);
    assert_int_equal(p.vlan[1], 4094);
    assert_int_equal(p.ip_ver, 4);
    assert_int_equal(p.sport, 68);
    done(&f);
}

static void t_vlan_three_tags(void **state)
{
    (void)state;
    frame_t f = {0};
    eth(&f, 0x88a8);
    put16(&f, 1);
    put16(&f, 0x8100);
    put16(&f, 2);
    put16(&f, 0x8100);
    put16(&f, 3);
    put16(&f, 0x0800);
    ip4(&f, 17, 28, 0, 0);
    udp(&f, 68, 67, 8);
    probe_pkt_t p;
    assert_int_equal(dec(PROBE_DLT_EN10MB, &f, &p), SSF_OK);
    assert_int_equal(p.anom, PROBE_ANOM_VLAN_TRUNC);
    assert_int_equal(p.n_vlan, 2);
    assert_int_equal(p.vlan[1], 2);
    assert_int_equal(p.ethertype, 0x8100);
    assert_int_equal(p.ip_ver, 0);
    done(&f);
}

static void t_sll(void **state)
{
    (void)state;
    frame_t f = {0};
    put16(&f, 0); /* to us */
    put16(&f, 1); /* ARPHRD_ETHER */
    put16(&f, 6);
    putn(&f, MAC_B, 6);
    putz(&f, 2);
    put16(&f, 0x0800);
    ip4(&f, 17, 28 + 3, 0, 0);
    udp(&f, 5353, 5353, 8 + 3);
    putn(&f, (const uint8_t *)"abc", 3);
    probe_pkt_t p;
    assert_int_equal(dec(PROBE_DLT_LINUX_SLL, &f, &p), SSF_OK);
    assert_int_equal(p.anom, 0);
    assert_int_equal(p.has_mac, 1);
    assert_memory_equal(p.src_mac, MAC_B, 6);
    static const uint8_t zero[6];
    assert_memory_equal(p.dst_mac, zero, 6);
    assert_int_equal(p.ethertype, 0x0800);
    assert_ptr_equal(p.l3, f.heap + 16);
    assert_int_equal(p.sport, 5353);
    assert_int_equal(p.payload_len, 3);

    set16(&f, 4, 0); /* halen 0: no address */
    assert_int_equal(dec(PROBE_DLT_LINUX_SLL, &f, &p), SSF_OK);
    assert_int_equal(p.has_mac, 0);
    assert_memory_equal(p.src_mac, zero, 6);
    assert_int_equal(p.sport, 5353);
    set16(&f, 4, 6);
    set16(&f, 2, 772); /* ARPHRD_LOOPBACK */
    assert_int_equal(dec(PROBE_DLT_LINUX_SLL, &f, &p), SSF_OK);
    assert_int_equal(p.has_mac, 0);
    assert_int_equal(dec_len(PROBE_DLT_LINUX_SLL, &f, 15, 15, &p), SSF_ETRUNC);
    assert_int_equal(p.anom, PROBE_ANOM_L2_TRUNC);
    done(&f);
}

static void t_sll2(void **state)
{
    (void)state;
    frame_t f = {0};
    put16(&f, 0x86dd);
    put16(&f, 0);
    put32(&f, 3); /* ifindex */
    put16(&f, 1); /* ARPHRD_ETHER */
    put8(&f, 4);  /* outgoing */
    put8(&f, 6);
    putn(&f, MAC_A, 6);
    putz(&f, 2);
    ip6(&f, 6, 20);
    tcp(&f, 443, 50000, 5);
    probe_pkt_t p;
    assert_int_equal(dec(PROBE_DLT_LINUX_SLL2, &f, &p), SSF_OK);
    assert_int_equal(p.anom, 0);
    assert_int_equal(p.has_mac, 1);
    assert_memory_equal(p.src_mac, MAC_A, 6);
    assert_int_equal(p.ethertype, 0x86dd);
    assert_int_equal(p.ip_ver, 6);
    assert_memory_equal(p.src_ip.b, IP6_B, 16);
    assert_memory_equal(p.dst_ip.b, IP6_A, 16);
    assert_ptr_equal(p.l3, f.heap + 20);
    assert_int_equal(p.l3_len, 60);
    assert_int_equal(p.ttl, 255);
    assert_int_equal(p.sport, 443);
    assert_null(p.payload);
    assert_int_equal(p.payload_len, 0);
    assert_int_equal(dec_len(PROBE_DLT_LINUX_SLL2, &f, 19, 19, &p), SSF_ETRUNC);
    done(&f);
}

static void t_raw(void **state)
{
    (void)state;
    frame_t f4 = {0}, f6 = {0};
    ip4(&f4, 17, 28, 0, 0);
    udp(&f4, 1000, 161, 8);
    ip6(&f6, 17, 8);
    udp(&f6, 1000, 161, 8);
    static const int dlts[] = {PROBE_DLT_RAW, PROBE_DLT_RAW_BSD, PROBE_DLT_IPV4, PROBE_DLT_IPV6};
    for (size_t i = 0; i < 4; i++) {
        probe_pkt_t p;
        assert_int_equal(dec(dlts[i], &f4, &p), SSF_OK);
        assert_int_equal(p.anom, 0);
        assert_int_equal(p.ip_ver, 4);
        assert_int_equal(p.ethertype, 0);
        assert_int_equal(p.has_mac, 0);
        assert_ptr_equal(p.l3, f4.heap);
        assert_int_equal(p.dport, 161);
        assert_int_equal(dec(dlts[i], &f6, &p), SSF_OK);
        assert_int_equal(p.anom, 0);
        assert_int_equal(p.ip_ver, 6);
        assert_int_equal(p.l3_len, 48);
        assert_int_equal(p.dport, 161);
        assert_int_equal(dec_len(dlts[i], &f4, 0, 0, &p), SSF_ETRUNC);
        assert_int_equal(p.anom, PROBE_ANOM_L2_TRUNC);
    }
    f4.b[0] = 0x55; /* version 5 */
    probe_pkt_t p;
    assert_int_equal(dec(PROBE_DLT_RAW, &f4, &p), SSF_OK);
    assert_int_equal(p.anom, PROBE_ANOM_IP4_BADHDR);
    assert_int_equal(p.ip_ver, 0);
    done(&f4);
    done(&f6);
}

/* Loopback header: family in the given bytes, then the packet. */
static void null_frame(frame_t *f, const uint8_t fam[4], bool v6)
{
    f->n = 0;
    putn(f, fam, 4);
    if (v6) {
        ip6(f, 58, 8);
        put8(f, 128);
        put8(f, 0);
        putz(f, 6);
    } else {
        ip4(f, 1, 28, 0, 0);
        put8(f, 8);
        put8(f, 0);
        putz(f, 6);
    }
}

static void t_null_loop(void **state)
{
    (void)state;
    static const struct {
        int dlt;
        uint8_t fam[4];
        int ver; /* 0: not decoded */
    } cases[] = {
        {PROBE_DLT_NULL, {2, 0, 0, 0}, 4},  {PROBE_DLT_NULL, {0, 0, 0, 2}, 4},
        {PROBE_DLT_NULL, {24, 0, 0, 0}, 6}, {PROBE_DLT_NULL, {0, 0, 0, 28}, 6},
        {PROBE_DLT_NULL, {30, 0, 0, 0}, 6}, {PROBE_DLT_NULL, {0, 0, 0, 30}, 6},
        {PROBE_DLT_NULL, {7, 0, 0, 0}, 0},  {PROBE_DLT_LOOP, {0, 0, 0, 2}, 4},
        {PROBE_DLT_LOOP, {0, 0, 0, 24}, 6}, {PROBE_DLT_LOOP, {2, 0, 0, 0}, 0},
    };
    for (size_t i = 0; i < SSF_ARRAY_LEN(cases); i++) {
        frame_t f = {0};
        null_frame(&f, cases[i].fam, cases[i].ver == 6);
        probe_pkt_t p;
        assert_int_equal(dec(cases[i].dlt, &f, &p), SSF_OK);
        assert_int_equal(p.anom, 0);
        assert_int_equal(p.ip_ver, cases[i].ver);
        assert_int_equal(p.ethertype, 0);
        if (cases[i].ver) {
            assert_ptr_equal(p.l3, f.heap + 4);
            assert_int_equal(p.icmp_type, cases[i].ver == 4 ? 8 : 128);
        }
        assert_int_equal(dec_len(cases[i].dlt, &f, 3, 3, &p), SSF_ETRUNC);
        done(&f);
    }
}

static void t_unknown_dlt(void **state)
{
    (void)state;
    uint8_t b[4] = {0x45};
    probe_pkt_t p;
    assert_int_equal(probe_decode(147, b, 4, 4, 0, &p), SSF_ENOTSUP);
    assert_int_equal(probe_decode(-1, b, 4, 4, 0, &p), SSF_ENOTSUP);
    assert_false(probe_decode_dlt_supported(147));
    assert_true(probe_decode_dlt_supported(PROBE_DLT_LINUX_SLL2));
    assert_true(probe_decode_dlt_supported(PROBE_DLT_NULL));
    char buf[16];
    assert_string_equal(probe_decode_dlt_name(276, buf, sizeof buf), "LINUX_SLL2");
    assert_string_equal(probe_decode_dlt_name(1, buf, sizeof buf), "EN10MB");
    assert_string_equal(probe_decode_dlt_name(147, buf, sizeof buf), "DLT 147");
    assert_string_equal(probe_decode_dlt_name(276, buf, 5), "LINU");
}

/* ---- ARP ---------------------------------------------------------------------------------- */

static void arp_body(frame_t *f, uint16_t htype, uint16_t op)
{
    put16(f, htype);
    put16(f, 0x0800);
    put8(f, 6);
    put8(f, 4);
    put16(f, op);
    putn(f, MAC_B, 6);
    putn(f, IP4_B, 4);
    putz(f, 6);
    putn(f, IP4_A, 4);
}

static void t_arp(void **state)
{
    (void)state;
    frame_t f = {0};
    eth(&f, 0x0806);
    arp_body(&f, 1, 1);
    putz(&f, 18); /* padding to 60 */
    probe_pkt_t p;
    assert_int_equal(dec(PROBE_DLT_EN10MB, &f, &p), SSF_OK);
    assert_int_equal(p.anom, 0);
    assert_int_equal(p.ethertype, 0x0806);
    assert_int_equal(p.arp_op, 1);
    assert_memory_equal(p.arp_sha, MAC_B, 6);
    assert_v4(&p.arp_spa, IP4_B);
    assert_v4(&p.arp_tpa, IP4_A);
    assert_int_equal(p.ip_ver, 0);
    assert_int_equal(dec_len(PROBE_DLT_EN10MB, &f, 14 + 27, 14 + 27, &p), SSF_OK);
    assert_int_equal(p.anom, PROBE_ANOM_ARP_TRUNC);
    assert_int_equal(p.arp_op, 0);
    done(&f);

    frame_t g = {0};
    eth(&g, 0x0806);
    arp_body(&g, 6, 2); /* IEEE 802 hardware type */
    assert_int_equal(dec(PROBE_DLT_EN10MB, &g, &p), SSF_OK);
    assert_int_equal(p.anom, PROBE_ANOM_ARP_TRUNC);
    assert_int_equal(p.arp_op, 0);
    done(&g);
}

/* ---- IPv4 --------------------------------------------------------------------------------- */

static void t_ipv4_options(void **state)
{
    (void)state;
    frame_t f = {0};
    eth(&f, 0x0800);
    ip4(&f, 6, 28 + 24 + 4, 2, 0);
    tcp(&f, 1, 2, 6); /* 4 bytes of TCP options */
    put32(&f, 0x01010101);
    put32(&f, 0xdeadbeef);
    probe_pkt_t p;
    assert_int_equal(dec(PROBE_DLT_EN10MB, &f, &p), SSF_OK);
    assert_int_equal(p.anom, 0);
    assert_int_equal(p.l3_len, 56);
    assert_int_equal(p.sport, 1);
    assert_int_equal(p.dport, 2);
    assert_ptr_equal(p.payload, f.heap + 14 + 28 + 24);
    assert_int_equal(p.payload_len, 4);
    done(&f);
}

static void t_ipv4_frags(void **state)
{
    (void)state;
    frame_t f = {0};
    eth(&f, 0x0800);
    ip4(&f, 17, 20 + 16, 0, 0x2000); /* MF, offset 0 */
    udp(&f, 623, 623, 1000);         /* datagram length, longer than this fragment */
    putz(&f, 8);
    probe_pkt_t p;
    assert_int_equal(dec(PROBE_DLT_EN10MB, &f, &p), SSF_OK);
    assert_int_equal(p.anom, 0);
    assert_int_equal(p.frag, PROBE_FRAG_FIRST);
    assert_int_equal(p.l4_proto, 17);
    assert_int_equal(p.sport, 623);
    assert_int_equal(p.payload_len, 8);

    set16(&f, 14 + 6, 0x2000 | 185); /* MF, offset 1480 */
    assert_int_equal(dec(PROBE_DLT_EN10MB, &f, &p), SSF_OK);
    assert_int_equal(p.anom, 0);
    assert_int_equal(p.frag, PROBE_FRAG_LATER);
    assert_int_equal(p.l4_proto, 17);
    assert_int_equal(p.sport, 0);
    assert_int_equal(p.dport, 0);
    assert_null(p.payload);
    assert_int_equal(p.l3_len, 36);

    set16(&f, 14 + 6, 185); /* last fragment: no MF, offset > 0 */
    assert_int_equal(dec(PROBE_DLT_EN10MB, &f, &p), SSF_OK);
    assert_int_equal(p.frag, PROBE_FRAG_LATER);
    assert_int_equal(p.sport, 0);
    done(&f);
}

static void t_ipv4_total_len(void **state)
{
    (void)state;
    frame_t f = {0};
    eth(&f, 0x0800);
    ip4(&f, 17, 20 + 8 + 100, 0, 0);
    udp(&f, 53, 1053, 8 + 100);
    putz(&f, 20); /* 80 bytes missing */
    probe_pkt_t p;
    uint32_t n = (uint32_t)f.n;
    assert_int_equal(dec_len(PROBE_DLT_EN10MB, &f, n, n + 80, &p), SSF_OK);
    assert_int_equal(p.anom, PROBE_ANOM_SNAPLEN);
    assert_int_equal(p.l3_len, 48);
    assert_int_equal(p.sport, 53);
    assert_int_equal(p.payload_len, 20);
    assert_int_equal(dec_len(PROBE_DLT_EN10MB, &f, n, n, &p), SSF_OK);
    assert_int_equal(p.anom, PROBE_ANOM_IP4_BADHDR | PROBE_ANOM_UDP_TRUNC);
    assert_int_equal(p.l3_len, 48);
    assert_int_equal(p.payload_len, 20);
    done(&f);
}

static void t_ipv4_bad_ihl(void **state)
{
    (void)state;
    frame_t f = {0};
    eth(&f, 0x0800);
    ip4(&f, 17, 28, 0, 0);
    udp(&f, 1, 2, 8);
    f.b[14] = 0x44; /* IHL 4 */
    probe_pkt_t p;
    assert_int_equal(dec(PROBE_DLT_EN10MB, &f, &p), SSF_OK);
    assert_int_equal(p.anom, PROBE_ANOM_IP4_BADHDR);
    assert_int_equal(p.ip_ver, 0);
    assert_null(p.l3);
    f.b[14] = 0x4f; /* IHL 15 = 60 bytes, only 28 there */
    assert_int_equal(dec(PROBE_DLT_EN10MB, &f, &p), SSF_OK);
    assert_int_equal(p.anom, PROBE_ANOM_IP4_TRUNC);
    assert_int_equal(p.ip_ver, 0);
    f.b[14] = 0x46; /* IHL 6 = 24 bytes, but total length 22 */
    set16(&f, 16, 22);
    assert_int_equal(dec(PROBE_DLT_EN10MB, &f, &p), SSF_OK);
    assert_int_equal(p.anom, PROBE_ANOM_IP4_BADHDR);
    assert_int_equal(p.sport, 0);
    f.b[14] = 0x65; /* IPv6 version under the IPv4 ethertype */
    assert_int_equal(dec(PROBE_DLT_EN10MB, &f, &p), SSF_OK);
    assert_int_equal(p.anom, PROBE_ANOM_IP4_BADHDR);
    done(&f);
}

static void t_eth_padding(void **state)
{
    (void)state;
    frame_t f = {0};
    eth(&f, 0x0800);
    ip4(&f, 17, 28 + 2, 0, 0);
    udp(&f, 47808, 47808, 10); /* BACnet/IP */
    put16(&f, 0x810b);
    while (f.n < 60)
        put8(&f, 0xee);
    probe_pkt_t p;
    assert_int_equal(dec(PROBE_DLT_EN10MB, &f, &p), SSF_OK);
    assert_int_equal(p.anom, 0);
    assert_int_equal(p.l3_len, 30);
    assert_int_equal(p.payload_len, 2);
    assert_int_equal(p.payload[0], 0x81);
    done(&f);

    frame_t g = {0};
    eth(&g, 0x86dd);
    ip6(&g, 58, 8);
    put8(&g, 135);
    put8(&g, 0);
    putz(&g, 6);
    putz(&g, 10); /* trailer the payload length excludes */
    assert_int_equal(dec(PROBE_DLT_EN10MB, &g, &p), SSF_OK);
    assert_int_equal(p.anom, 0);
    assert_int_equal(p.l3_len, 48);
    assert_int_equal(p.icmp_type, 135);
    assert_int_equal(p.payload_len, 4);
    done(&g);
}

/* ---- IPv6 --------------------------------------------------------------------------------- */

static void t_ipv6_ext_tcp(void **state)
{
    (void)state;
    frame_t f = {0};
    eth(&f, 0x86dd);
    ip6(&f, 0, 8 + 16 + 20 + 3);
    ext8(&f, 60); /* Hop-by-Hop -> DstOpts */
    put8(&f, 6);  /* DstOpts, 16 bytes -> TCP */
    put8(&f, 1);
    putz(&f, 14);
    tcp(&f, 2404, 51000, 5); /* IEC 104 */
    putn(&f, (const uint8_t *)"\x68\x04\x07", 3);
    probe_pkt_t p;
    assert_int_equal(dec(PROBE_DLT_EN10MB, &f, &p), SSF_OK);
    assert_int_equal(p.anom, 0);
    assert_int_equal(p.l4_proto, 6);
    assert_int_equal(p.sport, 2404);
    assert_int_equal(p.tcp_flags, 0x12);
    assert_ptr_equal(p.payload, f.heap + 14 + 40 + 24 + 20);
    assert_int_equal(p.payload_len, 3);
    assert_int_equal(p.l3_len, 40 + 47);
    done(&f);
}

static void t_ipv6_frag(void **state)
{
    (void)state;
    frame_t f = {0};
    eth(&f, 0x86dd);
    ip6(&f, 44, 8 + 8 + 4);
    put8(&f, 17);
    put8(&f, 0);
    put16(&f, 0x0001); /* offset 0, M */
    put32(&f, 0xcafe);
    udp(&f, 500, 500, 2000);
    putz(&f, 4);
    probe_pkt_t p;
    assert_int_equal(dec(PROBE_DLT_EN10MB, &f, &p), SSF_OK);
    assert_int_equal(p.anom, 0);
    assert_int_equal(p.frag, PROBE_FRAG_FIRST);
    assert_int_equal(p.l4_proto, 17);
    assert_int_equal(p.sport, 500);
    assert_int_equal(p.payload_len, 4);

    set16(&f, 14 + 40 + 2, (100 << 3) | 1);
    assert_int_equal(dec(PROBE_DLT_EN10MB, &f, &p), SSF_OK);
    assert_int_equal(p.anom, 0);
    assert_int_equal(p.frag, PROBE_FRAG_LATER);
    assert_int_equal(p.l4_proto, 17);
    assert_int_equal(p.sport, 0);
    assert_null(p.payload);

    set16(&f, 14 + 40 + 2, 0); /* atomic fragment: a whole datagram */
    set16(&f, 14 + 40 + 8 + 4, 12);
    assert_int_equal(dec(PROBE_DLT_EN10MB, &f, &p), SSF_OK);
    assert_int_equal(p.anom, 0);
    assert_int_equal(p.frag, PROBE_FRAG_NONE);
    assert_int_equal(p.sport, 500);
    assert_int_equal(p.payload_len, 4);
    done(&f);
}

/* n generic extension headers, then TCP. */
static void ext_chain(frame_t *f, unsigned n)
{
    eth(f, 0x86dd);
    ip6(f, n ? 60 : 6, (uint16_t)(8 * n + 20));
    for (unsigned i = 0; i < n; i++)
        ext8(f, i + 1 < n ? 60 : 6);
    tcp(f, 22, 33000, 5);
}

static void t_ipv6_extloop(void **state)
{
    (void)state;
    frame_t f = {0};
    ext_chain(&f, 8);
    probe_pkt_t p;
    assert_int_equal(dec(PROBE_DLT_EN10MB, &f, &p), SSF_OK);
    assert_int_equal(p.anom, 0);
    assert_int_equal(p.l4_proto, 6);
    assert_int_equal(p.sport, 22);
    done(&f);

    frame_t g = {0};
    ext_chain(&g, 9);
    assert_int_equal(dec(PROBE_DLT_EN10MB, &g, &p), SSF_OK);
    assert_int_equal(p.anom, PROBE_ANOM_IP6_EXTLOOP);
    assert_int_equal(p.ip_ver, 6);
    assert_int_equal(p.sport, 0);
    assert_null(p.payload);
    done(&g);
}

static void t_ipv6_ah_esp(void **state)
{
    (void)state;
    frame_t f = {0};
    eth(&f, 0x86dd);
    ip6(&f, 51, 24 + 8);
    put8(&f, 17);
    put8(&f, 4); /* (4 + 2) * 4 = 24 bytes */
    putz(&f, 22);
    udp(&f, 123, 123, 8);
    probe_pkt_t p;
    assert_int_equal(dec(PROBE_DLT_EN10MB, &f, &p), SSF_OK);
    assert_int_equal(p.anom, 0);
    assert_int_equal(p.l4_proto, 17);
    assert_int_equal(p.sport, 123);
    done(&f);

    frame_t g = {0};
    eth(&g, 0x86dd);
    ip6(&g, 50, 16);
    put32(&g, 0x1000); /* SPI */
    putz(&g, 12);
    assert_int_equal(dec(PROBE_DLT_EN10MB, &g, &p), SSF_OK);
    assert_int_equal(p.anom, 0);
    assert_int_equal(p.l4_proto, 50);
    assert_null(p.payload);
    done(&g);

    frame_t h = {0};
    eth(&h, 0x86dd);
    ip6(&h, 0, 8);
    ext8(&h, 59);
    assert_int_equal(dec(PROBE_DLT_EN10MB, &h, &p), SSF_OK);
    assert_int_equal(p.anom, 0);
    assert_int_equal(p.l4_proto, 59);
    done(&h);
}

static void t_ipv6_bad(void **state)
{
    (void)state;
    frame_t f = {0};
    eth(&f, 0x86dd);
    ip6(&f, 17, 100);
    udp(&f, 1, 2, 100);
    probe_pkt_t p;
    uint32_t n = (uint32_t)f.n;
    assert_int_equal(dec_len(PROBE_DLT_EN10MB, &f, n, n + 92, &p), SSF_OK);
    assert_int_equal(p.anom, PROBE_ANOM_SNAPLEN);
    assert_int_equal(p.l3_len, 48);
    assert_int_equal(dec(PROBE_DLT_EN10MB, &f, &p), SSF_OK);
    assert_int_equal(p.anom, PROBE_ANOM_IP6_BADHDR | PROBE_ANOM_UDP_TRUNC);
    set16(&f, 14 + 4, 0); /* jumbogram: trust the capture */
    assert_int_equal(dec(PROBE_DLT_EN10MB, &f, &p), SSF_OK);
    assert_int_equal(p.anom, PROBE_ANOM_UDP_TRUNC);
    assert_int_equal(p.l3_len, 48);
    f.b[14] = 0x40;
    assert_int_equal(dec(PROBE_DLT_EN10MB, &f, &p), SSF_OK);
    assert_int_equal(p.anom, PROBE_ANOM_IP6_BADHDR);
    assert_int_equal(p.ip_ver, 0);
    done(&f);
}

/* ---- L4 ----------------------------------------------------------------------------------- */

static void t_tcp_bad_offsets(void **state)
{
    (void)state;
    frame_t f = {0};
    eth(&f, 0x0800);
    ip4(&f, 6, 40, 0, 0);
    tcp(&f, 80, 1234, 4);
    probe_pkt_t p;
    assert_int_equal(dec(PROBE_DLT_EN10MB, &f, &p), SSF_OK);
    assert_int_equal(p.anom, PROBE_ANOM_TCP_BADOFF);
    assert_int_equal(p.sport, 80);
    assert_null(p.payload);
    f.b[14 + 20 + 12] = 0x60; /* 24 bytes, only 20 in the IP packet */
    assert_int_equal(dec(PROBE_DLT_EN10MB, &f, &p), SSF_OK);
    assert_int_equal(p.anom, PROBE_ANOM_TCP_TRUNC);
    assert_null(p.payload);
    f.b[14 + 20 + 12] = 0x00;
    assert_int_equal(dec(PROBE_DLT_EN10MB, &f, &p), SSF_OK);
    assert_int_equal(p.anom, PROBE_ANOM_TCP_BADOFF);
    set16(&f, 16, 39); /* IP ends inside the TCP header */
    f.b[14 + 20 + 12] = 0x50;
    assert_int_equal(dec(PROBE_DLT_EN10MB, &f, &p), SSF_OK);
    assert_int_equal(p.anom, PROBE_ANOM_TCP_TRUNC);
    assert_int_equal(p.sport, 0);
    done(&f);
}

static void t_udp_bad_lengths(void **state)
{
    (void)state;
    frame_t f = {0};
    eth(&f, 0x0800);
    ip4(&f, 17, 20 + 8 + 10, 0, 0);
    udp(&f, 161, 40000, 4);
    putz(&f, 10);
    probe_pkt_t p;
    assert_int_equal(dec(PROBE_DLT_EN10MB, &f, &p), SSF_OK);
    assert_int_equal(p.anom, PROBE_ANOM_UDP_BADLEN);
    assert_int_equal(p.sport, 161);
    assert_int_equal(p.payload_len, 10);
    set16(&f, 14 + 20 + 4, 8 + 50); /* beyond the IP packet */
    assert_int_equal(dec(PROBE_DLT_EN10MB, &f, &p), SSF_OK);
    assert_int_equal(p.anom, PROBE_ANOM_UDP_TRUNC);
    assert_int_equal(p.payload_len, 10);
    set16(&f, 14 + 20 + 4, 8 + 3); /* shorter than the IP packet: trim */
    assert_int_equal(dec(PROBE_DLT_EN10MB, &f, &p), SSF_OK);
    assert_int_equal(p.anom, 0);
    assert_int_equal(p.payload_len, 3);
    set16(&f, 14 + 20 + 4, 8 + 10);
    uint32_t n = (uint32_t)f.n;
    assert_int_equal(dec_len(PROBE_DLT_EN10MB, &f, n - 4, n, &p), SSF_OK);
    assert_int_equal(p.anom, PROBE_ANOM_SNAPLEN); /* the capture's cut, not UDP's fault */
    assert_int_equal(p.payload_len, 6);
    assert_int_equal(dec_len(PROBE_DLT_EN10MB, &f, 14 + 20 + 7, n, &p), SSF_OK);
    assert_int_equal(p.anom, PROBE_ANOM_SNAPLEN | PROBE_ANOM_UDP_TRUNC);
    done(&f);
}

static void t_icmp(void **state)
{
    (void)state;
    frame_t f = {0};
    eth(&f, 0x0800);
    ip4(&f, 1, 28, 0, 0);
    put8(&f, 3);
    put8(&f, 13);
    put16(&f, 0);
    put32(&f, 0);
    probe_pkt_t p;
    assert_int_equal(dec(PROBE_DLT_EN10MB, &f, &p), SSF_OK);
    assert_int_equal(p.anom, 0);
    assert_int_equal(p.icmp_type, 3);
    assert_int_equal(p.icmp_code, 13);
    assert_ptr_equal(p.payload, f.heap + 14 + 20 + 4);
    assert_int_equal(p.payload_len, 4);
    assert_int_equal(p.sport, 0);
    assert_int_equal(dec_len(PROBE_DLT_EN10MB, &f, 14 + 20 + 3, 14 + 20 + 3, &p), SSF_OK);
    assert_int_equal(p.anom & PROBE_ANOM_ICMP_TRUNC, PROBE_ANOM_ICMP_TRUNC);
    assert_int_equal(p.icmp_type, 0);
    done(&f);

    frame_t g = {0};
    eth(&g, 0x86dd);
    ip6(&g, 58, 24);
    put8(&g, 136); /* neighbour advertisement */
    put8(&g, 0);
    put16(&g, 0);
    putz(&g, 20);
    assert_int_equal(dec(PROBE_DLT_EN10MB, &g, &p), SSF_OK);
    assert_int_equal(p.anom, 0);
    assert_int_equal(p.l4_proto, 58);
    assert_int_equal(p.icmp_type, 136);
    assert_int_equal(p.payload_len, 20);
    done(&g);
}

/* ---- truncation sweeps -------------------------------------------------------------------- */

/* Every prefix of a good frame must be flagged (or refused) and must stay in bounds. */
static void sweep(int dlt, frame_t *f)
{
    probe_pkt_t p;
    uint32_t full = (uint32_t)f->n;
    assert_int_equal(dec(dlt, f, &p), SSF_OK);
    assert_int_equal(p.anom, 0);
    for (uint32_t n = 0; n < full; n++) {
        for (int snap = 0; snap < 2; snap++) {
            ssf_rc rc = dec_len(dlt, f, n, snap ? full : n, &p);
            if (rc != SSF_ETRUNC && p.anom == 0) fail_msg("caplen %u: no anomaly", n);
            assert_true(rc == SSF_OK || rc == SSF_ETRUNC);
            if (p.payload) assert_true(p.payload + p.payload_len <= f->heap + n);
            if (p.l3) assert_true(p.l3 + p.l3_len <= f->heap + n);
        }
    }
    done(f);
}

static void t_trunc_sweep_tcp4(void **state)
{
    (void)state;
    frame_t f = {0};
    eth(&f, 0x0800);
    ip4(&f, 6, 24 + 24 + 4, 1, 0); /* TCP options are the first 4 of the 8 zeros */
    tcp(&f, 1, 2, 6);
    putz(&f, 8);
    sweep(PROBE_DLT_EN10MB, &f);
}

static void t_trunc_sweep_vlan_udp6(void **state)
{
    (void)state;
    frame_t f = {0};
    eth(&f, 0x8100);
    put16(&f, 7);
    put16(&f, 0x86dd);
    ip6(&f, 0, 8 + 8 + 4);
    ext8(&f, 17);
    udp(&f, 547, 546, 12);
    put32(&f, 0x07000001);
    sweep(PROBE_DLT_EN10MB, &f);
}

/* ---- flow hash ---------------------------------------------------------------------------- */

static probe_pkt_t swapped(const probe_pkt_t *p)
{
    probe_pkt_t q = *p;
    q.src_ip = p->dst_ip;
    q.dst_ip = p->src_ip;
    q.sport = p->dport;
    q.dport = p->sport;
    memcpy(q.src_mac, p->dst_mac, 6);
    memcpy(q.dst_mac, p->src_mac, 6);
    return q;
}

/* PPPoE session frames carry IPv4 or IPv6 after an 8-byte PPPoE+PPP header; the PPPoE length
 * bounds the packet (padding after it is not payload). */
static void t_pppoe(void **state)
{
    (void)state;
    frame_t f = {0};
    eth(&f, 0x8864);
    put8(&f, 0x11), put8(&f, 0), put16(&f, 0x0042), put16(&f, 2 + 20 + 8 + 4), put16(&f, 0x0021);
    ip4(&f, 17, 20 + 8 + 4, 0, 0);
    udp(&f, 514, 11000, 8 + 4);
    putn(&f, (const uint8_t *)"<13>", 4);
    putz(&f, 6); /* Ethernet padding */
    probe_pkt_t p;
    assert_int_equal(dec(PROBE_DLT_EN10MB, &f, &p), SSF_OK);
    assert_int_equal(p.anom, 0);
    assert_int_equal(p.ethertype, 0x8864);
    assert_int_equal(p.ip_ver, 4);
    assert_v4(&p.src_ip, IP4_B);
    assert_int_equal(p.sport, 514);
    assert_int_equal(p.payload_len, 4);
    /* IPv6 inside, and a PPP control frame (LCP) that stays link-layer payload. */
    f.n = 0;
    eth(&f, 0x8864);
    put8(&f, 0x11), put8(&f, 0), put16(&f, 1), put16(&f, 2 + 40 + 8), put16(&f, 0x0057);
    ip6(&f, 17, 8);
    udp(&f, 1, 2, 8);
    assert_int_equal(dec(PROBE_DLT_EN10MB, &f, &p), SSF_OK);
    assert_int_equal(p.ip_ver, 6);
    assert_int_equal(p.dport, 2);
    set16(&f, 20, 0xc021);
    assert_int_equal(dec(PROBE_DLT_EN10MB, &f, &p), SSF_OK);
    assert_int_equal(p.ip_ver, 0);
    assert_int_equal(p.payload_len, 48);
    /* Every cut, a wrong version and a length too small to hold the PPP protocol. */
    for (uint32_t k = 14; k < 22; k++) {
        assert_int_equal(dec_len(PROBE_DLT_EN10MB, &f, k, (uint32_t)f.n, &p), SSF_OK);
        assert_true(p.anom & PROBE_ANOM_PPPOE_TRUNC);
    }
    f.b[14] = 0x12;
    assert_int_equal(dec(PROBE_DLT_EN10MB, &f, &p), SSF_OK);
    assert_true(p.anom & PROBE_ANOM_PPPOE_TRUNC);
    f.b[14] = 0x11;
    set16(&f, 18, 1);
    assert_int_equal(dec(PROBE_DLT_EN10MB, &f, &p), SSF_OK);
    assert_true(p.anom & PROBE_ANOM_PPPOE_TRUNC);
    done(&f);
}

/* IPv6 in IPv4 (6in4) and IPv4 in IPv4: the inner packet's addresses and ports are the
 * conversation. A second level of nesting is counted, not decoded. */
static void t_tunnels(void **state)
{
    (void)state;
    frame_t f = {0};
    eth(&f, 0x0800);
    ip4(&f, 41, 20 + 40 + 8, 0, 0);
    size_t inner = f.n;
    ip6(&f, 17, 8);
    udp(&f, 514, 514, 8);
    probe_pkt_t p;
    assert_int_equal(dec(PROBE_DLT_EN10MB, &f, &p), SSF_OK);
    assert_int_equal(p.anom, 0);
    assert_int_equal(p.tunnels, 1);
    assert_memory_equal(p.arp_sha, MAC_B, 6);
    assert_v4(&p.arp_spa, IP4_B);
    assert_int_equal(p.arp_op, 0);
    assert_int_equal(p.ip_ver, 6);
    assert_memory_equal(p.src_ip.b, IP6_B, 16);
    assert_ptr_equal(p.l3, f.heap + inner);
    assert_int_equal(p.l4_proto, 17);
    assert_int_equal(p.sport, 514);
    f.n = 0;
    eth(&f, 0x0800);
    ip4(&f, 4, 20 + 20 + 20 + 8, 0, 0);
    ip4(&f, 4, 20 + 20 + 8, 0, 0);
    ip4(&f, 17, 20 + 8, 0, 0);
    udp(&f, 1, 2, 8);
    assert_int_equal(dec(PROBE_DLT_EN10MB, &f, &p), SSF_OK);
    assert_true(p.anom & PROBE_ANOM_TUNNEL);
    assert_int_equal(p.payload_len, 0);
    done(&f);
}

static void t_hash_symmetry(void **state)
{
    (void)state;
    frame_t f = {0};
    eth(&f, 0x8100);
    put16(&f, 20);
    put16(&f, 0x0800);
    ip4(&f, 6, 40, 0, 0);
    tcp(&f, 40000, 502, 5);
    probe_pkt_t p;
    assert_int_equal(dec(PROBE_DLT_EN10MB, &f, &p), SSF_OK);
    probe_pkt_t q = swapped(&p);
    uint32_t h = probe_decode_flow_hash(&p);
    assert_int_equal(h, probe_decode_flow_hash(&q));
    probe_pkt_t r = p;
    r.vlan[0] = 21;
    assert_int_not_equal(h, probe_decode_flow_hash(&r));
    r = p;
    r.sport = 40001;
    assert_int_not_equal(h, probe_decode_flow_hash(&r));
    r = p;
    r.l4_proto = 17;
    assert_int_not_equal(h, probe_decode_flow_hash(&r));
    /* the ip/port pairing matters: (A:1, B:2) is not (A:2, B:1) */
    r = p;
    r.sport = p.dport;
    r.dport = p.sport;
    assert_int_not_equal(h, probe_decode_flow_hash(&r));
    /* sequential pairs do not collide */
    probe_pkt_t a = p, b = p;
    a.src_ip.b[15] = 1, a.dst_ip.b[15] = 4;
    b.src_ip.b[15] = 2, b.dst_ip.b[15] = 3;
    assert_int_not_equal(probe_decode_flow_hash(&a), probe_decode_flow_hash(&b));
    done(&f);

    frame_t g = {0};
    eth(&g, 0x86dd);
    ip6(&g, 17, 8);
    udp(&g, 5000, 5001, 8);
    assert_int_equal(dec(PROBE_DLT_EN10MB, &g, &p), SSF_OK);
    q = swapped(&p);
    assert_int_equal(probe_decode_flow_hash(&p), probe_decode_flow_hash(&q));
    assert_int_not_equal(probe_decode_flow_hash(&p), h);
    done(&g);

    frame_t m = {0}; /* non-IP: PROFINET DCP */
    eth(&m, 0x8892);
    putz(&m, 46);
    assert_int_equal(dec(PROBE_DLT_EN10MB, &m, &p), SSF_OK);
    q = swapped(&p);
    assert_int_equal(probe_decode_flow_hash(&p), probe_decode_flow_hash(&q));
    r = p;
    r.ethertype = 0x88cc;
    assert_int_not_equal(probe_decode_flow_hash(&p), probe_decode_flow_hash(&r));
    done(&m);
}

static void t_hash_fragments(void **state)
{
    (void)state;
    frame_t f = {0};
    eth(&f, 0x0800);
    ip4(&f, 17, 36, 0, 0x2000);
    udp(&f, 623, 623, 100);
    putz(&f, 8);
    probe_pkt_t first, later, whole;
    assert_int_equal(dec(PROBE_DLT_EN10MB, &f, &first), SSF_OK);
    set16(&f, 14 + 6, 0);
    assert_int_equal(dec(PROBE_DLT_EN10MB, &f, &whole), SSF_OK);
    set16(&f, 14 + 6, 3);
    assert_int_equal(dec(PROBE_DLT_EN10MB, &f, &later), SSF_OK);
    assert_int_equal(first.frag, PROBE_FRAG_FIRST);
    assert_int_equal(whole.frag, PROBE_FRAG_NONE);
    assert_int_equal(later.frag, PROBE_FRAG_LATER);
    /* The first fragment goes where the rest of its flow goes; later ones hash by address
     * only (they have no ports), symmetrically, and the worker skips them. */
    assert_int_equal(probe_decode_flow_hash(&first), probe_decode_flow_hash(&whole));
    assert_int_not_equal(probe_decode_flow_hash(&first), probe_decode_flow_hash(&later));
    probe_pkt_t back = swapped(&later);
    assert_int_equal(probe_decode_flow_hash(&later), probe_decode_flow_hash(&back));
    done(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_eth_ipv4_tcp),
        cmocka_unit_test(t_pppoe),
        cmocka_unit_test(t_tunnels),
        cmocka_unit_test(t_vlan_single_double),
        cmocka_unit_test(t_vlan_three_tags),
        cmocka_unit_test(t_sll),
        cmocka_unit_test(t_sll2),
        cmocka_unit_test(t_raw),
        cmocka_unit_test(t_null_loop),
        cmocka_unit_test(t_unknown_dlt),
        cmocka_unit_test(t_arp),
        cmocka_unit_test(t_ipv4_options),
        cmocka_unit_test(t_ipv4_frags),
        cmocka_unit_test(t_ipv4_total_len),
        cmocka_unit_test(t_ipv4_bad_ihl),
        cmocka_unit_test(t_eth_padding),
        cmocka_unit_test(t_ipv6_ext_tcp),
        cmocka_unit_test(t_ipv6_frag),
        cmocka_unit_test(t_ipv6_extloop),
        cmocka_unit_test(t_ipv6_ah_esp),
        cmocka_unit_test(t_ipv6_bad),
        cmocka_unit_test(t_tcp_bad_offsets),
        cmocka_unit_test(t_udp_bad_lengths),
        cmocka_unit_test(t_icmp),
        cmocka_unit_test(t_trunc_sweep_tcp4),
        cmocka_unit_test(t_trunc_sweep_vlan_udp6),
        cmocka_unit_test(t_hash_symmetry),
        cmocka_unit_test(t_hash_fragments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
