/* linktype-*.pcap and unknown-linktype.pcap: the same small HTTP + DNS exchange behind each
 * non-Ethernet link header the scanner claims to read, and one linktype it must reject. */
#include "gen.h"

static const gen_host lk_cli = {{0x02, 0x00, 0x00, 0x00, 0x20, 0x01}, {10, 20, 0, 1}, false};
static const gen_host lk_srv = {{0x02, 0x00, 0x00, 0x00, 0x20, 0x02}, {10, 20, 0, 2}, false};
static const gen_host lk_cli6 = {{0x02, 0x00, 0x00, 0x00, 0x20, 0x01},
                                 {0xfd, 0x00, 0x00, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01},
                                 true};
static const gen_host lk_srv6 = {{0x02, 0x00, 0x00, 0x00, 0x20, 0x02},
                                 {0xfd, 0x00, 0x00, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02},
                                 true};

/* n_v6 IPv6 DNS queries follow the IPv4 traffic; af6[i] is the DLT_NULL/LOOP family word each
 * one carries (ignored by the other linktypes). */
static const struct {
    const char *name;
    uint32_t dlt;
    uint8_t n_v6;
    uint32_t af6[2];
} lk_files[] = {
    {"linktype-sll.pcap", 113, 0, {0, 0}},   {"linktype-sll2.pcap", 276, 0, {0, 0}},
    {"linktype-raw.pcap", 101, 1, {0, 0}},   {"linktype-null.pcap", 0, 2, {30, 24}},
    {"linktype-loop.pcap", 108, 1, {24, 0}},
};

static void lk_http(gen_out *o)
{
    static const char body[] = "<html><body>linktype test</body></html>\n";
    gen_conv c;
    gen_buf b;
    gen_conv_init(&c, o, &lk_cli, 53100, &lk_srv, 80);
    gen_tcp_open(&c);
    gen_buf_init(&b);
    gen_http_get(&b, "10.20.0.2", "/linktype", "ssfgen-linktype-test");
    gen_tcp_talk(&c, GEN_C2S, b.b, b.len);
    gen_buf_init(&b);
    gen_http_ok(&b, "ssfgen-httpd/1.0", body);
    gen_tcp_talk(&c, GEN_S2C, b.b, b.len);
    gen_tcp_close(&c);
}

static int lk_write(const char *dir, size_t i)
{
    gen_out o;
    gen_buf q;
    if (gen_out_open(&o, dir, lk_files[i].name, GEN_FMT_PCAP, lk_files[i].dlt, 65535) != 0)
        return -1;
    lk_http(&o);
    gen_buf_init(&q);
    gen_dns_query(&q, 0x1001, "plant.example");
    gen_udp_send(&o, NULL, &lk_cli, 53001, &lk_srv, 53, q.b, q.len);
    for (uint8_t k = 0; k < lk_files[i].n_v6; k++) {
        o.null_af6 = lk_files[i].af6[k];
        gen_buf_init(&q);
        gen_dns_query(&q, (uint16_t)(0x2001 + k), "plant.example");
        gen_udp_send(&o, NULL, &lk_cli6, (uint16_t)(53002 + k), &lk_srv6, 53, q.b, q.len);
    }
    return gen_out_close(&o);
}

int cap_linktypes(const char *dir)
{
    for (size_t i = 0; i < sizeof lk_files / sizeof *lk_files; i++)
        if (lk_write(dir, i) != 0) return -1;
    return 0;
}

int cap_unknown_linktype(const char *dir)
{
    gen_out o;
    char msg[64];
    if (gen_out_open(&o, dir, "unknown-linktype.pcap", GEN_FMT_PCAP, 147, 65535) != 0) return -1;
    for (unsigned i = 1; i <= 3; i++) {
        int n = snprintf(msg, sizeof msg, "ssfgen USER0 packet %u", i);
        gen_out_rec(&o, (const uint8_t *)msg, (uint32_t)n, (uint32_t)n);
    }
    return gen_out_close(&o);
}
