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

/* CRC-16/DNP: polynomial 0x3D65 bit-reversed (0xA6BC), initial 0, complemented, sent low
 * byte first. Byte-wise from a table (entry i is the CRC of byte i alone): polling flows carry
 * thousands of frames, each checked. */
static const uint16_t dnp_crc_table[256] = {
    0x0000, 0x365e, 0x6cbc, 0x5ae2, 0xd978, 0xef26, 0xb5c4, 0x839a, 0xff89, 0xc9d7, 0x9335, 0xa56b,
    0x26f1, 0x10af, 0x4a4d, 0x7c13, 0xb26b, 0x8435, 0xded7, 0xe889, 0x6b13, 0x5d4d, 0x07af, 0x31f1,
    0x4de2, 0x7bbc, 0x215e, 0x1700, 0x949a, 0xa2c4, 0xf826, 0xce78, 0x29af, 0x1ff1, 0x4513, 0x734d,
    0xf0d7, 0xc689, 0x9c6b, 0xaa35, 0xd626, 0xe078, 0xba9a, 0x8cc4, 0x0f5e, 0x3900, 0x63e2, 0x55bc,
    0x9bc4, 0xad9a, 0xf778, 0xc126, 0x42bc, 0x74e2, 0x2e00, 0x185e, 0x644d, 0x5213, 0x08f1, 0x3eaf,
    0xbd35, 0x8b6b, 0xd189, 0xe7d7, 0x535e, 0x6500, 0x3fe2, 0x09bc, 0x8a26, 0xbc78, 0xe69a, 0xd0c4,
    0xacd7, 0x9a89, 0xc06b, 0xf635, 0x75af, 0x43f1, 0x1913, 0x2f4d, 0xe135, 0xd76b, 0x8d89, 0xbbd7,
    0x384d, 0x0e13, 0x54f1, 0x62af, 0x1ebc, 0x28e2, 0x7200, 0x445e, 0xc7c4, 0xf19a, 0xab78, 0x9d26,
    0x7af1, 0x4caf, 0x164d, 0x2013, 0xa389, 0x95d7, 0xcf35, 0xf96b, 0x8578, 0xb326, 0xe9c4, 0xdf9a,
    0x5c00, 0x6a5e, 0x30bc, 0x06e2, 0xc89a, 0xfec4, 0xa426, 0x9278, 0x11e2, 0x27bc, 0x7d5e, 0x4b00,
    0x3713, 0x014d, 0x5baf, 0x6df1, 0xee6b, 0xd835, 0x82d7, 0xb489, 0xa6bc, 0x90e2, 0xca00, 0xfc5e,
    0x7fc4, 0x499a, 0x1378, 0x2526, 0x5935, 0x6f6b, 0x3589, 0x03d7, 0x804d, 0xb613, 0xecf1, 0xdaaf,
    0x14d7, 0x2289, 0x786b, 0x4e35, 0xcdaf, 0xfbf1, 0xa113, 0x974d, 0xeb5e, 0xdd00, 0x87e2, 0xb1bc,
    0x3226, 0x0478, 0x5e9a, 0x68c4, 0x8f13, 0xb94d, 0xe3af, 0xd5f1, 0x566b, 0x6035, 0x3ad7, 0x0c89,
    0x709a, 0x46c4, 0x1c26, 0x2a78, 0xa9e2, 0x9fbc, 0xc55e, 0xf300, 0x3d78, 0x0b26, 0x51c4, 0x679a,
    0xe400, 0xd25e, 0x88bc, 0xbee2, 0xc2f1, 0xf4af, 0xae4d, 0x9813, 0x1b89, 0x2dd7, 0x7735, 0x416b,
    0xf5e2, 0xc3bc, 0x995e, 0xaf00, 0x2c9a, 0x1ac4, 0x4026, 0x7678, 0x0a6b, 0x3c35, 0x66d7, 0x5089,
    0xd313, 0xe54d, 0xbfaf, 0x89f1, 0x4789, 0x71d7, 0x2b35, 0x1d6b, 0x9ef1, 0xa8af, 0xf24d, 0xc413,
    0xb800, 0x8e5e, 0xd4bc, 0xe2e2, 0x6178, 0x5726, 0x0dc4, 0x3b9a, 0xdc4d, 0xea13, 0xb0f1, 0x86af,
    0x0535, 0x336b, 0x6989, 0x5fd7, 0x23c4, 0x159a, 0x4f78, 0x7926, 0xfabc, 0xcce2, 0x9600, 0xa05e,
    0x6e26, 0x5878, 0x029a, 0x34c4, 0xb75e, 0x8100, 0xdbe2, 0xedbc, 0x91af, 0xa7f1, 0xfd13, 0xcb4d,
    0x48d7, 0x7e89, 0x246b, 0x1235,
};

static uint16_t dnp_crc(const uint8_t *p, size_t n)
{
    uint16_t crc = 0;
    for (size_t i = 0; i < n; i++)
        crc = (uint16_t)((crc >> 8) ^ dnp_crc_table[(crc ^ p[i]) & 0xff]);
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

/* Request functions that change an outstation: write (2), select/operate/direct operate (3-6),
 * cold and warm restart (13, 14), initialize data (15), initialize/start/stop application
 * (16-18), save configuration (19), enable/disable unsolicited (20, 21), the file functions
 * that open, close, delete, abort or activate (25-27, 30, 31). Freezes (7-12) are left out: a
 * master issues them as routinely as it polls. */
#define DNP_WATCH_FCS                                                                              \
    ((1u << 2) | (1u << 3) | (1u << 4) | (1u << 5) | (1u << 6) | (1u << 13) | (1u << 14) |         \
     (1u << 15) | (1u << 16) | (1u << 17) | (1u << 18) | (1u << 19) | (1u << 20) | (1u << 21) |    \
     (1u << 25) | (1u << 26) | (1u << 27) | (1u << 30) | (1u << 31))

/* Reads each link header and the first user-data bytes, stepping by the length byte; the CRCs
 * are left to the extractor, which checks them before it reports anything. */
bool probe_ev_dnp3_watch(const uint8_t *p, size_t n)
{
    enum { DNP_FC_AT = DNP_HDR + 2 }; /* transport, application control, function */
    for (int i = 0; i < DNP_FRAMES_MAX && n >= DNP_HDR; i++) {
        if (p[0] != 0x05 || p[1] != 0x64 || p[2] < DNP_LEN_MIN) return false;
        size_t data = (size_t)p[2] - DNP_LEN_MIN;
        size_t total = DNP_HDR + data + 2 * ((data + DNP_BLOCK - 1) / DNP_BLOCK);
        if (total > n) return false;
        bool request = (p[3] & (DNP_DIR | DNP_PRM)) == (DNP_DIR | DNP_PRM);
        if (request && data >= 3 && (p[DNP_HDR] & DNP_TP_FIR) && p[DNP_FC_AT] < 32 &&
            (DNP_WATCH_FCS >> p[DNP_FC_AT] & 1u))
            return true;
        p += total, n -= total;
    }
    return false;
}
