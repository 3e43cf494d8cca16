/* ev_knx.c - identity from KNXnet/IP (UDP and TCP 3671; KNX Standard 03.08.02 Core,
 * 03.08.04 Tunnelling).
 *
 * Every frame starts with a header: length 0x06, protocol version 0x10, service type, total
 * length (header included). A TCP payload may hold several frames. What names the device:
 *
 *   SEARCH_RESPONSE(_EXTENDED), DESCRIPTION_RESPONSE: the Device Information DIB (KNX medium,
 *     status, individual address, project id, 6-byte serial, multicast address, MAC, 30-byte
 *     friendly name) and the Supported Service Families DIB;
 *   CONNECT_RESPONSE: the tunnel's individual address in the CRD;
 *   TUNNELLING_FEATURE_RESPONSE / _INFO for feature 0x06: the tunnel's individual address.
 *
 * All are sent by the KNXnet/IP server, the device described: role SRC. */
#include "evidence_internal.h"

enum {
    KNX_HDR_LEN = 6,
    KNX_VERSION_10 = 0x10,
    KNX_FRAMES_MAX = 16, /* frames walked per payload                    */
    KNX_DIBS_MAX = 16,   /* DIBs walked per response                     */
    KNX_SEARCH_RES = 0x0202,
    KNX_DESCRIPTION_RES = 0x0204,
    KNX_CONNECT_RES = 0x0206,
    KNX_SEARCH_RES_EXT = 0x020C,
    KNX_FEATURE_RES = 0x0423,
    KNX_FEATURE_INFO = 0x0425,
    KNX_DIB_DEVICE_INFO = 0x01,
    KNX_DIB_SVC_FAMILIES = 0x02,
    KNX_DEVICE_INFO_LEN = 54,
    KNX_NAME_LEN = 30,
    KNX_CRD_TUNNEL = 0x04,
    KNX_FEATURE_IA = 0x06, /* IndividualAddress */
};

/* Service family ids 0x02.. (Core section 7.5.4.3), as the names rules match on. */
static const char *const knx_families[] = {
    "core",           "device_management",    "tunnelling",    "routing",
    "remote_logging", "remote_configuration", "object_server", "security",
};
#define KNX_FAMILY_FIRST 0x02

/* An individual address "area.line.device". */
static void knx_address(probe_ev_buf_t *out, const uint8_t ia[2])
{
    probe_ev_str_t s;
    probe_ev_str_init(&s);
    probe_ev_str_u64(&s, ia[0] >> 4);
    probe_ev_str_putc(&s, '.');
    probe_ev_str_u64(&s, ia[0] & 0x0Fu);
    probe_ev_str_putc(&s, '.');
    probe_ev_str_u64(&s, ia[1]);
    probe_ev_add_str(out, PROBE_EVF_KNX_ADDRESS, PROBE_EV_SRC, &s);
}

static void knx_hex(probe_ev_buf_t *out, probe_ev_field f, const uint8_t *p, size_t n, bool colons)
{
    probe_ev_str_t s;
    probe_ev_str_init(&s);
    for (size_t i = 0; i < n; i++) {
        if (colons && i) probe_ev_str_putc(&s, ':');
        probe_ev_str_hex(&s, p[i]);
    }
    probe_ev_add_str(out, f, PROBE_EV_SRC, &s);
}

/* Device Information DIB body (after length and type), exactly 52 bytes. */
static void knx_device_info(ssf_cur d, probe_ev_buf_t *out)
{
    const uint8_t *ia, *serial, *mac, *name;
    if (!ssf_cur_skip(&d, 2) || !ssf_cur_bytes(&d, 2, &ia) || !ssf_cur_skip(&d, 2) ||
        !ssf_cur_bytes(&d, 6, &serial) || !ssf_cur_skip(&d, 4) || !ssf_cur_bytes(&d, 6, &mac) ||
        !ssf_cur_bytes(&d, KNX_NAME_LEN, &name))
        return;
    knx_address(out, ia);
    knx_hex(out, PROBE_EVF_KNX_SERIAL, serial, 6, false);
    knx_hex(out, PROBE_EVF_KNX_MAC, mac, 6, true);
    const uint8_t *nul = memchr(name, '\0', KNX_NAME_LEN);
    probe_ev_add(out, PROBE_EVF_KNX_NAME, PROBE_EV_SRC, name,
                 nul ? (size_t)(nul - name) : KNX_NAME_LEN);
}

/* Supported Service Families DIB body: (family id, version) pairs. A family listed once per
 * version it supports is named once; unknown ids are left out. */
static void knx_families_dib(ssf_cur d, probe_ev_buf_t *out)
{
    uint32_t seen = 0;
    uint8_t id, version;
    while (ssf_cur_u8(&d, &id) && ssf_cur_u8(&d, &version))
        if (id >= KNX_FAMILY_FIRST && id - KNX_FAMILY_FIRST < (int)SSF_ARRAY_LEN(knx_families))
            seen |= UINT32_C(1) << (id - KNX_FAMILY_FIRST);
    probe_ev_str_t s;
    probe_ev_str_init(&s);
    probe_ev_str_bits(&s, knx_families, SSF_ARRAY_LEN(knx_families), seen);
    probe_ev_add_str(out, PROBE_EVF_KNX_SERVICE, PROBE_EV_SRC, &s);
}

/* The DIBs of a search or description response. Malformed DIBs end the walk. */
static void knx_dibs(ssf_cur c, probe_ev_buf_t *out)
{
    for (unsigned i = 0; i < KNX_DIBS_MAX && ssf_cur_left(&c) >= 2; i++) {
        uint8_t len = c.p[0], type = c.p[1];
        ssf_cur d;
        if (len < 2 || !ssf_cur_sub(&c, len, &d)) return;
        ssf_cur_skip(&d, 2);
        if (type == KNX_DIB_DEVICE_INFO && len == KNX_DEVICE_INFO_LEN)
            knx_device_info(d, out);
        else if (type == KNX_DIB_SVC_FAMILIES)
            knx_families_dib(d, out);
    }
}

/* Skips a structure whose first byte is its own length (HPAI, connection header). */
static bool knx_skip_struct(ssf_cur *c)
{
    return ssf_cur_left(c) && c->p[0] && ssf_cur_skip(c, c->p[0]);
}

static void knx_connect_res(ssf_cur c, probe_ev_buf_t *out)
{
    uint8_t channel, status, crd_len, crd_type;
    const uint8_t *ia;
    if (!ssf_cur_u8(&c, &channel) || !ssf_cur_u8(&c, &status) || status != 0) return;
    if (!knx_skip_struct(&c) || !ssf_cur_u8(&c, &crd_len) || !ssf_cur_u8(&c, &crd_type)) return;
    if (crd_type == KNX_CRD_TUNNEL && crd_len >= 4 && ssf_cur_bytes(&c, 2, &ia))
        knx_address(out, ia);
}

/* Feature response (id, return code, value) and info (id, reserved, value). */
static void knx_feature(ssf_cur c, bool response, probe_ev_buf_t *out)
{
    uint8_t id, code;
    const uint8_t *ia;
    if (!knx_skip_struct(&c) || !ssf_cur_u8(&c, &id) || !ssf_cur_u8(&c, &code)) return;
    if (id != KNX_FEATURE_IA || (response && code != 0)) return;
    if (ssf_cur_bytes(&c, 2, &ia)) knx_address(out, ia);
}

static void knx_body(uint16_t service, ssf_cur body, probe_ev_buf_t *out)
{
    switch (service) {
    case KNX_SEARCH_RES:
    case KNX_SEARCH_RES_EXT:
        if (knx_skip_struct(&body)) knx_dibs(body, out); /* control endpoint HPAI */
        break;
    case KNX_DESCRIPTION_RES:
        knx_dibs(body, out);
        break;
    case KNX_CONNECT_RES:
        knx_connect_res(body, out);
        break;
    case KNX_FEATURE_RES:
    case KNX_FEATURE_INFO:
        knx_feature(body, service == KNX_FEATURE_RES, out);
        break;
    default:
        break;
    }
}

/* A frame header at p: SSF_OK with its service and total length, or why not. */
static ssf_rc knx_header(const uint8_t *p, size_t n, uint16_t *service, size_t *len)
{
    if (p[0] != KNX_HDR_LEN) return SSF_EINVAL;
    if (n < 2) return SSF_ETRUNC;
    if (p[1] != KNX_VERSION_10) return SSF_EINVAL;
    if (n < KNX_HDR_LEN) return SSF_ETRUNC;
    *service = (uint16_t)(p[2] << 8 | p[3]);
    *len = (size_t)p[4] << 8 | p[5];
    if (*len < KNX_HDR_LEN) return SSF_EINVAL;
    return *len > n ? SSF_ETRUNC : SSF_OK;
}

ssf_rc probe_ev_knx(const uint8_t *p, size_t n, probe_ev_buf_t *out)
{
    if (!p || !out || n == 0) return SSF_EINVAL;
    size_t off = 0;
    for (unsigned i = 0; i < KNX_FRAMES_MAX && off < n; i++) {
        uint16_t service;
        size_t len;
        ssf_rc rc = knx_header(p + off, n - off, &service, &len);
        /* Junk after a whole frame ends the walk; the frames before it stand. */
        if (rc == SSF_EINVAL && off) return SSF_OK;
        if (rc != SSF_OK) return rc;
        knx_body(service, ssf_cur_make(p + off + KNX_HDR_LEN, len - KNX_HDR_LEN), out);
        off += len;
    }
    return SSF_OK;
}
