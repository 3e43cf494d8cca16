/* ev_ads.c - identity from Beckhoff ADS Read Device Info responses (TCP 48898).
 *
 * A TCP payload holds AMS/TCP packets: 2 reserved zero bytes and a little-endian length, then
 * a 32-byte AMS header (target and source NetId and port, command id, state flags, data
 * length, error code, invoke id; all little-endian) and the ADS data. The AMS/TCP length is
 * the AMS header plus the data length it states, which lets us reject other bytes early.
 *
 * A Read Device Info response (command 1, state flag bit 0 "response") carries a result code,
 * major and minor version, a 16-bit build and a 16-byte NUL-padded device name, e.g.
 * "PLC Server" 2.11.2100. Everything else is ADS that yields nothing. */
#include "evidence_internal.h"

enum {
    AMS_TCP_HDR = 6,
    AMS_HDR = 32,
    AMS_LEN_MAX = 1u << 20,   /* far above any ADS read a PLC would answer         */
    AMS_CMD_DEVICE_INFO = 1,  /* ADS Read Device Info                               */
    AMS_FLAG_RESPONSE = 0x01, /* state flags bit 0                                  */
    ADS_INFO_LEN = 24,        /* result 4, major 1, minor 1, build 2, name 16       */
    ADS_NAME_LEN = 16,
    AMS_PACKETS_MAX = 16, /* packets walked per payload: bounds the work per call */
};

static uint16_t le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* d is the ADS data of a Read Device Info response, ADS_INFO_LEN bytes or more. */
static void ads_device_info(const uint8_t *d, probe_ev_buf_t *out)
{
    if (le32(d) != 0) return; /* an ADS error code: no data follows */
    const uint8_t *name = d + 8;
    size_t len = 0;
    while (len < ADS_NAME_LEN && name[len])
        len++;
    probe_ev_add(out, PROBE_EVF_ADS_NAME, PROBE_EV_SRC, name, len);
    probe_ev_str_t s;
    probe_ev_str_init(&s);
    probe_ev_str_u64(&s, d[4]);
    probe_ev_str_putc(&s, '.');
    probe_ev_str_u64(&s, d[5]);
    probe_ev_str_putc(&s, '.');
    probe_ev_str_u64(&s, le16(d + 6));
    probe_ev_add_str(out, PROBE_EVF_ADS_VERSION, PROBE_EV_SRC, &s);
}

/* One AMS/TCP packet; advances c past it. EINVAL for bytes that are no AMS/TCP header. */
static ssf_rc ads_packet(ssf_cur *c, probe_ev_buf_t *out)
{
    const uint8_t *p = c->p;
    size_t n = ssf_cur_left(c);
    for (size_t i = 0; i < 2 && i < n; i++)
        if (p[i]) return SSF_EINVAL;
    if (n < AMS_TCP_HDR) return SSF_ETRUNC;
    uint32_t len = le32(p + 2);
    if (len < AMS_HDR || len > AMS_LEN_MAX) return SSF_EINVAL;
    if (n >= AMS_TCP_HDR + 24 && le32(p + AMS_TCP_HDR + 20) != len - AMS_HDR) return SSF_EINVAL;
    if (n - AMS_TCP_HDR < len) return SSF_ETRUNC;
    const uint8_t *h = p + AMS_TCP_HDR;
    uint16_t cmd = le16(h + 16), flags = le16(h + 18);
    if (cmd == AMS_CMD_DEVICE_INFO && (flags & AMS_FLAG_RESPONSE) && le32(h + 24) == 0 &&
        len - AMS_HDR >= ADS_INFO_LEN)
        ads_device_info(h + AMS_HDR, out);
    ssf_cur_skip(c, AMS_TCP_HDR + (size_t)len);
    return SSF_OK;
}

ssf_rc probe_ev_ads(const uint8_t *p, size_t n, probe_ev_buf_t *out)
{
    if (!p || !out || !n) return SSF_EINVAL;
    ssf_cur c = ssf_cur_make(p, n);
    ssf_rc rc = ads_packet(&c, out);
    if (rc != SSF_OK) return rc;
    /* Later packets: a cut one is ETRUNC; one that does not parse ends the walk. */
    for (int i = 1; i < AMS_PACKETS_MAX && ssf_cur_left(&c); i++) {
        rc = ads_packet(&c, out);
        if (rc == SSF_ETRUNC) return rc;
        if (rc != SSF_OK) break;
    }
    return SSF_OK;
}
