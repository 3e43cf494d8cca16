/* collectors/wire.c - the observation wire format; the byte layout and the rules are in
 * collectors/WIRE.md.
 *
 * Each kind's body is one list of fields, X(type, member, limit), in wire order. The encoder,
 * the decoder and the size bound are all expanded from that one list, so they cannot drift
 * apart; the expansion is straight-line code per kind because a table walk cost the engine
 * thread (which shares the cores with the workers) about 1,300 instructions per observation.
 * The encoding is canonical: every field has exactly one valid byte form (absent MAC/IP are
 * zero, booleans are 0/1, lengths are exact), so a message that decodes re-encodes to the same
 * bytes, which is what the fuzzer checks. */
#include "coll/wire.h"

#include <stddef.h>

#define WIRE_MAGIC      "SSFO"
#define WIRE_MAGIC_LEN  4
#define WIRE_HDR_LEN    10 /* magic, version, kind, probe_id, body length */
#define WIRE_EP_LEN     25 /* flags, mac, ip, vlan                        */
#define WIRE_VLAN_MAX   4095
#define WIRE_EP_HAS_MAC 0x01
#define WIRE_EP_HAS_IP  0x02

#define U8MAX  UINT8_MAX
#define U16MAX UINT16_MAX
#define U32MAX UINT32_MAX
#define U64MAX UINT64_MAX

/* Field types: U8/U16/U32/U64 (big-endian, at most `limit`), MAC (6 bytes), ADDR (ssf_addr,
 * 16 bytes), EP (coll_endpoint_t, 25 bytes), STR (char[limit]: u8 length + that many printable
 * bytes). */
#define WIRE_FLOW_FIELDS(X)                                                                        \
    X(EP, u.flow.client, 0)                                                                        \
    X(EP, u.flow.server, 0)                                                                        \
    X(U16, u.flow.client_port, U16MAX)                                                             \
    X(U16, u.flow.server_port, U16MAX)                                                             \
    X(U8, u.flow.l4_proto, U8MAX)                                                                  \
    X(U8, u.flow.final, 1)                                                                         \
    X(U16, u.flow.app_proto, U16MAX)                                                               \
    X(U16, u.flow.master_proto, U16MAX)                                                            \
    X(STR, u.flow.app_name, COLL_NAME_MAX)                                                         \
    X(STR, u.flow.category, COLL_NAME_MAX)                                                         \
    X(U64, u.flow.risk, U64MAX)                                                                    \
    X(U64, u.flow.first_us, U64MAX)                                                                \
    X(U64, u.flow.last_us, U64MAX)                                                                 \
    X(U64, u.flow.pkts[0], U64MAX)                                                                 \
    X(U64, u.flow.pkts[1], U64MAX)                                                                 \
    X(U64, u.flow.bytes[0], U64MAX)                                                                \
    X(U64, u.flow.bytes[1], U64MAX)                                                                \
    X(U8, u.flow.answered, 1)                                                                      \
    X(U64, u.flow.frame, U64MAX)                                                                   \
    X(U16, u.flow.input, U16MAX)

/* field is bounded to a byte so the engine can index its per-field tables with it; whether the
 * value names a real probe_ev_field is the engine's call. */
#define WIRE_EV_FIELDS(X)                                                                          \
    X(EP, u.ev.subject, 0)                                                                         \
    X(EP, u.ev.peer, 0)                                                                            \
    X(U16, u.ev.field, U8MAX)                                                                      \
    X(U8, u.ev.l4_proto, U8MAX)                                                                    \
    X(U16, u.ev.sport, U16MAX)                                                                     \
    X(U16, u.ev.dport, U16MAX)                                                                     \
    X(U64, u.ev.ts_us, U64MAX)                                                                     \
    X(U64, u.ev.frame, U64MAX)                                                                     \
    X(U16, u.ev.input, U16MAX)                                                                     \
    X(STR, u.ev.source, COLL_SOURCE_MAX)                                                           \
    X(STR, u.ev.value, COLL_VALUE_MAX)                                                             \
    X(U32, u.ev.count, U32MAX)

#define WIRE_ARP_FIELDS(X)                                                                         \
    X(MAC, u.arp.mac, 0)                                                                           \
    X(ADDR, u.arp.ip, 0)                                                                           \
    X(U16, u.arp.vlan, WIRE_VLAN_MAX)                                                              \
    X(U64, u.arp.ts_us, U64MAX)

/* How the accessors reach a member: strings as their char array, everything else by address,
 * typed, so a list entry whose type does not match its member does not compile. */
#define WIRE_REF_U8(m)   (&(m))
#define WIRE_REF_U16(m)  (&(m))
#define WIRE_REF_U32(m)  (&(m))
#define WIRE_REF_U64(m)  (&(m))
#define WIRE_REF_MAC(m)  (m)
#define WIRE_REF_ADDR(m) (&(m))
#define WIRE_REF_EP(m)   (&(m))
#define WIRE_REF_STR(m)  (m)

/* The longest each field can be on the wire. */
#define WIRE_LEN_U8(lim)    1
#define WIRE_LEN_U16(lim)   2
#define WIRE_LEN_U32(lim)   4
#define WIRE_LEN_U64(lim)   8
#define WIRE_LEN_MAC(lim)   6
#define WIRE_LEN_ADDR(lim)  16
#define WIRE_LEN_EP(lim)    WIRE_EP_LEN
#define WIRE_LEN_STR(lim)   (lim) /* length byte + at most lim - 1 characters */
#define WIRE_LEN(t, m, lim) +WIRE_LEN_##t(lim)

enum {
    WIRE_FLOW_BODY_MAX = 0 WIRE_FLOW_FIELDS(WIRE_LEN),
    WIRE_EV_BODY_MAX = 0 WIRE_EV_FIELDS(WIRE_LEN),
    WIRE_ARP_BODY_MAX = 0 WIRE_ARP_FIELDS(WIRE_LEN),
};

/* Strings are copied and checked eight bytes at a time: reading a whole word of the char array
 * (encoder) or writing one into it (decoder) stays inside it only if its size is a multiple of
 * 8. A string's length travels in one byte, so no buffer may hold more than 255 characters. */
#define WIRE_STR_OK(m, lim)                                                                        \
    (sizeof(((coll_obs_t *)0)->m) == (lim) && (lim) % 8 == 0 && (lim) <= 256)
#define WIRE_ASSERT_STR(t, m, lim)                                                                 \
    _Static_assert(!WIRE_IS_STR_##t || WIRE_STR_OK(m, lim), "string field " #m);
#define WIRE_IS_STR_U8   0
#define WIRE_IS_STR_U16  0
#define WIRE_IS_STR_U32  0
#define WIRE_IS_STR_U64  0
#define WIRE_IS_STR_MAC  0
#define WIRE_IS_STR_ADDR 0
#define WIRE_IS_STR_EP   0
#define WIRE_IS_STR_STR  1
WIRE_FLOW_FIELDS(WIRE_ASSERT_STR)
WIRE_EV_FIELDS(WIRE_ASSERT_STR)
WIRE_ARP_FIELDS(WIRE_ASSERT_STR)

/* The encoder writes a string's characters a word at a time, so up to 8 bytes past a body's
 * longest form; the fast path needs that room inside COLL_WIRE_MAX. */
#define WIRE_BODY_MAX 400
_Static_assert(WIRE_FLOW_BODY_MAX <= WIRE_BODY_MAX && WIRE_EV_BODY_MAX <= WIRE_BODY_MAX &&
                   WIRE_ARP_BODY_MAX <= WIRE_BODY_MAX,
               "a body outgrew WIRE_BODY_MAX");
_Static_assert(WIRE_HDR_LEN + WIRE_BODY_MAX + 8 <= COLL_WIRE_MAX, "COLL_WIRE_MAX too small");
_Static_assert(WIRE_BODY_MAX <= UINT16_MAX, "body length is u16 on the wire");

/* ---- bytes and words ------------------------------------------------------------------------ */

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define WIRE_LE64(x) __builtin_bswap64(x)
#define WIRE_BE64(x) (x)
#define WIRE_BE32(x) (x)
#define WIRE_BE16(x) (x)
#else
#define WIRE_LE64(x) (x)
#define WIRE_BE64(x) __builtin_bswap64(x)
#define WIRE_BE32(x) __builtin_bswap32(x)
#define WIRE_BE16(x) __builtin_bswap16(x)
#endif

/* Little-endian word: byte i of memory is bits 8i..8i+7 whatever the host, so masks and
 * count-trailing-zeros below name bytes in memory order. */
static inline uint64_t ld_le64(const void *p)
{
    uint64_t w;
    memcpy(&w, p, 8);
    return WIRE_LE64(w);
}

static inline void st_le64(void *p, uint64_t w)
{
    w = WIRE_LE64(w);
    memcpy(p, &w, 8);
}

static inline uint64_t ld_be(const uint8_t *p, unsigned width)
{
    uint64_t v64;
    uint32_t v32;
    uint16_t v16;
    switch (width) {
    case 1:
        return *p;
    case 2:
        memcpy(&v16, p, 2);
        return WIRE_BE16(v16);
    case 4:
        memcpy(&v32, p, 4);
        return WIRE_BE32(v32);
    default:
        memcpy(&v64, p, 8);
        return WIRE_BE64(v64);
    }
}

static inline void st_be(uint8_t *p, uint64_t v, unsigned width)
{
    uint64_t v64 = WIRE_BE64(v);
    uint32_t v32 = WIRE_BE32((uint32_t)v);
    uint16_t v16 = WIRE_BE16((uint16_t)v);
    switch (width) {
    case 1:
        *p = (uint8_t)v;
        break;
    case 2:
        memcpy(p, &v16, 2);
        break;
    case 4:
        memcpy(p, &v32, 4);
        break;
    default:
        memcpy(p, &v64, 8);
        break;
    }
}

/* The high bit of each byte of w that lies outside 0x20..0x7e. Exact per byte (nothing carries
 * between bytes), so a mask may cut off bytes that are not part of a string. */
static inline uint64_t wire_unprintable(uint64_t w)
{
    const uint64_t low7 = 0x7f7f7f7f7f7f7f7full, high = 0x8080808080808080ull;
    uint64_t y = w & low7;
    uint64_t ge20 = y + 0x6060606060606060ull; /* high bit: low 7 bits >= 0x20 */
    uint64_t is7f = y + 0x0101010101010101ull; /* high bit: low 7 bits == 0x7f */
    return ((~ge20 & ~w) | w | is7f) & high;
}

/* ---- encoding ------------------------------------------------------------------------------ */

/* The writers run on a buffer with room for WIRE_BODY_MAX + 8 (coll_wire_encode sees to it),
 * so they check values, never space. Each returns false for what the decoder would refuse, so a
 * probe never sends a message the engine drops. */
static inline bool wire_put_int(uint8_t **pp, uint64_t v, uint64_t lim, unsigned width)
{
    if (v > lim) return false;
    st_be(*pp, v, width);
    *pp += width;
    return true;
}

static inline bool wire_put_U8(uint8_t **pp, const uint8_t *v, uint64_t lim)
{
    return wire_put_int(pp, *v, lim, 1);
}

static inline bool wire_put_U16(uint8_t **pp, const uint16_t *v, uint64_t lim)
{
    return wire_put_int(pp, *v, lim, 2);
}

static inline bool wire_put_U32(uint8_t **pp, const uint32_t *v, uint64_t lim)
{
    return wire_put_int(pp, *v, lim, 4);
}

static inline bool wire_put_U64(uint8_t **pp, const uint64_t *v, uint64_t lim)
{
    return wire_put_int(pp, *v, lim, 8);
}

static inline bool wire_put_MAC(uint8_t **pp, const uint8_t *mac, uint64_t lim)
{
    (void)lim;
    memcpy(*pp, mac, 6);
    *pp += 6;
    return true;
}

static inline bool wire_put_ADDR(uint8_t **pp, const ssf_addr *a, uint64_t lim)
{
    (void)lim;
    memcpy(*pp, a->b, 16);
    *pp += 16;
    return true;
}

/* Absent MAC/IP go out as zeros whatever the struct holds, keeping the encoding canonical. */
static inline bool wire_put_EP(uint8_t **pp, const coll_endpoint_t *e, uint64_t lim)
{
    (void)lim;
    uint8_t *p = *pp;
    if (e->vlan > WIRE_VLAN_MAX) return false;
    p[0] = (uint8_t)((e->has_mac ? WIRE_EP_HAS_MAC : 0) | (e->has_ip ? WIRE_EP_HAS_IP : 0));
    if (e->has_mac)
        memcpy(p + 1, e->mac, 6);
    else
        memset(p + 1, 0, 6);
    if (e->has_ip)
        memcpy(p + 7, e->ip.b, 16);
    else
        memset(p + 7, 0, 16);
    st_be(p + 23, e->vlan, 2);
    *pp = p + WIRE_EP_LEN;
    return true;
}

/* Finds the NUL and checks printability in one pass, a word at a time, copying each word out
 * as it goes (bytes past the NUL land where the next field will overwrite them). The first
 * byte outside 0x20..0x7e must be the NUL; none within size is a refusal. */
static inline bool wire_put_STR(uint8_t **pp, const char *s, uint64_t size)
{
    uint8_t *p = *pp, *chars = p + 1;
    for (size_t i = 0; i < size; i += 8) {
        uint64_t w = ld_le64(s + i), bad = wire_unprintable(w);
        st_le64(chars + i, w);
        if (!bad) continue;
        unsigned at = (unsigned)__builtin_ctzll(bad) / 8;
        if ((w >> (8 * at)) & 0xff) return false;
        p[0] = (uint8_t)(i + at);
        *pp = chars + i + at;
        return true;
    }
    return false;
}

#define WIRE_PUT(t, m, lim)                                                                        \
    if (!wire_put_##t(&p, WIRE_REF_##t(o->m), lim)) return 0;

/* A flow that ends before it starts would give the engine negative durations. */
static size_t wire_put_flow(const coll_obs_t *o, uint8_t *body)
{
    uint8_t *p = body;
    if (o->u.flow.last_us < o->u.flow.first_us) return 0;
    WIRE_FLOW_FIELDS(WIRE_PUT)
    return (size_t)(p - body);
}

/* An observation stands for at least one sighting; a zero would be a fact nobody saw. */
static size_t wire_put_ev(const coll_obs_t *o, uint8_t *body)
{
    uint8_t *p = body;
    if (o->u.ev.count < 1) return 0;
    WIRE_EV_FIELDS(WIRE_PUT)
    return (size_t)(p - body);
}

static size_t wire_put_arp(const coll_obs_t *o, uint8_t *body)
{
    uint8_t *p = body;
    WIRE_ARP_FIELDS(WIRE_PUT)
    return (size_t)(p - body);
}

#undef WIRE_PUT

/* Writes header and body into buf, which has room for COLL_WIRE_MAX bytes. 0 on refusal. */
static size_t wire_encode_roomy(const coll_obs_t *obs, uint8_t *buf)
{
    uint8_t *body = buf + WIRE_HDR_LEN;
    size_t n;
    switch (obs->kind) {
    case COLL_OBS_FLOW:
        n = wire_put_flow(obs, body);
        break;
    case COLL_OBS_EVIDENCE:
        n = wire_put_ev(obs, body);
        break;
    case COLL_OBS_ARP:
        n = wire_put_arp(obs, body);
        break;
    default:
        return 0;
    }
    if (n == 0) return 0;
    memcpy(buf, WIRE_MAGIC, WIRE_MAGIC_LEN);
    buf[COLL_WIRE_VERSION_AT] = COLL_WIRE_VERSION;
    buf[5] = obs->kind;
    st_be(buf + 6, obs->probe_id, 2);
    st_be(buf + 8, n, 2);
    return WIRE_HDR_LEN + n;
}

size_t coll_wire_encode(const coll_obs_t *obs, uint8_t *buf, size_t cap)
{
    if (!obs || !buf || cap < WIRE_HDR_LEN) return 0;
    /* The sender always leaves COLL_WIRE_MAX of room; a smaller cap goes through a scratch
     * buffer so that nothing is ever written at or past buf + cap. */
    if (cap >= COLL_WIRE_MAX) return wire_encode_roomy(obs, buf);
    uint8_t tmp[COLL_WIRE_MAX];
    size_t n = wire_encode_roomy(obs, tmp);
    if (n == 0 || n > cap) return 0;
    memcpy(buf, tmp, n);
    return n;
}

/* ---- decoding ------------------------------------------------------------------------------ */

/* The readers take the next field from [*pp, end), refusing a short body or a bad value; they
 * store into a zeroed coll_obs_t. */
static inline bool wire_get_int(const uint8_t **pp, const uint8_t *end, uint64_t *v, uint64_t lim,
                                unsigned width)
{
    if ((size_t)(end - *pp) < width) return false;
    *v = ld_be(*pp, width);
    *pp += width;
    return *v <= lim;
}

static inline bool wire_get_U8(const uint8_t **pp, const uint8_t *end, uint8_t *m, uint64_t lim)
{
    uint64_t v;
    if (!wire_get_int(pp, end, &v, lim, 1)) return false;
    *m = (uint8_t)v;
    return true;
}

static inline bool wire_get_U16(const uint8_t **pp, const uint8_t *end, uint16_t *m, uint64_t lim)
{
    uint64_t v;
    if (!wire_get_int(pp, end, &v, lim, 2)) return false;
    *m = (uint16_t)v;
    return true;
}

static inline bool wire_get_U32(const uint8_t **pp, const uint8_t *end, uint32_t *m, uint64_t lim)
{
    uint64_t v;
    if (!wire_get_int(pp, end, &v, lim, 4)) return false;
    *m = (uint32_t)v;
    return true;
}

static inline bool wire_get_U64(const uint8_t **pp, const uint8_t *end, uint64_t *m, uint64_t lim)
{
    return wire_get_int(pp, end, m, lim, 8);
}

static inline bool wire_get_MAC(const uint8_t **pp, const uint8_t *end, uint8_t *mac, uint64_t lim)
{
    (void)lim;
    if (end - *pp < 6) return false;
    memcpy(mac, *pp, 6);
    *pp += 6;
    return true;
}

static inline bool wire_get_ADDR(const uint8_t **pp, const uint8_t *end, ssf_addr *a, uint64_t lim)
{
    (void)lim;
    if (end - *pp < 16) return false;
    memcpy(a->b, *pp, 16);
    *pp += 16;
    return true;
}

static inline bool wire_get_EP(const uint8_t **pp, const uint8_t *end, coll_endpoint_t *e,
                               uint64_t lim)
{
    (void)lim;
    const uint8_t *p = *pp;
    if (end - p < WIRE_EP_LEN) return false;
    uint8_t flags = p[0];
    uint64_t mac = 0, ip = ld_le64(p + 7) | ld_le64(p + 15);
    uint16_t vlan = (uint16_t)ld_be(p + 23, 2);
    memcpy(&mac, p + 1, 6);
    if (flags & ~(WIRE_EP_HAS_MAC | WIRE_EP_HAS_IP)) return false;
    if ((!(flags & WIRE_EP_HAS_MAC) && mac) || (!(flags & WIRE_EP_HAS_IP) && ip)) return false;
    if (vlan > WIRE_VLAN_MAX) return false;
    e->has_mac = flags & WIRE_EP_HAS_MAC;
    e->has_ip = (flags & WIRE_EP_HAS_IP) >> 1;
    memcpy(e->mac, p + 1, 6);
    memcpy(e->ip.b, p + 7, 16);
    e->vlan = vlan;
    *pp = p + WIRE_EP_LEN;
    return true;
}

/* The length byte is checked against the buffer and the body before a single byte is copied.
 * Characters move a word at a time; the last, partial word is masked, so the bytes of s past
 * the string stay zero. A partial word reads ahead of the string only when the body has the
 * bytes. */
static inline bool wire_get_STR(const uint8_t **pp, const uint8_t *end, char *s, uint64_t size)
{
    const uint8_t *p = *pp;
    if (p == end) return false;
    size_t len = *p++;
    if (len >= size || (size_t)(end - p) < len) return false;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w = ld_le64(p + i);
        if (wire_unprintable(w)) return false;
        st_le64(s + i, w);
    }
    if (i < len) {
        size_t r = len - i;
        uint64_t keep = (1ull << (8 * r)) - 1, w = 0;
        if ((size_t)(end - p) - i >= 8)
            w = ld_le64(p + i) & keep;
        else
            for (size_t k = 0; k < r; k++)
                w |= (uint64_t)p[i + k] << (8 * k);
        if (wire_unprintable(w) & keep) return false;
        st_le64(s + i, w); /* i + 8 <= size: i < len < size, both multiples of 8 */
    }
    *pp = p + len;
    return true;
}

#define WIRE_GET(t, m, lim)                                                                        \
    if (!wire_get_##t(&p, end, WIRE_REF_##t(o->m), lim)) return false;

/* Each takes exactly the body: a field running short or bytes left over are refusals. */
static bool wire_get_flow(const uint8_t *p, const uint8_t *end, coll_obs_t *o)
{
    WIRE_FLOW_FIELDS(WIRE_GET)
    return p == end && o->u.flow.last_us >= o->u.flow.first_us;
}

static bool wire_get_ev(const uint8_t *p, const uint8_t *end, coll_obs_t *o)
{
    WIRE_EV_FIELDS(WIRE_GET)
    return p == end && o->u.ev.count >= 1;
}

static bool wire_get_arp(const uint8_t *p, const uint8_t *end, coll_obs_t *o)
{
    WIRE_ARP_FIELDS(WIRE_GET)
    return p == end;
}

#undef WIRE_GET

/* Header first: a short header or body is SSF_ETRUNC, anything else wrong SSF_EINVAL. */
static ssf_rc wire_decode(const uint8_t *buf, size_t n, coll_obs_t *out)
{
    if (n < WIRE_HDR_LEN) return SSF_ETRUNC;
    if (memcmp(buf, WIRE_MAGIC, WIRE_MAGIC_LEN) || buf[COLL_WIRE_VERSION_AT] != COLL_WIRE_VERSION)
        return SSF_EINVAL;
    out->kind = buf[5];
    out->probe_id = (uint16_t)ld_be(buf + 6, 2);
    size_t blen = (size_t)ld_be(buf + 8, 2);
    bool (*get)(const uint8_t *, const uint8_t *, coll_obs_t *);
    switch (out->kind) {
    case COLL_OBS_FLOW:
        get = wire_get_flow;
        break;
    case COLL_OBS_EVIDENCE:
        get = wire_get_ev;
        break;
    case COLL_OBS_ARP:
        get = wire_get_arp;
        break;
    default:
        return SSF_EINVAL;
    }
    if (n - WIRE_HDR_LEN < blen) return SSF_ETRUNC;
    if (n - WIRE_HDR_LEN > blen) return SSF_EINVAL; /* trailing bytes after the body */
    const uint8_t *body = buf + WIRE_HDR_LEN;
    return get(body, body + blen, out) ? SSF_OK : SSF_EINVAL;
}

ssf_rc coll_wire_decode(const uint8_t *buf, size_t n, coll_obs_t *out)
{
    if (!out) return SSF_EINVAL;
    memset(out, 0, sizeof *out);
    if (!buf) return SSF_EINVAL;
    ssf_rc rc = wire_decode(buf, n, out);
    if (rc != SSF_OK) memset(out, 0, sizeof *out); /* nothing half-filled survives a refusal */
    return rc;
}

size_t coll_wire_record_len(const uint8_t *buf, size_t n)
{
    if (n < WIRE_HDR_LEN || memcmp(buf, WIRE_MAGIC, WIRE_MAGIC_LEN) != 0) return 0;
    return WIRE_HDR_LEN + ((size_t)buf[8] << 8 | buf[9]);
}
