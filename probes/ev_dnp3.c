/* ev_dnp3.c - link addresses and application function codes from DNP3 (IEEE 1815-2012) over
 * TCP or UDP 20000.
 *
 * A link frame is a 10-byte header (0x05 0x64, length, control, destination, source, CRC) and
 * then up to 250 user-data bytes sent in blocks of 16, each followed by its own CRC. The
 * header's DIR bit says which end sent it: 1 from the master, 0 from the outstation. That is
 * what lets us name both ends by role. The header CRC is checked because two start bytes are a
 * weak test on a shared port. Only the first user-data block is needed: it holds the transport
 * byte, application control and function code. */
#include "evidence_internal.h"

enum {
    DNP_HDR = 10,         /* start(2) len ctrl dst(2) src(2) crc(2)                  */
    DNP_LEN_MIN = 5,      /* length counts ctrl, dst, src and user data, not CRCs    */
    DNP_BLOCK = 16,       /* user-data bytes per CRC                                 */
    DNP_FRAMES_MAX = 16,  /* frames walked per payload                               */
    DNP_DIR = 0x80,       /* link control: sent by the master                        */
    DNP_PRM = 0x40,       /* link control: primary (initiating) frame                */
    DNP_TP_FIR = 0x40,    /* transport: first segment of an application fragment     */
    DNP_BCAST = 0xfffd,   /* 0xfffd..0xffff are broadcast, not a station             */
    DNP_FC_REQ_MAX = 0x7f /* application function codes above are responses          */
};

/* IEEE 1815-2012 table 4-1 (request) and 4-2 (response) function codes. */
static const char *const dnp_fc_names[] = {
    "confirm",
    "read",
    "write",
    "select",
    "operate",
    "direct_operate",
    "direct_operate_nr",
    "immed_freeze",
    "immed_freeze_nr",
    "freeze_clear",
    "freeze_clear_nr",
    "freeze_at_time",
    "freeze_at_time_nr",
    "cold_restart",
    "warm_restart",
    "initialize_data",
    "initialize_appl",
    "start_appl",
    "stop_appl",
    "save_config",
    "enable_unsolicited",
    "disable_unsolicited",
    "assign_class",
    "delay_measure",
    "record_current_time",
    "open_file",
    "close_file",
    "delete_file",
    "get_file_info",
    "authenticate_file",
    "abort_file",
    "activate_config",
    "authenticate_req",
    "auth_req_no_ack",
};

/* CRC-16/DNP: polynomial 0x3D65 bit-reversed, initial 0, complemented, sent low byte first. */
static uint16_t dnp_crc(const uint8_t *p, size_t n)
{
    uint16_t crc = 0;
    for (size_t i = 0; i < n; i++) {
        crc ^= p[i];
        for (int b = 0; b < 8; b++)
            crc = (crc & 1) ? (uint16_t)((crc >> 1) ^ 0xA6BC) : (uint16_t)(crc >> 1);
    }
    return (uint16_t)~crc;
}

static bool dnp_crc_ok(const uint8_t *p, size_t n)
{
    uint16_t c = dnp_crc(p, n);
    return p[n] == (c & 0xff) && p[n + 1] == (c >> 8);
}

/* Polls repeat the same addresses frame after frame: add each value once per payload. */
static void dnp_add_once(probe_ev_buf_t *out, probe_ev_field f, probe_ev_role role,
                         const probe_ev_str_t *s)
{
    for (size_t i = 0; i < out->n; i++) {
        const probe_ev_t *it = &out->items[i];
        if (it->field == f && it->role == role && strcmp(it->value, s->s) == 0) return;
    }
    probe_ev_add_str(out, f, role, s);
}

static void dnp_add_u16(probe_ev_buf_t *out, probe_ev_field f, probe_ev_role role, uint16_t v)
{
    probe_ev_str_t s;
    probe_ev_str_init(&s);
    probe_ev_str_u64(&s, v);
    dnp_add_once(out, f, role, &s);
}

static void dnp_add_function(probe_ev_buf_t *out, uint8_t fc)
{
    probe_ev_str_t s;
    probe_ev_str_init(&s);
    probe_ev_str_u64(&s, fc);
    if (fc < SSF_ARRAY_LEN(dnp_fc_names)) {
        probe_ev_str_putc(&s, ' ');
        probe_ev_str_put(&s, dnp_fc_names[fc], strlen(dnp_fc_names[fc]));
    }
    dnp_add_once(out, PROBE_EVF_DNP3_FUNCTION, PROBE_EV_SRC, &s);
}

/* Addresses say who is who whatever the frame carries; broadcast destinations name nobody. */
static void dnp_addresses(probe_ev_buf_t *out, bool from_master, uint16_t dst, uint16_t src)
{
    probe_ev_role o_role = from_master ? PROBE_EV_DST : PROBE_EV_SRC;
    uint16_t outstation = from_master ? dst : src, master = from_master ? src : dst;
    if (outstation < DNP_BCAST) dnp_add_u16(out, PROBE_EVF_DNP3_OUTSTATION, o_role, outstation);
    if (from_master) dnp_add_u16(out, PROBE_EVF_DNP3_MASTER, PROBE_EV_SRC, master);
}

/* The first user-data block (CRC already checked): transport byte, then on the first segment
 * of a fragment the application control and function code. Requests come from the master. */
static void dnp_user_data(probe_ev_buf_t *out, bool from_master, const uint8_t *d, size_t n)
{
    if (!from_master || n < 3 || !(d[0] & DNP_TP_FIR)) return;
    if (d[2] <= DNP_FC_REQ_MAX) dnp_add_function(out, d[2]);
}

/* One link frame at c. EINVAL: not DNP3 (start bytes, length, header CRC, a data CRC);
 * ETRUNC: the frame runs past the data. */
static ssf_rc dnp_frame(ssf_cur *c, probe_ev_buf_t *out)
{
    size_t left = ssf_cur_left(c);
    const uint8_t *h = c->p;
    if ((left >= 1 && h[0] != 0x05) || (left >= 2 && h[1] != 0x64)) return SSF_EINVAL;
    if (left >= 3 && h[2] < DNP_LEN_MIN) return SSF_EINVAL;
    if (left < DNP_HDR) return SSF_ETRUNC;
    if (!dnp_crc_ok(h, 8)) return SSF_EINVAL;
    size_t data = (size_t)h[2] - DNP_LEN_MIN;
    size_t blocks = (data + DNP_BLOCK - 1) / DNP_BLOCK;
    size_t total = DNP_HDR + data + 2 * blocks;
    if (left < total) {
        /* A cut frame still names both ends: the header is whole and checked. */
        dnp_addresses(out, h[3] & DNP_DIR, (uint16_t)(h[4] | h[5] << 8),
                      (uint16_t)(h[6] | h[7] << 8));
        return SSF_ETRUNC;
    }
    size_t first = data < DNP_BLOCK ? data : DNP_BLOCK;
    if (first && !dnp_crc_ok(h + DNP_HDR, first)) return SSF_EINVAL;
    bool from_master = h[3] & DNP_DIR;
    dnp_addresses(out, from_master, (uint16_t)(h[4] | h[5] << 8), (uint16_t)(h[6] | h[7] << 8));
    /* User data only travels in primary frames (confirmed or unconfirmed user data). */
    if (first && (h[3] & DNP_PRM)) dnp_user_data(out, from_master, h + DNP_HDR, first);
    c->p += total;
    return SSF_OK;
}

ssf_rc probe_ev_dnp3(const uint8_t *p, size_t n, probe_ev_buf_t *out)
{
    if (!p || !out || !n) return SSF_EINVAL;
    ssf_cur c = ssf_cur_make(p, n);
    ssf_rc rc = dnp_frame(&c, out);
    if (rc != SSF_OK) return rc;
    /* Later frames: a cut one is ETRUNC, one that is not DNP3 ends the walk. */
    for (int i = 1; i < DNP_FRAMES_MAX && ssf_cur_left(&c); i++) {
        rc = dnp_frame(&c, out);
        if (rc == SSF_ETRUNC) return rc;
        if (rc != SSF_OK) break;
    }
    return SSF_OK;
}
