/* truncated.pcap: snaplen 96, so longer frames are stored cut short, plus frames whose header
 * fields lie about lengths. Decoders must flag these, never read past caplen. */
#include "gen.h"

static const gen_host tr_srv = {{0x02, 0x00, 0x00, 0x00, 0x30, 0x10}, {192, 168, 30, 10}, false};
static const gen_host tr_cli = {{0x02, 0x00, 0x00, 0x00, 0x30, 0x50}, {192, 168, 30, 50}, false};
static const uint8_t tr_bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
static const uint8_t tr_srv6[16] = {0x20, 0x01, 0x0d, 0xb8, 0x00, 0x30, 0, 0,
                                    0,    0,    0,    0,    0,    0,    0, 0x10};
static const uint8_t tr_cli6[16] = {0x20, 0x01, 0x0d, 0xb8, 0x00, 0x30, 0, 0,
                                    0,    0,    0,    0,    0,    0,    0, 0x50};

#define TR_SNAPLEN        96u
#define TR_HTTP_RESPONSES 20u
#define TR_HBH_CHAIN      40u

static const char tr_body[] = "<html><head><title>Network Camera</title></head><body>"
                              "<p>Please log in to view the live stream.</p></body></html>\n";

/* Even-numbered responses lead with Date, odd ones with Server, so one cut lands mid-Date and
 * the other in the middle of the Server version ("GoAhead-Webs/2.5."). */
static void tr_http_response(gen_out *o, unsigned i)
{
    gen_conv c;
    gen_buf b;
    gen_conv_init(&c, o, &tr_cli, (uint16_t)(50100 + i), &tr_srv, 80);
    gen_buf_init(&b);
    if (i % 2 == 0) {
        gen_http_ok(&b, "GoAhead-Webs/2.5.0", tr_body);
    } else {
        gen_str(&b, "HTTP/1.1 200 OK\r\nServer: GoAhead-Webs/2.5.0\r\n"
                    "Content-Type: text/html\r\nConnection: close\r\n\r\n");
        gen_str(&b, tr_body);
    }
    gen_tcp_send(&c, GEN_S2C, GEN_PSH | GEN_ACK, b.b, b.len);
}

static void tr_ip4(gen_buf *b, uint8_t proto)
{
    gen_eth(b, tr_srv.mac, tr_cli.mac, 0x0800);
    gen_ipv4(b, tr_cli.ip, tr_srv.ip, proto, NULL);
}

static void tr_fix_ip4_csum(gen_buf *b)
{
    gen_set_u16(b, 24, 0);
    gen_set_u16(b, 24, gen_csum(b->b + 14, 20, 0));
}

static void tr_ihl15(gen_buf *b)
{
    tr_ip4(b, 6);
    gen_finish(b);
    b->b[14] = 0x4f; /* IHL 15 = 60-byte header; only 20 bytes exist */
    tr_fix_ip4_csum(b);
}

static void tr_totlen_60000(gen_buf *b)
{
    tr_ip4(b, 17);
    gen_udp(b, 40000, 40001);
    gen_zero(b, 18);
    gen_finish(b);
    gen_set_u16(b, 16, 60000); /* frame is 60 bytes */
    tr_fix_ip4_csum(b);
}

/* A 20-byte TCP header whose data offset field claims doff*4 bytes. */
static void tr_tcp_doff(gen_buf *b, uint8_t doff)
{
    tr_ip4(b, 6);
    gen_tcp(b, &(gen_tcphdr){.sport = 50999, .dport = 80, .seq = 1, .ack = 1, .flags = GEN_ACK});
    b->b[46] = (uint8_t)(doff << 4);
    gen_finish(b); /* checksum covers the patched offset */
}

static void tr_tcp_doff15(gen_buf *b)
{
    tr_tcp_doff(b, 15);
}

static void tr_tcp_doff2(gen_buf *b)
{
    tr_tcp_doff(b, 2);
}

static void tr_udp_len(gen_buf *b, uint16_t len, size_t payload)
{
    tr_ip4(b, 17);
    gen_udp(b, 40002, 40003);
    gen_zero(b, payload);
    gen_finish(b);
    gen_set_u16(b, 38, len); /* checksum left as computed for the true length */
}

static void tr_udp_len2(gen_buf *b)
{
    tr_udp_len(b, 2, 4);
}

static void tr_udp_len9000(gen_buf *b)
{
    tr_udp_len(b, 9000, 8);
}

static void tr_vlan_empty(gen_buf *b)
{
    gen_eth(b, tr_bcast, tr_cli.mac, 0x8100);
    gen_vlan(b, 5, 0x0800); /* promises IPv4; the frame ends here */
}

static void tr_vlan3(gen_buf *b)
{
    static const uint8_t dst[4] = {192, 168, 30, 255};
    gen_eth(b, tr_bcast, tr_cli.mac, 0x88a8);
    gen_vlan(b, 300, 0x8100);
    gen_vlan(b, 30, 0x8100);
    gen_vlan(b, 3, 0x0800);
    gen_ipv4(b, tr_cli.ip, dst, 17, NULL);
    gen_udp(b, 40004, 9);
    gen_str(b, "three tags");
    gen_finish(b);
    gen_pad60(b);
}

static void tr_hbh_chain(gen_buf *b)
{
    static const uint8_t padn[6] = {1, 4, 0, 0, 0, 0};
    gen_eth(b, tr_srv.mac, tr_cli.mac, 0x86dd);
    gen_ipv6(b, tr_cli6, tr_srv6, 0, NULL); /* next header 0: Hop-by-Hop */
    for (unsigned i = 0; i < TR_HBH_CHAIN; i++) {
        gen_u8(b, i + 1 < TR_HBH_CHAIN ? 0 : 6);
        gen_u8(b, 0);
        gen_put(b, padn, sizeof padn);
    }
    gen_tcp(b, &(gen_tcphdr){.sport = 51000, .dport = 80, .seq = 7, .flags = GEN_SYN});
    gen_finish(b);
}

static void tr_arp(gen_buf *b)
{
    static const uint8_t zero[6] = {0};
    gen_eth(b, tr_bcast, tr_cli.mac, 0x0806);
    gen_arp(b, 1, tr_cli.mac, tr_cli.ip, zero, tr_srv.ip);
}

static void tr_tiny(gen_buf *b)
{
    gen_put(b, tr_bcast, 6);
    gen_put(b, tr_cli.mac, 4);
}

/* caplen 0: the whole frame, clipped to the snaplen. */
static const struct {
    void (*build)(gen_buf *b);
    uint32_t caplen;
} tr_hostile[] = {
    {tr_ihl15, 0},     {tr_totlen_60000, 0}, {tr_tcp_doff15, 0}, {tr_tcp_doff2, 0},
    {tr_udp_len2, 0},  {tr_udp_len9000, 0},  {tr_vlan_empty, 0}, {tr_vlan3, 0},
    {tr_hbh_chain, 0}, {tr_arp, 20},         {tr_tiny, 0},
};

int cap_truncated(const char *dir)
{
    gen_out o;
    gen_buf b;
    if (gen_out_open(&o, dir, "truncated.pcap", GEN_FMT_PCAP, 1, TR_SNAPLEN) != 0) return -1;
    for (unsigned i = 0; i < TR_HTTP_RESPONSES; i++)
        tr_http_response(&o, i);
    for (size_t i = 0; i < sizeof tr_hostile / sizeof *tr_hostile; i++) {
        gen_buf_init(&b);
        tr_hostile[i].build(&b);
        uint32_t len = (uint32_t)b.len;
        uint32_t cap = tr_hostile[i].caplen ? tr_hostile[i].caplen : len;
        if (cap > TR_SNAPLEN) cap = TR_SNAPLEN;
        if (b.overflow)
            gen_out_buf(&o, &b); /* reports the builder bug */
        else
            gen_out_rec(&o, b.b, cap, len);
    }
    return gen_out_close(&o);
}
