/* ev_ubnt.c - identity from Ubiquiti discovery (UDP 10001): the announcements UniFi, EdgeMAX
 * and airOS devices broadcast, and their replies to a discovery request.
 *
 *   VERSION (1 or 2) | COMMAND | LENGTH (16 bits) | TLVs: TYPE | LENGTH (16 bits) | VALUE
 *
 * The format is undocumented by the vendor; the TLV types below are the ones public write-ups
 * and Wireshark's "ubdp" dissector agree on. A request ("01 00 00 00") has no TLVs and is
 * Ubiquiti without identity. Nothing else in the header tells this protocol from another one on
 * port 10001, so the TLVs must tile LENGTH exactly; otherwise the bytes are not ours. */
#include "evidence_internal.h"

enum {
    UBNT_HDR_LEN = 4,
    UBNT_TLV_HDR_LEN = 3,
    UBNT_TLVS_MAX = 64, /* TLVs walked per packet; devices send about 20 */
};

static const struct {
    uint8_t type;
    probe_ev_field field;
} ubnt_tlvs[] = {
    {0x03, PROBE_EVF_UBNT_FIRMWARE}, /* firmware path "UniFiSecurityGateway.ER-e120.v4..." */
    {0x0B, PROBE_EVF_UBNT_HOSTNAME}, /* hostname                                              */
    {0x0C, PROBE_EVF_UBNT_MODEL},    /* product, the short model "UGW3"                       */
    {0x14, PROBE_EVF_UBNT_PLATFORM}, /* full model text (version 1)                           */
    {0x15, PROBE_EVF_UBNT_PLATFORM}, /* model text (version 2)                                */
};

static void ubnt_emit(probe_ev_buf_t *out, uint8_t type, ssf_cur v)
{
    for (size_t i = 0; i < SSF_ARRAY_LEN(ubnt_tlvs); i++)
        if (ubnt_tlvs[i].type == type)
            probe_ev_add(out, ubnt_tlvs[i].field, PROBE_EV_SRC, v.p, ssf_cur_left(&v));
}

/* Walks the TLVs in body; with out NULL it only checks them. SSF_ETRUNC when one runs past
 * the end of body. */
static ssf_rc ubnt_tlv_walk(ssf_cur body, probe_ev_buf_t *out)
{
    for (unsigned i = 0; ssf_cur_left(&body); i++) {
        uint8_t type;
        uint16_t len;
        ssf_cur v;
        if (i == UBNT_TLVS_MAX) return SSF_OK;
        if (!ssf_cur_u8(&body, &type) || !ssf_cur_u16be(&body, &len) ||
            !ssf_cur_sub(&body, len, &v))
            return SSF_ETRUNC;
        if (out) ubnt_emit(out, type, v);
    }
    return SSF_OK;
}

ssf_rc probe_ev_ubnt(const uint8_t *p, size_t n, probe_ev_buf_t *out)
{
    if (!p || !out || n == 0) return SSF_EINVAL;
    if (p[0] != 1 && p[0] != 2) return SSF_EINVAL;
    ssf_cur c = ssf_cur_make(p, n);
    uint8_t version, cmd;
    uint16_t len;
    if (!ssf_cur_u8(&c, &version) || !ssf_cur_u8(&c, &cmd) || !ssf_cur_u16be(&c, &len))
        return SSF_ETRUNC;
    bool cut = len > ssf_cur_left(&c);
    if (!cut) c.end = c.p + len;
    /* Check first, emit second: a packet whose TLVs do not tile yields nothing. */
    ssf_rc rc = ubnt_tlv_walk(c, NULL);
    if (rc == SSF_ETRUNC) return cut ? SSF_ETRUNC : SSF_EINVAL;
    if (cut) return SSF_ETRUNC;
    return ubnt_tlv_walk(c, out);
}
