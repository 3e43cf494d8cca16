/* ev_sbus.c - identity from Saia-Burgess Ether-S-Bus "read firmware version" responses (UDP
 * 5050).
 *
 * A telegram is an 8-byte header (big-endian total length including header and CRC, version,
 * protocol type, sequence number), a telegram attribute (0 request, 1 response, 2 ACK/NAK),
 * the S-Bus data, and a CRC-16 (polynomial 0x1021, initial value 0, big-endian) over
 * everything before it. A response does not say which command it answers. The answer to
 * "read firmware version" (command 0x20) is 8 or 9 data bytes: the PCD type as 5 ASCII
 * letters and digits ("D2M48"), then the firmware version as 3 ASCII digits ("020"), then an
 * optional byte. Only a response with a good CRC and exactly that shape yields evidence, so
 * the answers to "read user memory" and others, which may hold text, do not. */
#include "evidence_internal.h"

enum {
    SBUS_HDR = 8,
    SBUS_MIN = SBUS_HDR + 1 + 2, /* header, attribute, CRC                          */
    SBUS_MAX = 1024,             /* telegrams carry at most a few hundred bytes     */
    SBUS_VERSION_MAX = 1,        /* seen: 0 in responses, 1 in requests             */
    SBUS_PROTO_MAX = 1,          /* 0 is S-Bus; 1 is let through rather than drop a variant we
                                    have not seen                                            */
    SBUS_ATTR_REQUEST = 0,
    SBUS_ATTR_RESPONSE = 1,
    SBUS_ATTR_ACK = 2,
    SBUS_TYPE_LEN = 5,
    SBUS_FW_LEN = 3,
};

static uint16_t sbus_crc(const uint8_t *p, size_t n)
{
    uint16_t crc = 0;
    for (size_t i = 0; i < n; i++) {
        crc ^= (uint16_t)(p[i] << 8);
        for (int b = 0; b < 8; b++)
            crc = (uint16_t)(crc & 0x8000 ? (crc << 1) ^ 0x1021 : crc << 1);
    }
    return crc;
}

static bool sbus_alnum(uint8_t c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* data is the response's S-Bus data, between attribute and CRC. */
static void sbus_firmware(const uint8_t *d, size_t n, probe_ev_buf_t *out)
{
    if (n != SBUS_TYPE_LEN + SBUS_FW_LEN && n != SBUS_TYPE_LEN + SBUS_FW_LEN + 1) return;
    for (size_t i = 0; i < SBUS_TYPE_LEN; i++)
        if (!sbus_alnum(d[i])) return;
    for (size_t i = SBUS_TYPE_LEN; i < SBUS_TYPE_LEN + SBUS_FW_LEN; i++)
        if (d[i] < '0' || d[i] > '9') return;
    probe_ev_add(out, PROBE_EVF_SBUS_TYPE, PROBE_EV_SRC, d, SBUS_TYPE_LEN);
    probe_ev_add(out, PROBE_EVF_SBUS_FIRMWARE, PROBE_EV_SRC, d + SBUS_TYPE_LEN, SBUS_FW_LEN);
}

/* Checks the header bytes present so far, so a cut header of something else is EINVAL. */
static ssf_rc sbus_header(const uint8_t *p, size_t n, uint32_t *len)
{
    /* The length's top two bytes are zero for any telegram up to SBUS_MAX. */
    for (size_t i = 0; i < 2 && i < n; i++)
        if (p[i]) return SSF_EINVAL;
    if (n < 4) return SSF_ETRUNC;
    *len = (uint32_t)p[2] << 8 | p[3];
    if (*len < SBUS_MIN || *len > SBUS_MAX) return SSF_EINVAL;
    if (n > 4 && p[4] > SBUS_VERSION_MAX) return SSF_EINVAL;
    if (n > 5 && p[5] > SBUS_PROTO_MAX) return SSF_EINVAL;
    if (n > SBUS_HDR && p[SBUS_HDR] > SBUS_ATTR_ACK) return SSF_EINVAL;
    return n < *len ? SSF_ETRUNC : SSF_OK;
}

ssf_rc probe_ev_sbus(const uint8_t *p, size_t n, probe_ev_buf_t *out)
{
    uint32_t len = 0;
    if (!p || !out || !n) return SSF_EINVAL;
    ssf_rc rc = sbus_header(p, n, &len);
    if (rc != SSF_OK) return rc;
    /* Bytes after the telegram (padding) are ignored. */
    uint16_t crc = (uint16_t)(p[len - 2] << 8 | p[len - 1]);
    if (p[SBUS_HDR] != SBUS_ATTR_RESPONSE || sbus_crc(p, len - 2) != crc) return SSF_OK;
    sbus_firmware(p + SBUS_HDR + 1, len - SBUS_MIN, out);
    return SSF_OK;
}
