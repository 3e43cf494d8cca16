/* ev_lldp.c - identity from IEEE 802.1AB LLDPDUs (ethertype 0x88cc).
 *
 * An LLDPDU is a run of TLVs, each a 16-bit header (7-bit type, 9-bit length) and a value. The
 * first three must be Chassis ID, Port ID and TTL, in that order: that is how the bytes are
 * told from something else, so a wrong type there is SSF_EINVAL. The run ends with an End TLV
 * (type 0); Ethernet padding after it is ignored.
 *
 * LLDP carries no total length, so a TLV whose value runs past n cannot be told from a frame
 * the capture cut: it is SSF_ETRUNC, as is a run that stops before its End TLV. Items before
 * the cut stay in out. A known TLV with a length its type does not allow (a MAC that is not 6
 * bytes, capabilities that are not 4) yields nothing and the walk goes on, except for the three
 * mandatory TLVs, whose lengths 802.1AB fixes: those are SSF_EINVAL. */
#include "evidence_internal.h"

enum {
    LLDP_TLV_END = 0,
    LLDP_TLV_CHASSIS = 1,
    LLDP_TLV_PORT = 2,
    LLDP_TLV_TTL = 3,
    LLDP_TLV_SYSNAME = 5,
    LLDP_TLV_SYSDESCR = 6,
    LLDP_TLV_CAPS = 7,
    LLDP_TLV_MGMT = 8,
    LLDP_ID_LEN_MIN = 2,   /* chassis/port id: subtype byte and at least one value byte */
    LLDP_ID_LEN_MAX = 256, /* 802.1AB 8.5.2.2 / 8.5.3.2                                 */
    LLDP_TTL_LEN = 2,
    LLDP_CAPS_LEN = 4,      /* system capabilities (2), enabled capabilities (2)        */
    LLDP_MGMT_STR_MIN = 2,  /* management address string: subtype and address          */
    LLDP_MGMT_STR_MAX = 32, /* 802.1AB 8.5.9.2                                          */
    LLDP_AF_IPV4 = 1,       /* IANA address family numbers                              */
    LLDP_AF_IPV6 = 2,       /*                                                          */
    LLDP_TLVS_MAX = 64,     /* TLVs walked per frame; real ones carry a dozen or so     */
    LLDP_CHASSIS_SUB_MAC = 4,
    LLDP_CHASSIS_SUB_NET = 5,
    LLDP_PORT_SUB_MAC = 3,
    LLDP_PORT_SUB_NET = 4,
};

/* Capability bits (802.1AB 8.5.8.1), bit 0 first. */
static const char *const lldp_cap_names[] = {
    "other",  "repeater", "bridge", "wlan-ap", "router", "telephone",
    "docsis", "station",  "c-vlan", "s-vlan",  "tpmr",
};

/* The ID subtypes that hold a MAC address or a network address, per TLV type. */
static const struct {
    uint8_t tlv;          /* LLDP_TLV_CHASSIS or LLDP_TLV_PORT */
    uint8_t mac_sub;      /* subtype whose value is a MAC       */
    uint8_t net_sub;      /* subtype whose value is family+addr */
    probe_ev_field field; /* what it becomes                    */
} lldp_ids[] = {
    {LLDP_TLV_CHASSIS, LLDP_CHASSIS_SUB_MAC, LLDP_CHASSIS_SUB_NET, PROBE_EVF_LLDP_CHASSIS},
    {LLDP_TLV_PORT, LLDP_PORT_SUB_MAC, LLDP_PORT_SUB_NET, PROBE_EVF_LLDP_PORT},
};

/* A network address: IANA family byte, then the address. Only IPv4 and IPv6 are rendered. */
static void lldp_add_net(probe_ev_buf_t *out, probe_ev_field f, const uint8_t *v, size_t len)
{
    if (len < 1) return;
    size_t want = v[0] == LLDP_AF_IPV4 ? 4 : v[0] == LLDP_AF_IPV6 ? 16 : 0;
    if (want && len - 1 == want) probe_ev_add_ip(out, f, PROBE_EV_SRC, v + 1, want);
}

/* Chassis ID or Port ID: subtype byte, then a value whose form the subtype gives. */
static void lldp_id(probe_ev_buf_t *out, size_t row, const uint8_t *v, size_t len)
{
    uint8_t sub = v[0];
    v++, len--;
    if (sub == lldp_ids[row].mac_sub) {
        char mac[SSF_MAC_STRLEN];
        if (len == 6)
            probe_ev_add(out, lldp_ids[row].field, PROBE_EV_SRC, ssf_mac_str(v, mac, sizeof mac),
                         SSF_MAC_STRLEN - 1);
    } else if (sub == lldp_ids[row].net_sub) {
        lldp_add_net(out, lldp_ids[row].field, v, len);
    } else {
        probe_ev_add(out, lldp_ids[row].field, PROBE_EV_SRC, v, len);
    }
}

/* Enabled capabilities, by name; a device that enables none yields no item. */
static void lldp_caps(probe_ev_buf_t *out, const uint8_t *v, size_t len)
{
    if (len != LLDP_CAPS_LEN) return;
    probe_ev_str_t s;
    probe_ev_str_init(&s);
    probe_ev_str_bits(&s, lldp_cap_names, SSF_ARRAY_LEN(lldp_cap_names),
                      (uint32_t)v[2] << 8 | v[3]);
    probe_ev_add_str(out, PROBE_EVF_LLDP_CAPS, PROBE_EV_SRC, &s);
}

/* Management Address: string length (covers subtype and address), subtype, address, then
 * interface numbering and an OID we do not need. */
static void lldp_mgmt(probe_ev_buf_t *out, const uint8_t *v, size_t len)
{
    if (len < 1) return;
    size_t slen = v[0];
    if (slen < LLDP_MGMT_STR_MIN || slen > LLDP_MGMT_STR_MAX || slen > len - 1) return;
    lldp_add_net(out, PROBE_EVF_LLDP_MGMT, v + 1, slen);
}

/* The i-th TLV must have this type (the mandatory three), and a length in [min, max]. */
static const struct {
    uint8_t type;
    uint16_t min, max;
} lldp_mandatory[] = {
    {LLDP_TLV_CHASSIS, LLDP_ID_LEN_MIN, LLDP_ID_LEN_MAX},
    {LLDP_TLV_PORT, LLDP_ID_LEN_MIN, LLDP_ID_LEN_MAX},
    {LLDP_TLV_TTL, LLDP_TTL_LEN, LLDP_TTL_LEN},
};

/* One TLV's value: reports what it names. SSF_EINVAL for a mandatory TLV out of place. */
static ssf_rc lldp_tlv(probe_ev_buf_t *out, unsigned i, unsigned type, ssf_cur val)
{
    const uint8_t *v = val.p;
    size_t len = ssf_cur_left(&val);
    if (i < SSF_ARRAY_LEN(lldp_mandatory)) {
        if (type != lldp_mandatory[i].type || len < lldp_mandatory[i].min ||
            len > lldp_mandatory[i].max)
            return SSF_EINVAL;
        if (i < SSF_ARRAY_LEN(lldp_ids)) lldp_id(out, i, v, len);
        return SSF_OK;
    }
    switch (type) {
    case LLDP_TLV_SYSNAME:
        probe_ev_add(out, PROBE_EVF_LLDP_SYSNAME, PROBE_EV_SRC, v, len);
        break;
    case LLDP_TLV_SYSDESCR:
        probe_ev_add(out, PROBE_EVF_LLDP_SYSDESCR, PROBE_EV_SRC, v, len);
        break;
    case LLDP_TLV_CAPS:
        lldp_caps(out, v, len);
        break;
    case LLDP_TLV_MGMT:
        lldp_mgmt(out, v, len);
        break;
    default:
        break; /* organisation-specific (127), reserved, repeated mandatory: skipped */
    }
    return SSF_OK;
}

/* The first byte holds the type's top 7 bits: a cut first header can still prove "not LLDP". */
static bool lldp_first_byte_ok(const uint8_t *p, size_t n)
{
    return n == 0 || (p[0] >> 1) == LLDP_TLV_CHASSIS;
}

ssf_rc probe_ev_lldp(const uint8_t *p, size_t n, probe_ev_buf_t *out)
{
    if ((!p && n) || !out) return SSF_EINVAL;
    if (!lldp_first_byte_ok(p, n)) return SSF_EINVAL;
    ssf_cur c = ssf_cur_make(p, n);
    for (unsigned i = 0; i < LLDP_TLVS_MAX; i++) {
        uint16_t hdr;
        ssf_cur val;
        if (!ssf_cur_u16be(&c, &hdr)) return SSF_ETRUNC;
        unsigned type = hdr >> 9;
        if (type == LLDP_TLV_END) return i < SSF_ARRAY_LEN(lldp_mandatory) ? SSF_EINVAL : SSF_OK;
        if (!ssf_cur_sub(&c, hdr & 0x1FFu, &val)) {
            /* A mandatory TLV of the wrong type is not LLDP, however short the frame. */
            if (i < SSF_ARRAY_LEN(lldp_mandatory) && type != lldp_mandatory[i].type)
                return SSF_EINVAL;
            return SSF_ETRUNC;
        }
        ssf_rc rc = lldp_tlv(out, i, type, val);
        if (rc != SSF_OK) return rc;
    }
    return SSF_OK; /* walked our bound of TLVs: it is LLDP, the rest goes unread */
}
