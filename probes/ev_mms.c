/* ev_mms.c - MMS (ISO 9506, the application protocol of IEC 61850 substations) over
 * ISO-on-TCP port 102, which S7comm shares. nDPI 4.2 names these flows S7comm; this
 * extractor tells them apart by the OSI session layer MMS runs on, and reads an Identify
 * response (vendorName, modelName, revision) when one passes.
 *
 * Layout: TPKT (RFC 1006) | COTP data TPDU (ISO 8073) | ISO 8327 session SPDU | ISO 8823
 * presentation | MMS PDU (BER). S7 puts 0x32 or 0x72 right after COTP; MMS puts a session SPDU
 * there: CONNECT (0x0D), ACCEPT (0x0E), or GIVE-TOKENS 0x01 0x00 followed by DATA TRANSFER
 * 0x01 0x00 for every later PDU. The presentation layer is not decoded: the Identify response
 * is found by its exact BER shape, [2] { [0] vendor, [1] model, [2] revision }, each a short
 * VisibleString, whose lengths must add up. */
#include "evidence_internal.h"

enum {
    MMS_TPKT_HDR = 4,
    MMS_COTP_DT = 0xF0,
    MMS_SPDU_CONNECT = 0x0D,
    MMS_SPDU_ACCEPT = 0x0E,
    MMS_SPDU_GIVE_TOKENS = 0x01,
    MMS_IDENTIFY = 0xA2, /* confirmedServiceResponse identify [2], constructed        */
    MMS_SCAN_MAX = 512,  /* bytes searched for an Identify response per TPDU           */
    MMS_FRAMES_MAX = 8,  /* TPKT frames walked per payload                            */
};

static bool mms_printable(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] < 0x20 || p[i] > 0x7e) return false;
    return n > 0;
}

/* Matches "A2 L 80 l1 v 81 l2 m 82 l3 r" at q, where [q, end) holds at least the header. */
static bool mms_identify_at(const uint8_t *q, const uint8_t *end, probe_ev_buf_t *out)
{
    static const probe_ev_field fields[3] = {PROBE_EVF_MMS_VENDOR, PROBE_EVF_MMS_MODEL,
                                             PROBE_EVF_MMS_REVISION};
    size_t total = q[1];
    if (q[0] != MMS_IDENTIFY || total >= 0x80 || (size_t)(end - q - 2) < total) return false;
    const uint8_t *p = q + 2, *stop = p + total, *v[3];
    size_t len[3];
    for (int i = 0; i < 3; i++) {
        if (stop - p < 2 || p[0] != (uint8_t)(0x80 + i) || p[1] >= 0x80 ||
            (size_t)(stop - p - 2) < p[1] || !mms_printable(p + 2, p[1]))
            return false;
        v[i] = p + 2, len[i] = p[1];
        p += 2 + p[1];
    }
    if (p != stop) return false;
    for (int i = 0; i < 3; i++)
        probe_ev_add(out, fields[i], PROBE_EV_SRC, v[i], len[i]);
    return true;
}

/* c holds one COTP TPDU. True when it is a data TPDU carrying an OSI session SPDU. */
static bool mms_cotp(ssf_cur c, probe_ev_buf_t *out)
{
    uint8_t li, type;
    ssf_cur hdr;
    if (!ssf_cur_u8(&c, &li) || li < 1 || !ssf_cur_sub(&c, li, &hdr) || !ssf_cur_u8(&hdr, &type) ||
        type != MMS_COTP_DT || ssf_cur_left(&c) < 2)
        return false;
    const uint8_t *p = c.p;
    bool session = p[0] == MMS_SPDU_CONNECT || p[0] == MMS_SPDU_ACCEPT ||
                   (p[0] == MMS_SPDU_GIVE_TOKENS && p[1] == 0x00);
    if (!session) return false;
    const uint8_t *end = ssf_cur_left(&c) > MMS_SCAN_MAX ? p + MMS_SCAN_MAX : c.end;
    for (const uint8_t *q = p; end - q >= 2; q++)
        if (mms_identify_at(q, end, out)) break;
    return true;
}

ssf_rc probe_ev_mms(const uint8_t *p, size_t n, probe_ev_buf_t *out)
{
    if (!p || !out || !n) return SSF_EINVAL;
    ssf_cur c = ssf_cur_make(p, n), frame;
    bool mms = false;
    for (int i = 0; i < MMS_FRAMES_MAX && ssf_cur_left(&c); i++) {
        uint8_t ver, rsv;
        uint16_t len;
        if (!ssf_cur_u8(&c, &ver) || ver != 3) return mms ? SSF_OK : SSF_EINVAL;
        if (!ssf_cur_u8(&c, &rsv) || !ssf_cur_u16be(&c, &len)) return SSF_ETRUNC;
        if (rsv != 0 || len < MMS_TPKT_HDR + 3) return mms ? SSF_OK : SSF_EINVAL;
        if (!ssf_cur_sub(&c, (size_t)len - MMS_TPKT_HDR, &frame)) return SSF_ETRUNC;
        mms |= mms_cotp(frame, out);
    }
    return mms ? SSF_OK : SSF_EINVAL;
}
