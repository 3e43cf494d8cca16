/* fuzz_wire_ref.h - the table-walking wire codec as it stood before the straight-line rewrite
 * (collectors/wire.c at 02d1562), kept as the oracle fuzz_wire_diff.c compares against: the
 * rewrite was for speed only, so both must accept, refuse and write exactly the same. Frozen:
 * change it only with a new wire version, together with collectors/wire.c, by hand from
 * collectors/WIRE.md (never from wire.c's field lists, or it would agree with any mistake).
 *
 * Version 3: a flow ends with its first packet's frame and input; the version is written here
 * rather than taken from coll/wire.h, so a bump there without this layout is caught too. */
#ifndef FUZZ_WIRE_REF_H
#define FUZZ_WIRE_REF_H

#include "coll/wire.h"

#include <stddef.h>

#define WIRE_MAGIC       "SSFO"
#define REF_WIRE_VERSION 3 /* the layout below, WIRE.md "Versioning" */
#define WIRE_MAGIC_LEN   4
#define WIRE_HDR_LEN     10 /* magic, version, kind, probe_id, body length */
#define WIRE_VLAN_MAX    4095
#define WIRE_EP_HAS_MAC  0x01
#define WIRE_EP_HAS_IP   0x02

/* A string's length travels in one byte, so no buffer may hold more than 255 characters. */
_Static_assert(COLL_NAME_MAX <= 256 && COLL_SOURCE_MAX <= 256 && COLL_VALUE_MAX <= 256,
               "string lengths are u8 on the wire");

typedef enum {
    WF_U8,   /* uint8_t member, 1 byte                               */
    WF_U16,  /* uint16_t member, 2 bytes BE                          */
    WF_U32,  /* uint32_t member, 4 bytes BE                          */
    WF_U64,  /* uint64_t member, 8 bytes BE                          */
    WF_MAC,  /* uint8_t[6], 6 bytes                                  */
    WF_ADDR, /* ssf_addr, 16 bytes                                   */
    WF_EP,   /* coll_endpoint_t, 25 bytes (see WIRE.md)              */
    WF_STR,  /* char[lim], u8 length + that many printable bytes     */
} wire_ftype;

typedef struct {
    uint8_t type; /* wire_ftype                                           */
    uint16_t off; /* offset of the member inside coll_obs_t               */
    uint64_t lim; /* integers: largest valid value; strings: buffer size  */
} wire_field;

typedef struct {
    const wire_field *fields;           /* body, in wire order                      */
    size_t n;                           /* number of fields                         */
    bool (*check)(const coll_obs_t *o); /* rules across fields, NULL when none      */
} wire_kind;

#define F(t, member, lim)                                                                          \
    {                                                                                              \
        t, (uint16_t)offsetof(coll_obs_t, member), lim                                             \
    }
#define U8MAX  UINT8_MAX
#define U16MAX UINT16_MAX
#define U32MAX UINT32_MAX
#define U64MAX UINT64_MAX

static const wire_field wire_flow_fields[] = {
    F(WF_EP, u.flow.client, 0),
    F(WF_EP, u.flow.server, 0),
    F(WF_U16, u.flow.client_port, U16MAX),
    F(WF_U16, u.flow.server_port, U16MAX),
    F(WF_U8, u.flow.l4_proto, U8MAX),
    F(WF_U8, u.flow.final, 1),
    F(WF_U16, u.flow.app_proto, U16MAX),
    F(WF_U16, u.flow.master_proto, U16MAX),
    F(WF_STR, u.flow.app_name, COLL_NAME_MAX),
    F(WF_STR, u.flow.category, COLL_NAME_MAX),
    F(WF_U64, u.flow.risk, U64MAX),
    F(WF_U64, u.flow.first_us, U64MAX),
    F(WF_U64, u.flow.last_us, U64MAX),
    F(WF_U64, u.flow.pkts[0], U64MAX),
    F(WF_U64, u.flow.pkts[1], U64MAX),
    F(WF_U64, u.flow.bytes[0], U64MAX),
    F(WF_U64, u.flow.bytes[1], U64MAX),
    F(WF_U8, u.flow.answered, 1),
    F(WF_U64, u.flow.frame, U64MAX), /* v3 */
    F(WF_U16, u.flow.input, U16MAX), /* v3 */
};

/* field is bounded to a byte so the engine can index its per-field tables with it; whether the
 * value names a real probe_ev_field is the engine's call. */
static const wire_field wire_ev_fields[] = {
    F(WF_EP, u.ev.subject, 0),
    F(WF_EP, u.ev.peer, 0),
    F(WF_U16, u.ev.field, U8MAX),
    F(WF_U8, u.ev.l4_proto, U8MAX),
    F(WF_U16, u.ev.sport, U16MAX),
    F(WF_U16, u.ev.dport, U16MAX),
    F(WF_U64, u.ev.ts_us, U64MAX),
    F(WF_U64, u.ev.frame, U64MAX),
    F(WF_U16, u.ev.input, U16MAX),
    F(WF_STR, u.ev.source, COLL_SOURCE_MAX),
    F(WF_STR, u.ev.value, COLL_VALUE_MAX),
    F(WF_U32, u.ev.count, U32MAX),
};

static const wire_field wire_arp_fields[] = {
    F(WF_MAC, u.arp.mac, 0),
    F(WF_ADDR, u.arp.ip, 0),
    F(WF_U16, u.arp.vlan, WIRE_VLAN_MAX),
    F(WF_U64, u.arp.ts_us, U64MAX),
};

#undef F

/* A flow that ends before it starts would give the engine negative durations. */
static bool wire_flow_check(const coll_obs_t *o)
{
    return o->u.flow.last_us >= o->u.flow.first_us;
}

/* An observation stands for at least one sighting; a zero would be a fact nobody saw. */
static bool wire_ev_check(const coll_obs_t *o)
{
    return o->u.ev.count >= 1;
}

static const wire_kind wire_kinds[COLL_OBS_KIND_MAX + 1] = {
    [COLL_OBS_FLOW] = {wire_flow_fields, SSF_ARRAY_LEN(wire_flow_fields), wire_flow_check},
    [COLL_OBS_EVIDENCE] = {wire_ev_fields, SSF_ARRAY_LEN(wire_ev_fields), wire_ev_check},
    [COLL_OBS_ARP] = {wire_arp_fields, SSF_ARRAY_LEN(wire_arp_fields), NULL},
};

static const wire_kind *wire_kind_of(unsigned kind)
{
    if (kind >= SSF_ARRAY_LEN(wire_kinds) || !wire_kinds[kind].fields) return NULL;
    return &wire_kinds[kind];
}

static size_t wire_int_width(uint8_t type)
{
    return type == WF_U8 ? 1 : type == WF_U16 ? 2 : type == WF_U32 ? 4 : 8;
}

static bool wire_is_zero(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i]) return false;
    return true;
}

static bool wire_is_printable(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] < 0x20 || p[i] > 0x7e) return false;
    return true;
}

/* ---- encoding ------------------------------------------------------------------------------ */

/* A bounded writer: every put checks the room left, so nothing lands past cap. */
typedef struct {
    uint8_t *p;
    uint8_t *end;
} wire_out;

static bool wire_put(wire_out *w, const void *src, size_t n)
{
    if ((size_t)(w->end - w->p) < n) return false;
    memcpy(w->p, src, n);
    w->p += n;
    return true;
}

static bool wire_put_uint(wire_out *w, uint64_t v, size_t width)
{
    uint8_t b[8];
    for (size_t i = 0; i < width; i++)
        b[i] = (uint8_t)(v >> (8 * (width - 1 - i)));
    return wire_put(w, b, width);
}

/* Absent MAC/IP go out as zeros whatever the struct holds, keeping the encoding canonical. */
static bool wire_put_ep(wire_out *w, const coll_endpoint_t *e)
{
    static const uint8_t zero[16];
    uint8_t flags =
        (uint8_t)((e->has_mac ? WIRE_EP_HAS_MAC : 0) | (e->has_ip ? WIRE_EP_HAS_IP : 0));
    if (e->vlan > WIRE_VLAN_MAX) return false;
    return wire_put_uint(w, flags, 1) && wire_put(w, e->has_mac ? e->mac : zero, 6) &&
           wire_put(w, e->has_ip ? e->ip.b : zero, 16) && wire_put_uint(w, e->vlan, 2);
}

/* Refuses what the decoder would refuse, so a probe never sends a message the engine drops. */
static bool wire_put_str(wire_out *w, const char *s, size_t size)
{
    size_t len = strnlen(s, size);
    if (len >= size || !wire_is_printable((const uint8_t *)s, len)) return false;
    return wire_put_uint(w, len, 1) && wire_put(w, s, len);
}

/* Integer members are reached through their real type; the table says which. */
static uint64_t wire_load_int(const uint8_t *m, uint8_t type)
{
    if (type == WF_U8) return *m;
    if (type == WF_U16) return *(const uint16_t *)(const void *)m;
    if (type == WF_U32) return *(const uint32_t *)(const void *)m;
    return *(const uint64_t *)(const void *)m;
}

static void wire_store_int(uint8_t *m, uint8_t type, uint64_t v)
{
    if (type == WF_U8)
        *m = (uint8_t)v;
    else if (type == WF_U16)
        *(uint16_t *)(void *)m = (uint16_t)v;
    else if (type == WF_U32)
        *(uint32_t *)(void *)m = (uint32_t)v;
    else
        *(uint64_t *)(void *)m = v;
}

static bool wire_put_field(wire_out *w, const wire_field *f, const uint8_t *base)
{
    const uint8_t *m = base + f->off;
    switch (f->type) {
    case WF_MAC:
        return wire_put(w, m, 6);
    case WF_ADDR:
        return wire_put(w, m, sizeof(ssf_addr));
    case WF_EP:
        return wire_put_ep(w, (const coll_endpoint_t *)(const void *)m);
    case WF_STR:
        return wire_put_str(w, (const char *)m, (size_t)f->lim);
    default:
        break;
    }
    uint64_t v = wire_load_int(m, f->type);
    if (v > f->lim) return false;
    return wire_put_uint(w, v, wire_int_width(f->type));
}

static size_t ref_wire_encode(const coll_obs_t *obs, uint8_t *buf, size_t cap)
{
    if (!obs || !buf || cap < WIRE_HDR_LEN) return 0;
    const wire_kind *k = wire_kind_of(obs->kind);
    if (!k || (k->check && !k->check(obs))) return 0;

    wire_out w = {buf + WIRE_HDR_LEN, buf + cap};
    for (size_t i = 0; i < k->n; i++)
        if (!wire_put_field(&w, &k->fields[i], (const uint8_t *)obs)) return 0;

    size_t body = (size_t)(w.p - (buf + WIRE_HDR_LEN));
    wire_out h = {buf, buf + WIRE_HDR_LEN};
    wire_put(&h, WIRE_MAGIC, WIRE_MAGIC_LEN);
    wire_put_uint(&h, REF_WIRE_VERSION, 1);
    wire_put_uint(&h, obs->kind, 1);
    wire_put_uint(&h, obs->probe_id, 2);
    wire_put_uint(&h, body, 2);
    return WIRE_HDR_LEN + body;
}

/* ---- decoding ------------------------------------------------------------------------------ */

static bool wire_get_uint(ssf_cur *c, size_t width, uint64_t *v)
{
    const uint8_t *p;
    if (!ssf_cur_bytes(c, width, &p)) return false;
    *v = 0;
    for (size_t i = 0; i < width; i++)
        *v = *v << 8 | p[i];
    return true;
}

static bool wire_get_ep(ssf_cur *c, coll_endpoint_t *e)
{
    uint8_t flags;
    const uint8_t *mac, *ip;
    uint16_t vlan;
    if (!ssf_cur_u8(c, &flags) || !ssf_cur_bytes(c, 6, &mac) || !ssf_cur_bytes(c, 16, &ip) ||
        !ssf_cur_u16be(c, &vlan))
        return false;
    if (flags & ~(WIRE_EP_HAS_MAC | WIRE_EP_HAS_IP)) return false;
    e->has_mac = (flags & WIRE_EP_HAS_MAC) ? 1 : 0;
    e->has_ip = (flags & WIRE_EP_HAS_IP) ? 1 : 0;
    if ((!e->has_mac && !wire_is_zero(mac, 6)) || (!e->has_ip && !wire_is_zero(ip, 16)))
        return false;
    if (vlan > WIRE_VLAN_MAX) return false;
    memcpy(e->mac, mac, 6);
    memcpy(e->ip.b, ip, 16);
    e->vlan = vlan;
    return true;
}

/* The length byte is checked against the buffer before a single byte is copied. */
static bool wire_get_str(ssf_cur *c, char *s, size_t size)
{
    uint8_t len;
    const uint8_t *p;
    if (!ssf_cur_u8(c, &len) || len >= size || !ssf_cur_bytes(c, len, &p)) return false;
    if (!wire_is_printable(p, len)) return false;
    memcpy(s, p, len);
    s[len] = '\0';
    return true;
}

static bool wire_get_raw(ssf_cur *c, uint8_t *m, size_t n)
{
    const uint8_t *p;
    if (!ssf_cur_bytes(c, n, &p)) return false;
    memcpy(m, p, n);
    return true;
}

static bool wire_get_field(ssf_cur *c, const wire_field *f, uint8_t *base)
{
    uint8_t *m = base + f->off;
    uint64_t v;
    switch (f->type) {
    case WF_MAC:
        return wire_get_raw(c, m, 6);
    case WF_ADDR:
        return wire_get_raw(c, m, sizeof(ssf_addr));
    case WF_EP:
        return wire_get_ep(c, (coll_endpoint_t *)(void *)m);
    case WF_STR:
        return wire_get_str(c, (char *)m, (size_t)f->lim);
    default:
        break;
    }
    if (!wire_get_uint(c, wire_int_width(f->type), &v) || v > f->lim) return false;
    wire_store_int(m, f->type, v);
    return true;
}

/* Reads the header and splits off exactly the body it announces. */
static ssf_rc wire_get_header(ssf_cur *c, coll_obs_t *out, ssf_cur *body)
{
    const uint8_t *magic;
    uint8_t version;
    uint16_t blen;
    if (!ssf_cur_bytes(c, WIRE_MAGIC_LEN, &magic) || !ssf_cur_u8(c, &version) ||
        !ssf_cur_u8(c, &out->kind) || !ssf_cur_u16be(c, &out->probe_id) || !ssf_cur_u16be(c, &blen))
        return SSF_ETRUNC;
    if (memcmp(magic, WIRE_MAGIC, WIRE_MAGIC_LEN) || version != REF_WIRE_VERSION) return SSF_EINVAL;
    if (!wire_kind_of(out->kind)) return SSF_EINVAL;
    if (!ssf_cur_sub(c, blen, body)) return SSF_ETRUNC;
    return ssf_cur_left(c) ? SSF_EINVAL : SSF_OK; /* trailing bytes after the body */
}

static ssf_rc wire_decode(const uint8_t *buf, size_t n, coll_obs_t *out)
{
    ssf_cur c = ssf_cur_make(buf, n), body;
    ssf_rc rc = wire_get_header(&c, out, &body);
    if (rc != SSF_OK) return rc;

    const wire_kind *k = wire_kind_of(out->kind);
    for (size_t i = 0; i < k->n; i++)
        if (!wire_get_field(&body, &k->fields[i], (uint8_t *)out)) return SSF_EINVAL;
    if (ssf_cur_left(&body)) return SSF_EINVAL; /* body length longer than the fields */
    if (k->check && !k->check(out)) return SSF_EINVAL;
    return SSF_OK;
}

static ssf_rc ref_wire_decode(const uint8_t *buf, size_t n, coll_obs_t *out)
{
    if (!out) return SSF_EINVAL;
    memset(out, 0, sizeof *out);
    if (!buf) return SSF_EINVAL;
    ssf_rc rc = wire_decode(buf, n, out);
    if (rc != SSF_OK) memset(out, 0, sizeof *out); /* nothing half-filled survives a refusal */
    return rc;
}

static size_t ref_wire_record_len(const uint8_t *buf, size_t n)
{
    if (n < WIRE_HDR_LEN || memcmp(buf, WIRE_MAGIC, WIRE_MAGIC_LEN) != 0) return 0;
    return WIRE_HDR_LEN + ((size_t)buf[8] << 8 | buf[9]);
}

#endif
