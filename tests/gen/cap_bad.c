/* the files under malformed/ (damaged capture files, built byte by byte) and flood.pcap (many new
 * flows for the flow-table eviction test). */
#include "gen.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#define BAD_DIR    "malformed"
#define FLOOD_SYNS 50000u
#define FLOOD_SEED 0x55f9e4u

static const gen_host bad_a = {{0x02, 0x00, 0x00, 0x00, 0x40, 0x01}, {192, 168, 40, 1}, false};
static const gen_host bad_b = {{0x02, 0x00, 0x00, 0x00, 0x40, 0x02}, {192, 168, 40, 2}, false};

static void bad_le32(gen_buf *b, uint32_t v)
{
    uint8_t x[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    gen_put(b, x, sizeof x);
}

/* A classic little-endian pcap global header with the given magic. */
static void bad_pcap_header(gen_buf *b, uint32_t magic)
{
    bad_le32(b, magic);
    bad_le32(b, 0x00040002u); /* version 2.4, as two little-endian u16 */
    bad_le32(b, 0);
    bad_le32(b, 0);
    bad_le32(b, 65535);
    bad_le32(b, 1);
}

static void bad_rec_header(gen_buf *b, uint32_t incl, uint32_t orig)
{
    bad_le32(b, GEN_T0_SEC);
    bad_le32(b, 0);
    bad_le32(b, incl);
    bad_le32(b, orig);
}

/* Appends a 60-byte broadcast ARP request (padded), the record body of the damaged files. */
static void bad_frame(gen_buf *b)
{
    static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    static const uint8_t zero[6] = {0};
    size_t start = b->len;
    gen_eth(b, bcast, bad_a.mac, 0x0806);
    gen_arp(b, 1, bad_a.mac, bad_a.ip, zero, bad_b.ip);
    gen_zero(b, 60 - (b->len - start));
}

static int bad_write(const char *dir, const char *name, const gen_buf *b)
{
    char path[512];
    int n = snprintf(path, sizeof path, "%s/" BAD_DIR "/%s", dir, name);
    if (n < 0 || (size_t)n >= sizeof path || b->overflow) {
        fprintf(stderr, "ssfgen: cannot build %s/%s\n", dir, name);
        return -1;
    }
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(b->b, 1, b->len, f) != b->len) {
        fprintf(stderr, "ssfgen: %s: %s\n", path, strerror(errno));
        if (f) fclose(f);
        return -1;
    }
    if (fclose(f) != 0) {
        fprintf(stderr, "ssfgen: %s: %s\n", path, strerror(errno));
        return -1;
    }
    return 0;
}

static void bad_zero_length(gen_buf *b)
{
    (void)b;
}

static void bad_magic(gen_buf *b)
{
    bad_pcap_header(b, 0xdeadbeefu);
    bad_rec_header(b, 60, 60);
    bad_frame(b);
}

static void bad_record_past_eof(gen_buf *b)
{
    bad_pcap_header(b, 0xa1b2c3d4u);
    bad_rec_header(b, 1500, 1500);
    bad_frame(b);
    gen_zero(b, 40); /* 100 bytes of data in all */
}

static void bad_header_short(gen_buf *b)
{
    bad_pcap_header(b, 0xa1b2c3d4u);
    b->len = 12; /* magic, version, thiszone: the first half */
}

static void bad_huge_caplen(gen_buf *b)
{
    bad_pcap_header(b, 0xa1b2c3d4u);
    bad_rec_header(b, 0x7fffffffu, 0x7fffffffu);
    bad_frame(b);
}

static const struct {
    const char *name;
    void (*build)(gen_buf *b);
} bad_files[] = {
    {"zero-length.pcap", bad_zero_length},         {"bad-magic.pcap", bad_magic},
    {"record-past-eof.pcap", bad_record_past_eof}, {"header-only-short.pcap", bad_header_short},
    {"huge-caplen.pcap", bad_huge_caplen},
};

/* Ten 242-byte UDP frames, then the file is cut after half of the 6th frame's data. */
static int bad_truncated_file(const char *dir)
{
    gen_out o;
    uint8_t payload[200];
    uint64_t cut = 0;
    if (gen_out_open(&o, dir, BAD_DIR "/truncated-file.pcap", GEN_FMT_PCAP, 1, 65535) != 0)
        return -1;
    for (unsigned i = 0; i < 10; i++) {
        memset(payload, 'a' + (int)i, sizeof payload);
        if (i == 5) cut = o.off + 16;
        gen_udp_send(&o, NULL, &bad_a, 9000, &bad_b, 9001, payload, sizeof payload);
        if (i == 5) cut += (o.off - cut) / 2;
    }
    if (gen_out_close(&o) != 0) return -1;
    if (truncate(o.path, (off_t)cut) != 0) {
        fprintf(stderr, "ssfgen: truncate %s: %s\n", o.path, strerror(errno));
        return -1;
    }
    return 0;
}

int cap_malformed(const char *dir)
{
    gen_buf b;
    for (size_t i = 0; i < sizeof bad_files / sizeof *bad_files; i++) {
        gen_buf_init(&b);
        bad_files[i].build(&b);
        if (bad_write(dir, bad_files[i].name, &b) != 0) return -1;
    }
    return bad_truncated_file(dir);
}

int cap_flood(const char *dir)
{
    static const uint8_t router[6] = {0x02, 0x00, 0x00, 0x00, 0xff, 0x01};
    static const uint8_t target_mac[6] = {0x02, 0x00, 0x00, 0x01, 0x00, 0x01};
    static const uint8_t target[4] = {10, 1, 0, 1};
    gen_rng rng = {FLOOD_SEED};
    gen_out o;
    gen_buf b;
    if (gen_out_open(&o, dir, "flood.pcap", GEN_FMT_PCAP, 1, 65535) != 0) return -1;
    for (unsigned i = 0; i < FLOOD_SYNS && !o.failed; i++) {
        uint32_t r = gen_rand(&rng);
        uint8_t src[4] = {10, 0, (uint8_t)(r >> 8), (uint8_t)r};
        gen_tcphdr t = {.sport = (uint16_t)(1024u + (r >> 16) % 64512u),
                        .dport = 80,
                        .seq = gen_rand(&rng),
                        .flags = GEN_SYN,
                        .win = 1024};
        gen_buf_init(&b);
        gen_eth(&b, target_mac, router, 0x0800);
        gen_ipv4(&b, src, target, 6, &(gen_ipopt){.id = (uint16_t)i, .ttl = 250});
        gen_tcp(&b, &t);
        gen_finish(&b);
        gen_pad60(&b);
        gen_out_buf(&o, &b);
    }
    return gen_out_close(&o);
}
