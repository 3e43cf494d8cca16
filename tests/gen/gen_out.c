/* Capture writers (classic pcap and pcapng, both little-endian, written by hand so every byte is
 * ours) and the link-layer headers for each linktype we emit. */
#include "gen.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

enum {
    DLT_NULL_ = 0,
    DLT_EN10MB_ = 1,
    DLT_RAW_ = 101, /* LINKTYPE_RAW */
    DLT_LOOP_ = 108,
    DLT_SLL_ = 113,
    DLT_SLL2_ = 276,
};

static void gen_out_raw(gen_out *o, const void *p, size_t n)
{
    if (o->failed) return;
    if (n && fwrite(p, 1, n, o->f) != n) {
        o->failed = true;
        o->err = errno ? errno : EIO;
        return;
    }
    o->off += n;
}

static void gen_out_le32(gen_out *o, uint32_t v)
{
    uint8_t x[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    gen_out_raw(o, x, sizeof x);
}

static void gen_out_le16(gen_out *o, uint16_t v)
{
    uint8_t x[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
    gen_out_raw(o, x, sizeof x);
}

static void gen_out_pcap_header(gen_out *o)
{
    gen_out_le32(o, 0xa1b2c3d4u); /* microsecond timestamps */
    gen_out_le16(o, 2);
    gen_out_le16(o, 4);
    gen_out_le32(o, 0); /* thiszone */
    gen_out_le32(o, 0); /* sigfigs */
    gen_out_le32(o, o->snaplen);
    gen_out_le32(o, o->linktype);
}

/* Section Header Block (no options, unknown section length) and one Interface Description Block
 * without options, so timestamps use the default microsecond resolution. */
static void gen_out_pcapng_header(gen_out *o)
{
    gen_out_le32(o, 0x0a0d0d0au);
    gen_out_le32(o, 28);
    gen_out_le32(o, 0x1a2b3c4du);
    gen_out_le16(o, 1);
    gen_out_le16(o, 0);
    gen_out_le32(o, 0xffffffffu);
    gen_out_le32(o, 0xffffffffu);
    gen_out_le32(o, 28);

    gen_out_le32(o, 1);
    gen_out_le32(o, 20);
    gen_out_le16(o, (uint16_t)o->linktype);
    gen_out_le16(o, 0);
    gen_out_le32(o, o->snaplen);
    gen_out_le32(o, 20);
}

int gen_out_open(gen_out *o, const char *dir, const char *name, int fmt, uint32_t linktype,
                 uint32_t snaplen)
{
    memset(o, 0, sizeof *o);
    o->fmt = fmt;
    o->linktype = linktype;
    o->snaplen = snaplen;
    o->ts_us = (uint64_t)GEN_T0_SEC * 1000000u;
    o->null_af6 = 30;
    int n = snprintf(o->path, sizeof o->path, "%s/%s", dir, name);
    if (n < 0 || (size_t)n >= sizeof o->path) {
        fprintf(stderr, "ssfgen: path too long: %s/%s\n", dir, name);
        return -1;
    }
    if (!(o->f = fopen(o->path, "wb"))) {
        fprintf(stderr, "ssfgen: %s: %s\n", o->path, strerror(errno));
        return -1;
    }
    if (fmt == GEN_FMT_PCAPNG)
        gen_out_pcapng_header(o);
    else
        gen_out_pcap_header(o);
    return 0;
}

static void gen_out_epb(gen_out *o, const uint8_t *data, uint32_t caplen, uint32_t orig_len)
{
    static const uint8_t pad[4] = {0};
    uint32_t padded = (caplen + 3u) & ~3u;
    uint32_t total = 32 + padded;
    gen_out_le32(o, 6);
    gen_out_le32(o, total);
    gen_out_le32(o, 0); /* interface id */
    gen_out_le32(o, (uint32_t)(o->ts_us >> 32));
    gen_out_le32(o, (uint32_t)o->ts_us);
    gen_out_le32(o, caplen);
    gen_out_le32(o, orig_len);
    gen_out_raw(o, data, caplen);
    gen_out_raw(o, pad, padded - caplen);
    gen_out_le32(o, total);
}

void gen_out_rec(gen_out *o, const uint8_t *data, uint32_t caplen, uint32_t orig_len)
{
    if (o->fmt == GEN_FMT_PCAPNG) {
        gen_out_epb(o, data, caplen, orig_len);
    } else {
        gen_out_le32(o, (uint32_t)(o->ts_us / 1000000u));
        gen_out_le32(o, (uint32_t)(o->ts_us % 1000000u));
        gen_out_le32(o, caplen);
        gen_out_le32(o, orig_len);
        gen_out_raw(o, data, caplen);
    }
    o->ts_us += GEN_STEP_US;
    o->npkts++;
}

void gen_out_buf(gen_out *o, const gen_buf *b)
{
    if (b->overflow) {
        /* A builder bug, not an I/O error: say so once and fail the file. */
        if (!o->failed)
            fprintf(stderr, "ssfgen: %s: frame %u exceeds %d bytes\n", o->path, o->npkts + 1,
                    GEN_BUF_MAX);
        o->failed = true;
        return;
    }
    uint32_t len = (uint32_t)b->len;
    gen_out_rec(o, b->b, len < o->snaplen ? len : o->snaplen, len);
}

void gen_out_sleep(gen_out *o, uint64_t us)
{
    o->ts_us += us;
}

int gen_out_close(gen_out *o)
{
    if (!o->f) return -1;
    bool failed = o->failed;
    int err = o->err;
    if (fclose(o->f) != 0 && !failed) {
        failed = true;
        err = errno;
    }
    o->f = NULL;
    if (failed && err) fprintf(stderr, "ssfgen: %s: %s\n", o->path, strerror(err));
    return failed ? -1 : 0;
}

static int gen_mkdir_one(const char *path)
{
    if (mkdir(path, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "ssfgen: mkdir %s: %s\n", path, strerror(errno));
        return -1;
    }
    return 0;
}

/* Like mkdir -p: OUTDIR's parents are created too, so callers may pass any fresh path. */
int gen_mkdir(const char *dir, const char *sub)
{
    char path[512];
    int n = sub ? snprintf(path, sizeof path, "%s/%s", dir, sub)
                : snprintf(path, sizeof path, "%s", dir);
    if (n < 0 || (size_t)n >= sizeof path) {
        fprintf(stderr, "ssfgen: path too long: %s\n", dir);
        return -1;
    }
    for (char *p = path + 1; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        int rc = gen_mkdir_one(path);
        *p = '/';
        if (rc != 0) return -1;
    }
    return gen_mkdir_one(path);
}

static void gen_link_eth(gen_buf *b, const gen_vlans *v, const uint8_t src[6], const uint8_t dst[6],
                         uint16_t ethertype)
{
    uint8_t n = v && v->n <= 3 ? v->n : 0;
    gen_eth(b, dst, src, n ? v->tpid[0] : ethertype);
    for (uint8_t i = 0; i < n; i++)
        gen_vlan(b, v->vid[i], i + 1 < n ? v->tpid[i + 1] : ethertype);
}

/* The address field of both cooked headers: 6-byte MAC in an 8-byte slot. */
static void gen_link_sll_addr(gen_buf *b, const uint8_t src[6])
{
    gen_put(b, src, 6);
    gen_zero(b, 2);
}

void gen_link(gen_buf *b, const gen_out *o, const gen_vlans *v, const uint8_t src[6],
              const uint8_t dst[6], uint16_t ethertype, bool outgoing)
{
    uint32_t fam = ethertype == 0x86dd ? o->null_af6 : 2;
    switch (o->linktype) {
    case DLT_EN10MB_:
        gen_link_eth(b, v, src, dst, ethertype);
        break;
    case DLT_SLL_:
        gen_u16(b, outgoing ? 4 : 0); /* PACKET_OUTGOING / PACKET_HOST */
        gen_u16(b, 1);                /* ARPHRD_ETHER */
        gen_u16(b, 6);
        gen_link_sll_addr(b, src);
        gen_u16(b, ethertype);
        break;
    case DLT_SLL2_:
        gen_u16(b, ethertype);
        gen_u16(b, 0); /* reserved */
        gen_u32(b, 2); /* interface index */
        gen_u16(b, 1); /* ARPHRD_ETHER */
        gen_u8(b, outgoing ? 4 : 0);
        gen_u8(b, 6);
        gen_link_sll_addr(b, src);
        break;
    case DLT_NULL_: {
        /* Host byte order of the writer; our files are little-endian. */
        uint8_t x[4] = {(uint8_t)fam, (uint8_t)(fam >> 8), (uint8_t)(fam >> 16),
                        (uint8_t)(fam >> 24)};
        gen_put(b, x, sizeof x);
        break;
    }
    case DLT_LOOP_:
        gen_u32(b, fam);
        break;
    default: /* DLT_RAW: the IP header starts the frame */
        break;
    }
}
