/* ev_c37118.c - identity from IEEE C37.118 synchrophasor configuration frames (TCP 4712, UDP
 * 4713): the station name of each PMU a data source serves.
 *
 * Every frame starts SYNC (0xAA, then a byte with the frame type in bits 6-4 and the version in
 * bits 3-0), FRAMESIZE, IDCODE, SOC, FRACSEC, and ends with a CRC-CCITT over everything before
 * it. A payload may hold several frames; all must be whole and pass the CRC, which is what
 * tells this protocol from other bytes. Configuration frames then carry:
 *
 *   CFG-1/CFG-2 (C37.118-2005): TIME_BASE, NUM_PMU, and per PMU a fixed 16-byte STN, IDCODE,
 *     FORMAT, PHNMR, ANNMR, DGNMR, 16-byte channel names, units, FNOM, CFGCNT.
 *   CFG-3 (C37.118.2-2011): CONT_IDX first; STN and channel names are length-prefixed. A CFG-3
 *     split over several frames is read only from its first fragment, as far as it goes.
 *
 * Data, header and command frames are C37.118 without identity. */
#include "evidence_internal.h"

enum {
    C37_SYNC = 0xAA,
    C37_HDR_LEN = 14,   /* SYNC, FRAMESIZE, IDCODE, SOC, FRACSEC     */
    C37_CHK_LEN = 2,    /* CRC-CCITT                                */
    C37_FRAMES_MAX = 8, /* frames walked per payload                */
    C37_PMUS_MAX = 64,  /* PMUs walked per configuration frame      */
    C37_STN_LEN = 16,   /* CFG-1/2 names are fixed 16 bytes         */
    C37_DIG_NAMES = 16, /* a digital word has 16 named bits          */
    C37_TYPE_CFG1 = 2,
    C37_TYPE_CFG2 = 3,
    C37_TYPE_CFG3 = 5,
    C37_TYPE_MAX = 5, /* 0 data, 1 header, 4 command             */
};

/* CRC-CCITT as C37.118 specifies it: polynomial 0x1021, initial 0xFFFF, no final xor. */
static uint16_t c37_crc(const uint8_t *p, size_t n)
{
    uint16_t crc = 0xFFFF;
    for (size_t i = 0; i < n; i++) {
        crc ^= (uint16_t)(p[i] << 8);
        for (int b = 0; b < 8; b++)
            crc = (uint16_t)(crc & 0x8000 ? (crc << 1) ^ 0x1021 : crc << 1);
    }
    return crc;
}

/* Adds a station name: the packet's text without its space or NUL padding. */
static void c37_station(probe_ev_buf_t *out, const uint8_t *p, size_t len)
{
    while (len && (p[len - 1] == ' ' || p[len - 1] == '\0'))
        len--;
    probe_ev_add(out, PROBE_EVF_C37118_STATION, PROBE_EV_SRC, p, len);
}

/* The counts of one PMU's channels; false when they run past c. */
static bool c37_counts(ssf_cur *c, uint16_t *ph, uint16_t *an, uint16_t *dg)
{
    return ssf_cur_u16be(c, ph) && ssf_cur_u16be(c, an) && ssf_cur_u16be(c, dg);
}

/* CFG-1/2 body after the common header. False when a PMU block overruns the frame. */
static bool c37_cfg2(ssf_cur c, probe_ev_buf_t *out)
{
    uint16_t npmu, ph, an, dg;
    const uint8_t *stn;
    if (!ssf_cur_skip(&c, 4) || !ssf_cur_u16be(&c, &npmu)) return false; /* TIME_BASE */
    for (unsigned i = 0; i < npmu && i < C37_PMUS_MAX; i++) {
        if (!ssf_cur_bytes(&c, C37_STN_LEN, &stn) || !ssf_cur_skip(&c, 4) || /* IDCODE, FORMAT */
            !c37_counts(&c, &ph, &an, &dg))
            return false;
        size_t names = (size_t)ph + an + (size_t)C37_DIG_NAMES * dg;
        size_t rest = names * C37_STN_LEN + 4 * ((size_t)ph + an + dg) + 4; /* units, FNOM... */
        if (!ssf_cur_skip(&c, rest)) return false;
        if (out) c37_station(out, stn, C37_STN_LEN);
    }
    return true;
}

/* A length-prefixed CFG-3 name. */
static bool c37_name3(ssf_cur *c, const uint8_t **p, uint8_t *len)
{
    return ssf_cur_u8(c, len) && ssf_cur_bytes(c, *len, p);
}

/* CFG-3 body: only the first fragment (CONT_IDX 0) starts with the PMU list. Reads PMUs until
 * the fragment ends; a cut PMU is simply not reported. */
static void c37_cfg3(ssf_cur c, probe_ev_buf_t *out)
{
    uint16_t cont, npmu, ph, an, dg;
    const uint8_t *stn, *name;
    uint8_t stn_len, name_len;
    if (!ssf_cur_u16be(&c, &cont) || cont != 0) return;
    if (!ssf_cur_skip(&c, 4) || !ssf_cur_u16be(&c, &npmu)) return; /* TIME_BASE */
    for (unsigned i = 0; i < npmu && i < C37_PMUS_MAX; i++) {
        /* IDCODE, G_PMU_ID (16), FORMAT */
        if (!c37_name3(&c, &stn, &stn_len) || !ssf_cur_skip(&c, 2 + 16 + 2) ||
            !c37_counts(&c, &ph, &an, &dg))
            return;
        c37_station(out, stn, stn_len);
        size_t names = (size_t)ph + an + (size_t)C37_DIG_NAMES * dg;
        for (size_t k = 0; k < names; k++)
            if (!c37_name3(&c, &name, &name_len)) return;
        /* PHSCALE 12, ANSCALE 8, DIGUNIT 4 each; LAT, LON, ELEV, SVC_CLASS, WINDOW, GRP_DLY,
         * FNOM, CFGCNT. */
        size_t rest =
            12 * (size_t)ph + 8 * (size_t)an + 4 * (size_t)dg + 4 + 4 + 4 + 1 + 4 + 4 + 2 + 2;
        if (!ssf_cur_skip(&c, rest)) return;
    }
}

/* One whole frame, CRC checked. */
static ssf_rc c37_frame(const uint8_t *f, size_t len, probe_ev_buf_t *out)
{
    size_t body = len - C37_CHK_LEN;
    if (c37_crc(f, body) != (uint16_t)(f[body] << 8 | f[body + 1])) return SSF_EINVAL;
    unsigned type = (f[1] >> 4) & 7u;
    ssf_cur c = ssf_cur_make(f + C37_HDR_LEN, body - C37_HDR_LEN);
    if (type == C37_TYPE_CFG1 || type == C37_TYPE_CFG2) {
        /* Check the whole PMU list before naming any station. */
        if (!c37_cfg2(c, NULL)) return SSF_EINVAL;
        c37_cfg2(c, out);
    } else if (type == C37_TYPE_CFG3) {
        c37_cfg3(c, out);
    }
    return SSF_OK;
}

/* SSF_OK with *len for a frame header at p, else why not. */
static ssf_rc c37_header(const uint8_t *p, size_t n, size_t *len)
{
    if (p[0] != C37_SYNC) return SSF_EINVAL;
    if (n < 2) return SSF_ETRUNC;
    unsigned type = (p[1] >> 4) & 7u, version = p[1] & 0x0Fu;
    if ((p[1] & 0x80) || type > C37_TYPE_MAX || version == 0) return SSF_EINVAL;
    if (n < 4) return SSF_ETRUNC;
    *len = (size_t)p[2] << 8 | p[3];
    if (*len < C37_HDR_LEN + C37_CHK_LEN) return SSF_EINVAL;
    return *len > n ? SSF_ETRUNC : SSF_OK;
}

ssf_rc probe_ev_c37118(const uint8_t *p, size_t n, probe_ev_buf_t *out)
{
    if (!p || !out || n == 0) return SSF_EINVAL;
    size_t off = 0;
    for (unsigned i = 0; i < C37_FRAMES_MAX && off < n; i++) {
        size_t len;
        ssf_rc rc = c37_header(p + off, n - off, &len);
        /* Junk after a whole frame ends the walk; the frames before it stand. */
        if (rc == SSF_EINVAL && off) return SSF_OK;
        if (rc != SSF_OK) return rc;
        rc = c37_frame(p + off, len, out);
        if (rc != SSF_OK) return off ? SSF_OK : rc;
        off += len;
    }
    return SSF_OK;
}
