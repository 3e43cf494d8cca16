/* Packet building: an append-only buffer, one helper per header, and gen_finish() which fills in
 * every length and checksum afterwards so the helpers never need to know the payload size. */
#include "gen.h"

#include <string.h>

void gen_buf_init(gen_buf *b)
{
    b->len = 0;
    b->overflow = false;
    b->l3_off = SIZE_MAX;
    b->l4_off = SIZE_MAX;
    b->l4_proto = 0;
}

void gen_put(gen_buf *b, const void *p, size_t n)
{
    if (n == 0) return; /* p may be NULL for empty segments; memcpy must not see it */
    if (b->overflow || n > sizeof b->b - b->len) {
        b->overflow = true;
        return;
    }
    memcpy(b->b + b->len, p, n);
    b->len += n;
}

void gen_zero(gen_buf *b, size_t n)
{
    if (b->overflow || n > sizeof b->b - b->len) {
        b->overflow = true;
        return;
    }
    memset(b->b + b->len, 0, n);
    b->len += n;
}

void gen_u8(gen_buf *b, uint8_t v)
{
    gen_put(b, &v, 1);
}

void gen_u16(gen_buf *b, uint16_t v)
{
    uint8_t x[2] = {(uint8_t)(v >> 8), (uint8_t)v};
    gen_put(b, x, sizeof x);
}

void gen_u32(gen_buf *b, uint32_t v)
{
    uint8_t x[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
    gen_put(b, x, sizeof x);
}

void gen_str(gen_buf *b, const char *s)
{
    gen_put(b, s, strlen(s));
}

size_t gen_len_begin(gen_buf *b, unsigned width)
{
    size_t at = b->len;
    gen_zero(b, width);
    return at;
}

void gen_len_end(gen_buf *b, size_t at, unsigned width)
{
    if (b->overflow || at + width > b->len) return;
    size_t n = b->len - at - width;
    for (unsigned i = 0; i < width; i++)
        b->b[at + i] = (uint8_t)(n >> (8 * (width - 1 - i)));
}

void gen_set_u16(gen_buf *b, size_t at, uint16_t v)
{
    if (b->overflow || at + 2 > b->len) return;
    b->b[at] = (uint8_t)(v >> 8);
    b->b[at + 1] = (uint8_t)v;
}

void gen_eth(gen_buf *b, const uint8_t dst[6], const uint8_t src[6], uint16_t type)
{
    gen_put(b, dst, 6);
    gen_put(b, src, 6);
    gen_u16(b, type);
}

/* The TPID is the previous header's type field; this writes TCI and the next type. */
void gen_vlan(gen_buf *b, uint16_t vid, uint16_t next_type)
{
    gen_u16(b, vid & 0x0fff);
    gen_u16(b, next_type);
}

void gen_ipv4(gen_buf *b, const uint8_t src[4], const uint8_t dst[4], uint8_t proto,
              const gen_ipopt *opt)
{
    b->l3_off = b->len;
    gen_u8(b, 0x45);
    gen_u8(b, 0);
    gen_u16(b, 0); /* total length: gen_finish */
    gen_u16(b, opt ? opt->id : 0);
    gen_u16(b, opt && opt->frag ? opt->frag : 0x4000); /* DF unless fragmenting */
    gen_u8(b, opt && opt->ttl ? opt->ttl : 64);
    gen_u8(b, proto);
    gen_u16(b, 0); /* checksum: gen_finish */
    gen_put(b, src, 4);
    gen_put(b, dst, 4);
}

/* An 8-byte options header holding one 4-byte PadN, the smallest legal Hop-by-Hop or
 * Destination Options header. */
static void gen_ipv6_padn_hdr(gen_buf *b, uint8_t next)
{
    static const uint8_t padn[6] = {1, 4, 0, 0, 0, 0};
    gen_u8(b, next);
    gen_u8(b, 0);
    gen_put(b, padn, sizeof padn);
}

void gen_ipv6(gen_buf *b, const uint8_t src[16], const uint8_t dst[16], uint8_t proto,
              const gen_ipopt *opt)
{
    bool ext = opt && opt->v6_ext;
    b->l3_off = b->len;
    gen_u32(b, 0x60000000u);
    gen_u16(b, 0); /* payload length: gen_finish */
    gen_u8(b, ext ? 0 : proto);
    gen_u8(b, opt && opt->ttl ? opt->ttl : 64);
    gen_put(b, src, 16);
    gen_put(b, dst, 16);
    if (ext) {
        gen_ipv6_padn_hdr(b, 60);    /* Hop-by-Hop -> Destination Options */
        gen_ipv6_padn_hdr(b, proto); /* Destination Options -> upper layer */
    }
}

void gen_ip(gen_buf *b, const gen_host *src, const gen_host *dst, uint8_t proto,
            const gen_ipopt *opt)
{
    if (src->v6)
        gen_ipv6(b, src->ip, dst->ip, proto, opt);
    else
        gen_ipv4(b, src->ip, dst->ip, proto, opt);
}

void gen_tcp(gen_buf *b, const gen_tcphdr *t)
{
    b->l4_off = b->len;
    b->l4_proto = 6;
    gen_u16(b, t->sport);
    gen_u16(b, t->dport);
    gen_u32(b, t->seq);
    gen_u32(b, (t->flags & GEN_ACK) ? t->ack : 0);
    gen_u8(b, (uint8_t)((t->mss ? 6 : 5) << 4));
    gen_u8(b, t->flags);
    gen_u16(b, t->win ? t->win : 64240);
    gen_u16(b, 0);                       /* checksum */
    gen_u16(b, 0);                       /* urgent pointer */
    if (t->mss) gen_u32(b, 0x020405b4u); /* kind 2, len 4, 1460 */
}

void gen_udp(gen_buf *b, uint16_t sport, uint16_t dport)
{
    b->l4_off = b->len;
    b->l4_proto = 17;
    gen_u16(b, sport);
    gen_u16(b, dport);
    gen_u16(b, 0); /* length */
    gen_u16(b, 0); /* checksum */
}

void gen_icmp(gen_buf *b, uint8_t type, uint8_t code, uint32_t rest)
{
    b->l4_off = b->len;
    b->l4_proto = 1;
    gen_u8(b, type);
    gen_u8(b, code);
    gen_u16(b, 0);
    gen_u32(b, rest);
}

void gen_icmp6(gen_buf *b, uint8_t type, uint8_t code, uint32_t rest)
{
    gen_icmp(b, type, code, rest);
    b->l4_proto = 58;
}

uint16_t gen_csum(const uint8_t *p, size_t n, uint32_t sum)
{
    for (size_t i = 0; i + 1 < n; i += 2)
        sum += (uint32_t)(p[i] << 8 | p[i + 1]);
    if (n & 1) sum += (uint32_t)(p[n - 1] << 8);
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

/* Partial sum of the IPv4 or IPv6 pseudo header for the transport header at l4_off. */
static uint32_t gen_pseudo_sum(const gen_buf *b, size_t l4_len)
{
    const uint8_t *ip = b->b + b->l3_off;
    bool v6 = (ip[0] >> 4) == 6;
    const uint8_t *addrs = ip + (v6 ? 8 : 12);
    size_t alen = v6 ? 32 : 8;
    uint32_t sum = 0;
    for (size_t i = 0; i < alen; i += 2)
        sum += (uint32_t)(addrs[i] << 8 | addrs[i + 1]);
    return sum + b->l4_proto + (uint32_t)(l4_len >> 16) + (uint32_t)(l4_len & 0xffff);
}

static void gen_finish_l4(gen_buf *b)
{
    size_t l4 = b->l4_off, n = b->len - l4;
    size_t at = l4 + (b->l4_proto == 6 ? 16 : b->l4_proto == 17 ? 6 : 2);
    if (b->l4_proto == 17) gen_set_u16(b, l4 + 4, (uint16_t)n);
    uint32_t pseudo = b->l4_proto == 1 ? 0 : gen_pseudo_sum(b, n);
    uint16_t sum = gen_csum(b->b + l4, n, pseudo);
    if (b->l4_proto == 17 && sum == 0) sum = 0xffff; /* 0 means "no checksum" in UDP */
    gen_set_u16(b, at, sum);
}

void gen_finish(gen_buf *b)
{
    if (b->overflow || b->l3_off == SIZE_MAX) return;
    if (b->l4_off != SIZE_MAX) gen_finish_l4(b);
    size_t l3 = b->l3_off;
    if ((b->b[l3] >> 4) == 6) {
        gen_set_u16(b, l3 + 4, (uint16_t)(b->len - l3 - 40));
        return;
    }
    gen_set_u16(b, l3 + 2, (uint16_t)(b->len - l3));
    gen_set_u16(b, l3 + 10, gen_csum(b->b + l3, 20, 0));
}

void gen_pad60(gen_buf *b)
{
    if (b->len < 60) gen_zero(b, 60 - b->len);
}

uint32_t gen_rand(gen_rng *r)
{
    /* splitmix64: tiny, seedable, and identical on every platform. */
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return (uint32_t)((z ^ (z >> 31)) >> 32);
}

void gen_arp(gen_buf *b, uint16_t op, const uint8_t sha[6], const uint8_t spa[4],
             const uint8_t tha[6], const uint8_t tpa[4])
{
    gen_u16(b, 1);      /* Ethernet */
    gen_u16(b, 0x0800); /* IPv4 */
    gen_u8(b, 6);
    gen_u8(b, 4);
    gen_u16(b, op);
    gen_put(b, sha, 6);
    gen_put(b, spa, 4);
    gen_put(b, tha, 6);
    gen_put(b, tpa, 4);
}
