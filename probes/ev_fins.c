/* ev_fins.c - identity from Omron FINS Controller Data Read responses (FINS Commands Reference
 * Manual W227, section 5-3-2 "CONTROLLER DATA READ": MRC 05, SRC 01).
 *
 * Over UDP a payload is one FINS frame: a 10-byte header (ICF, RSV, GCT, destination and
 * source network/node/unit, SID), then MRC and SRC, then for a response a 2-byte end code and
 * the data. Over TCP each frame is wrapped in a FINS/TCP header: "FINS", a big-endian length
 * of what follows it, a command (2 = FINS frame send) and an error code. The two are told
 * apart by that magic, since "F" (0x46) is no valid ICF: a FINS ICF has bit 7 set.
 *
 * The response data starts with the controller model (20 bytes) and version (20 bytes), ASCII
 * padded with NULs or spaces. Requests and other commands are FINS that yields nothing: a
 * scanner or fuzzer sending odd commands must not produce evidence, so only frames with the
 * response bit, a normal end code and printable text are read. */
#include "evidence_internal.h"

enum {
    FINS_HDR = 10,              /* ICF .. SID                                         */
    FINS_ICF_GATEWAY = 0x80,    /* set in every frame                                */
    FINS_ICF_RESPONSE = 0x40,   /* clear in commands                                 */
    FINS_ICF_RESERVED = 0x3E,   /* bits 1..5: always zero                            */
    FINS_GCT_MAX = 7,           /* gateway count: at most 8 network hops (0..7)      */
    FINS_MRC_CONTROLLER = 0x05, /* MRC 05: controller status/data                    */
    FINS_SRC_DATA_READ = 0x01,  /* SRC 01: Controller Data Read                      */
    FINS_TEXT = 20,             /* model and version field sizes                     */
    FINS_TCP_HDR = 16,          /* "FINS", length, command, error code               */
    FINS_TCP_LEN_MIN = 8,       /* the length counts command and error code           */
    FINS_TCP_LEN_MAX = 4096,    /* a FINS frame is at most 2012 bytes                 */
    FINS_TCP_FRAME_SEND = 2,
    FINS_TCP_MSGS_MAX = 16, /* messages walked per payload: bounds the work per call */
};

static bool fins_printable(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] < 0x20 || p[i] >= 0x7f) return false;
    return true;
}

/* A fixed-size text field: up to its first NUL, only if that part is printable and the field
 * ends in NUL or space padding, as controllers fill it (a field of 20 letters is filler). */
static void fins_emit_text(probe_ev_buf_t *out, probe_ev_field f, const uint8_t *p)
{
    size_t len = 0;
    if (p[FINS_TEXT - 1] != 0 && p[FINS_TEXT - 1] != ' ') return;
    while (len < FINS_TEXT && p[len])
        len++;
    if (fins_printable(p, len)) probe_ev_add(out, f, PROBE_EV_SRC, p, len);
}

/* c starts at the end code of an MRC 05 SRC 01 response. */
static ssf_rc fins_controller_data(ssf_cur c, probe_ev_buf_t *out)
{
    uint8_t main_code, sub_code;
    const uint8_t *model, *version;
    if (!ssf_cur_u8(&c, &main_code) || !ssf_cur_u8(&c, &sub_code)) return SSF_ETRUNC;
    /* Bit 7 of the main code flags a relay error and bits 6-7 of the sub code flag CPU
     * errors: the data is still there. Any other code means there is no data. */
    if ((main_code & 0x7F) || (sub_code & 0x3F)) return SSF_OK;
    if (!ssf_cur_bytes(&c, FINS_TEXT, &model) || !ssf_cur_bytes(&c, FINS_TEXT, &version))
        return SSF_ETRUNC;
    fins_emit_text(out, PROBE_EVF_FINS_MODEL, model);
    fins_emit_text(out, PROBE_EVF_FINS_VERSION, version);
    return SSF_OK;
}

/* One bare FINS frame, the whole of c. */
static ssf_rc fins_frame(ssf_cur c, probe_ev_buf_t *out)
{
    const uint8_t *h = c.p;
    size_t n = ssf_cur_left(&c);
    if (n >= 1 && ((h[0] & FINS_ICF_RESERVED) || !(h[0] & FINS_ICF_GATEWAY))) return SSF_EINVAL;
    if (n >= 2 && h[1] != 0) return SSF_EINVAL;
    if (n >= 3 && h[2] > FINS_GCT_MAX) return SSF_EINVAL;
    uint8_t mrc, src;
    if (!ssf_cur_skip(&c, FINS_HDR) || !ssf_cur_u8(&c, &mrc) || !ssf_cur_u8(&c, &src))
        return SSF_ETRUNC;
    if (!(h[0] & FINS_ICF_RESPONSE) || mrc != FINS_MRC_CONTROLLER || src != FINS_SRC_DATA_READ)
        return SSF_OK;
    return fins_controller_data(c, out);
}

static bool fins_is_tcp(const uint8_t *p, size_t n)
{
    static const char magic[4] = {'F', 'I', 'N', 'S'};
    return memcmp(p, magic, n < 4 ? n : 4) == 0;
}

/* One FINS/TCP message; advances c past it. */
static ssf_rc fins_tcp_msg(ssf_cur *c, probe_ev_buf_t *out)
{
    ssf_cur h = *c, body;
    uint32_t len, cmd, err;
    if (!fins_is_tcp(h.p, ssf_cur_left(&h))) return SSF_EINVAL;
    if (!ssf_cur_skip(&h, 4) || !ssf_cur_u32be(&h, &len)) return SSF_ETRUNC;
    if (len < FINS_TCP_LEN_MIN || len > FINS_TCP_LEN_MAX) return SSF_EINVAL;
    if (!ssf_cur_u32be(&h, &cmd) || !ssf_cur_u32be(&h, &err)) return SSF_ETRUNC;
    if (!ssf_cur_sub(&h, len - FINS_TCP_LEN_MIN, &body)) return SSF_ETRUNC;
    ssf_rc rc = SSF_OK;
    if (cmd == FINS_TCP_FRAME_SEND && err == 0) rc = fins_frame(body, out);
    /* The message is whole, so a frame cut inside it is malformed, not truncated. */
    if (rc == SSF_ETRUNC) rc = SSF_EINVAL;
    *c = h;
    return rc;
}

static ssf_rc fins_tcp(const uint8_t *p, size_t n, probe_ev_buf_t *out)
{
    ssf_cur c = ssf_cur_make(p, n);
    ssf_rc rc = fins_tcp_msg(&c, out);
    if (rc != SSF_OK) return rc;
    /* Later messages: a cut one is ETRUNC; one that does not parse ends the walk. */
    for (int i = 1; i < FINS_TCP_MSGS_MAX && ssf_cur_left(&c); i++) {
        rc = fins_tcp_msg(&c, out);
        if (rc == SSF_ETRUNC) return rc;
        if (rc != SSF_OK) break;
    }
    return SSF_OK;
}

ssf_rc probe_ev_fins(const uint8_t *p, size_t n, probe_ev_buf_t *out)
{
    if (!p || !out || !n) return SSF_EINVAL;
    if (fins_is_tcp(p, n)) return fins_tcp(p, n, out);
    return fins_frame(ssf_cur_make(p, n), out);
}
