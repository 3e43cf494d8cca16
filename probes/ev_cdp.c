/* ev_cdp.c - identity from Cisco Discovery Protocol frames.
 *
 * p is the 802.3 payload: an LLC/SNAP header naming Cisco's OUI and protocol 0x2000, a 4-byte
 * CDP header (version 1 or 2, TTL, checksum, which we do not verify), then TLVs whose 16-bit
 * length counts their own 4-byte header. There is no end marker: the frame ends after the last
 * TLV (the decoder cuts 802.3 padding off by the frame's length field).
 *
 * A SNAP header or version that is not CDP's, or a TLV length below 4, is SSF_EINVAL, even in
 * a cut frame. A TLV header or value that runs past n is SSF_ETRUNC; items before it stay in
 * out. Inside the Addresses TLV, an entry that runs past its TLV ends the search quietly. */
#include "evidence_internal.h"

enum {
    CDP_SNAP_LEN = 8,
    CDP_HDR_LEN = 4,     /* version, TTL, checksum (2)                          */
    CDP_TLV_HDR_LEN = 4, /* type (2), length (2) counting these 4 bytes          */
    CDP_TLVS_MAX = 64,   /* TLVs walked per frame; real ones carry 10-20         */
    CDP_ADDRS_MAX = 16,  /* address entries walked; devices announce one or two  */
    CDP_CAPS_LEN = 4,    /* capability bitmask                                   */
    CDP_TLV_DEVICE = 0x0001,
    CDP_TLV_ADDRESSES = 0x0002,
    CDP_TLV_CAPS = 0x0004,
    CDP_TLV_SOFTWARE = 0x0005,
    CDP_TLV_PLATFORM = 0x0006,
    CDP_PT_NLPID = 1, /* address protocol type: 1-byte NLPID                 */
    CDP_PT_8022 = 2,  /* address protocol type: 802.2 header                  */
};

/* LLC DSAP/SSAP SNAP, UI; OUI 00-00-0C (Cisco); protocol id 0x2000 (CDP). */
static const uint8_t cdp_snap[CDP_SNAP_LEN] = {0xAA, 0xAA, 0x03, 0x00, 0x00, 0x0C, 0x20, 0x00};

/* Capability bits, bit 0 first (Cisco's CDP specification; names as Wireshark spells them,
 * shortened). */
static const char *const cdp_cap_names[] = {
    "router", "trans-bridge", "source-route-bridge", "switch", "host", "igmp", "repeater", "phone",
    "remote", "cvta",         "mac-relay",
};

/* The address encodings we render: protocol type, protocol bytes, address length. */
static const struct {
    uint8_t ptype;
    uint8_t plen;
    uint8_t proto[8];
    uint16_t alen;
} cdp_addr_kinds[] = {
    {CDP_PT_NLPID, 1, {0xCC}, 4},                                           /* IPv4 */
    {CDP_PT_8022, 8, {0xAA, 0xAA, 0x03, 0x00, 0x00, 0x00, 0x86, 0xDD}, 16}, /* IPv6 */
};

/* One address entry: true when it was read whole (rendered or not), false to stop. */
static bool cdp_addr_entry(ssf_cur *c, probe_ev_buf_t *out, bool *found)
{
    uint8_t ptype, plen;
    uint16_t alen;
    const uint8_t *proto, *addr;
    if (!ssf_cur_u8(c, &ptype) || !ssf_cur_u8(c, &plen) || !ssf_cur_bytes(c, plen, &proto) ||
        !ssf_cur_u16be(c, &alen) || !ssf_cur_bytes(c, alen, &addr))
        return false;
    for (size_t i = 0; i < SSF_ARRAY_LEN(cdp_addr_kinds); i++) {
        if (ptype != cdp_addr_kinds[i].ptype || plen != cdp_addr_kinds[i].plen ||
            alen != cdp_addr_kinds[i].alen || memcmp(proto, cdp_addr_kinds[i].proto, plen) != 0)
            continue;
        *found = probe_ev_add_ip(out, PROBE_EVF_CDP_ADDRESS, PROBE_EV_SRC, addr, alen) != NULL;
        return true;
    }
    return true;
}

/* Addresses: a 32-bit count, then entries. Only the first IPv4 or IPv6 address is reported. */
static void cdp_addresses(ssf_cur val, probe_ev_buf_t *out)
{
    uint32_t count;
    bool found = false;
    if (!ssf_cur_u32be(&val, &count)) return;
    for (uint32_t i = 0; i < count && i < CDP_ADDRS_MAX && !found; i++)
        if (!cdp_addr_entry(&val, out, &found)) return;
}

static void cdp_caps(ssf_cur val, probe_ev_buf_t *out)
{
    uint32_t bits;
    if (ssf_cur_left(&val) != CDP_CAPS_LEN || !ssf_cur_u32be(&val, &bits)) return;
    probe_ev_str_t s;
    probe_ev_str_init(&s);
    probe_ev_str_bits(&s, cdp_cap_names, SSF_ARRAY_LEN(cdp_cap_names), bits);
    probe_ev_add_str(out, PROBE_EVF_CDP_CAPS, PROBE_EV_SRC, &s);
}

/* The software version is a multi-line banner; its first line names the image and version. */
static void cdp_software(ssf_cur val, probe_ev_buf_t *out)
{
    size_t len = ssf_cur_left(&val);
    for (size_t i = 0; i < len; i++) {
        if (val.p[i] == '\n' || val.p[i] == '\r') {
            len = i;
            break;
        }
    }
    probe_ev_add(out, PROBE_EVF_CDP_SOFTWARE, PROBE_EV_SRC, val.p, len);
}

static void cdp_tlv(uint16_t type, ssf_cur val, probe_ev_buf_t *out)
{
    size_t len = ssf_cur_left(&val);
    switch (type) {
    case CDP_TLV_DEVICE:
        probe_ev_add(out, PROBE_EVF_CDP_DEVICE, PROBE_EV_SRC, val.p, len);
        break;
    case CDP_TLV_ADDRESSES:
        cdp_addresses(val, out);
        break;
    case CDP_TLV_CAPS:
        cdp_caps(val, out);
        break;
    case CDP_TLV_SOFTWARE:
        cdp_software(val, out);
        break;
    case CDP_TLV_PLATFORM:
        probe_ev_add(out, PROBE_EVF_CDP_PLATFORM, PROBE_EV_SRC, val.p, len);
        break;
    default:
        break; /* port id, VTP domain, native VLAN, duplex ...: not identity */
    }
}

/* SNAP and CDP header. Compares what bytes there are first, so a cut frame that is plainly not
 * CDP is SSF_EINVAL rather than SSF_ETRUNC. */
static ssf_rc cdp_header(ssf_cur *c)
{
    size_t k = ssf_cur_left(c) < CDP_SNAP_LEN ? ssf_cur_left(c) : CDP_SNAP_LEN;
    uint8_t version;
    if (k && memcmp(c->p, cdp_snap, k) != 0) return SSF_EINVAL;
    if (!ssf_cur_skip(c, CDP_SNAP_LEN)) return SSF_ETRUNC;
    if (ssf_cur_left(c) && *c->p != 1 && *c->p != 2) return SSF_EINVAL;
    if (!ssf_cur_u8(c, &version) || !ssf_cur_skip(c, CDP_HDR_LEN - 1)) return SSF_ETRUNC;
    return SSF_OK;
}

ssf_rc probe_ev_cdp(const uint8_t *p, size_t n, probe_ev_buf_t *out)
{
    if ((!p && n) || !out) return SSF_EINVAL;
    ssf_cur c = ssf_cur_make(p, n);
    ssf_rc rc = cdp_header(&c);
    if (rc != SSF_OK) return rc;
    for (unsigned i = 0; i < CDP_TLVS_MAX && ssf_cur_left(&c); i++) {
        uint16_t type, len;
        ssf_cur val;
        if (!ssf_cur_u16be(&c, &type)) return SSF_ETRUNC;
        if (!ssf_cur_u16be(&c, &len)) return SSF_ETRUNC;
        if (len < CDP_TLV_HDR_LEN) return SSF_EINVAL;
        if (!ssf_cur_sub(&c, len - CDP_TLV_HDR_LEN, &val)) return SSF_ETRUNC;
        cdp_tlv(type, val, out);
    }
    return SSF_OK;
}
