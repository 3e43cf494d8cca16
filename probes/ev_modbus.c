/* ev_modbus.c - identity from Modbus/TCP Read Device Identification responses (Modbus
 * Application Protocol v1.1b3 section 6.21, FC 43 / MEI 14; Modbus Messaging on TCP/IP v1.0b).
 *
 * Bytes alone do not say whether a frame is a request or a response: both directions share the
 * MBAP header and function codes. FC 43/14 is the exception that matters here, because its
 * request PDU is exactly 4 bytes (FC, MEI, ReadDevId code, object id) while a response is at
 * least 7 (FC, MEI, code, conformity, more-follows, next object, count) followed by exactly
 * `count` objects that fill the PDU. A PDU is taken as a response only when it has that shape;
 * anything else (other function codes, exceptions, requests) is Modbus that yields nothing.
 * modbus.unit_id is emitted only for such responses, since only then do we know the sender is
 * the server that answered for that unit.
 *
 * Every frame's function code is reported as modbus.function, about its sender: a client's
 * frames say what it asked for, a server's what it answered, and an exception response (bit 7
 * set) carries its exception code. Each code is reported once per payload.
 *
 * UMAS (Schneider's engineering protocol in FC 90 = 0x5A) is read the same way. Its PDU is
 * FC, pairing key, UMAS function; a reply has 0xFE (OK) where a request has the function, and
 * does not repeat which function it answers. The answer to "read PLC identification" (0x02) is
 * known by its shape: 22 fixed bytes (range, ident, model code, versions, crash code), a length
 * byte, that many printable bytes of CPU name, and a short tail (memory cards). The tail bound
 * keeps echo replies (function 0x0A, which return the request's bytes) from passing for one.
 * Where the firmware version sits in that reply is not publicly settled, so umas.firmware is
 * not emitted yet. */
#include "evidence_internal.h"

enum {
    MB_LEN_MIN = 2,     /* MBAP length counts unit id + at least a function   */
    MB_LEN_MAX = 260,   /* spec: 254; Schneider UMAS sends 255, so the ADU size */
    MB_FRAMES_MAX = 32, /* frames walked per payload: bounds the work per call */
    MB_FC_EXCEPTION = 0x80,
    MB_FC_MEI = 0x2B,    /* Encapsulated Interface Transport                   */
    MB_MEI_DEVID = 0x0E, /* Read Device Identification                         */
    MB_FC_UMAS = 0x5A,
    UMAS_OK = 0xFE,        /* a reply's status, where a request has its function */
    UMAS_ID_FIXED = 22,    /* read-ID reply bytes before the CPU name length      */
    UMAS_ID_TAIL_MAX = 32, /* bytes after the name in a read-ID reply            */
    UMAS_NAME_MIN = 2,
};

/* Device identification objects we report; the others (VendorUrl, UserApplicationName,
 * private objects 0x80..) say nothing a rule matches on today. */
static const struct {
    uint8_t id;
    probe_ev_field field;
} mb_objects[] = {
    {0x00, PROBE_EVF_MODBUS_VENDOR},   {0x01, PROBE_EVF_MODBUS_PRODUCT_CODE},
    {0x02, PROBE_EVF_MODBUS_REVISION}, {0x04, PROBE_EVF_MODBUS_PRODUCT},
    {0x05, PROBE_EVF_MODBUS_MODEL},
};

static void mb_emit_object(probe_ev_buf_t *out, uint8_t id, const uint8_t *v, size_t len)
{
    for (size_t i = 0; i < SSF_ARRAY_LEN(mb_objects); i++) {
        if (mb_objects[i].id != id) continue;
        probe_ev_add(out, mb_objects[i].field, PROBE_EV_SRC, v, len);
        return;
    }
}

/* Walks `count` id/len/value objects; with out NULL it only checks that they fill c exactly,
 * so a PDU that is not a well-formed response yields no partial items. */
static bool mb_objects_walk(ssf_cur c, uint8_t count, probe_ev_buf_t *out)
{
    for (unsigned i = 0; i < count; i++) {
        uint8_t id, len;
        const uint8_t *v;
        if (!ssf_cur_u8(&c, &id) || !ssf_cur_u8(&c, &len) || !ssf_cur_bytes(&c, len, &v))
            return false;
        if (out) mb_emit_object(out, id, v, len);
    }
    return ssf_cur_left(&c) == 0;
}

/* pdu starts after FC and MEI type of an FC 43/14 PDU. */
static void mb_devid(ssf_cur pdu, uint8_t unit, probe_ev_buf_t *out)
{
    uint8_t code, conformity, more, next, count;
    if (!ssf_cur_u8(&pdu, &code) || !ssf_cur_u8(&pdu, &conformity) || !ssf_cur_u8(&pdu, &more) ||
        !ssf_cur_u8(&pdu, &next) || !ssf_cur_u8(&pdu, &count))
        return;
    (void)conformity;
    (void)next;
    /* code: 1 basic, 2 regular, 3 extended, 4 one object; more-follows is 0x00 or 0xFF. */
    if (code < 1 || code > 4 || (more != 0x00 && more != 0xFF)) return;
    if (!mb_objects_walk(pdu, count, NULL)) return;
    probe_ev_str_t s;
    probe_ev_str_init(&s);
    probe_ev_str_u64(&s, unit);
    probe_ev_add_str(out, PROBE_EVF_MODBUS_UNIT, PROBE_EV_SRC, &s);
    mb_objects_walk(pdu, count, out);
}

static bool mb_printable(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] < 0x20 || p[i] >= 0x7f) return false;
    return true;
}

/* pdu starts after FC 0x5A. Only an OK reply shaped like a read-ID answer yields anything. */
static void mb_umas(ssf_cur pdu, probe_ev_buf_t *out)
{
    uint8_t key, status, len;
    const uint8_t *name;
    if (!ssf_cur_u8(&pdu, &key) || !ssf_cur_u8(&pdu, &status) || status != UMAS_OK) return;
    (void)key;
    if (!ssf_cur_skip(&pdu, UMAS_ID_FIXED) || !ssf_cur_u8(&pdu, &len)) return;
    if (len < UMAS_NAME_MIN || !ssf_cur_bytes(&pdu, len, &name)) return;
    if (ssf_cur_left(&pdu) > UMAS_ID_TAIL_MAX || !mb_printable(name, len)) return;
    probe_ev_add(out, PROBE_EVF_UMAS_MODEL, PROBE_EV_SRC, name, len);
}

/* Public function codes (Modbus Application Protocol v1.1b3, 6.1-6.21). */
static const char *mb_fc_name(uint8_t fc)
{
    static const struct {
        uint8_t fc;
        const char *name;
    } names[] = {
        {1, "read_coils"},
        {2, "read_discrete_inputs"},
        {3, "read_holding_registers"},
        {4, "read_input_registers"},
        {5, "write_single_coil"},
        {6, "write_single_register"},
        {7, "read_exception_status"},
        {8, "diagnostics"},
        {11, "get_comm_event_counter"},
        {12, "get_comm_event_log"},
        {15, "write_multiple_coils"},
        {16, "write_multiple_registers"},
        {17, "report_server_id"},
        {20, "read_file_record"},
        {21, "write_file_record"},
        {22, "mask_write_register"},
        {23, "read_write_multiple_registers"},
        {24, "read_fifo_queue"},
        {43, "encapsulated_interface"},
        {90, "umas"},
    };
    for (size_t i = 0; i < SSF_ARRAY_LEN(names); i++)
        if (names[i].fc == fc) return names[i].name;
    return NULL;
}

/* "16 write_multiple_registers", or "16 write_multiple_registers exception 2". */
/* The walk's state: the function codes reported so far (a bit each), and whether the payload
 * is a client's request, whose items describe the server it was sent to. */
typedef struct {
    uint32_t seen[8];
    bool request;
} mb_walk;

static void mb_function(ssf_cur pdu, uint8_t fc, mb_walk *wk, probe_ev_buf_t *out)
{
    uint32_t *seen = wk->seen;
    uint8_t code = fc & (uint8_t)~MB_FC_EXCEPTION, exc;
    bool is_exc = fc & MB_FC_EXCEPTION;
    if (seen[fc >> 5] & (1u << (fc & 31))) return;
    seen[fc >> 5] |= 1u << (fc & 31);
    probe_ev_str_t s;
    probe_ev_str_init(&s);
    probe_ev_str_u64(&s, code);
    const char *name = mb_fc_name(code);
    if (name) probe_ev_str_putc(&s, ' '), probe_ev_str_put(&s, name, strlen(name));
    if (is_exc && ssf_cur_u8(&pdu, &exc)) {
        probe_ev_str_put(&s, " exception ", 11);
        probe_ev_str_u64(&s, exc);
    }
    /* Asked, not yet answered: whether the server took it shows in its response. */
    if (wk->request) probe_ev_str_put(&s, " request", 8);
    probe_ev_add_str(out, PROBE_EVF_MODBUS_FUNCTION, wk->request ? PROBE_EV_DST : PROBE_EV_SRC, &s);
}

/* A request PDU (FC, MEI, code, object id) has too few bytes for mb_devid's fixed header, so
 * requests fall out there without a separate test. */
static void mb_pdu(ssf_cur pdu, uint8_t unit, mb_walk *wk, probe_ev_buf_t *out)
{
    uint8_t fc, mei;
    if (!ssf_cur_u8(&pdu, &fc)) return;
    mb_function(pdu, fc, wk, out);
    if (wk->request) return; /* identity comes in responses only */
    if (fc == MB_FC_UMAS) {
        mb_umas(pdu, out);
        return;
    }
    if (fc != MB_FC_MEI) return; /* exceptions have bit 7 set */
    if (!ssf_cur_u8(&pdu, &mei) || mei != MB_MEI_DEVID) return;
    mb_devid(pdu, unit, out);
}

/* The protocol id bytes of a header cut before its end: zero so far means maybe Modbus. */
static ssf_rc mb_cut_header(const ssf_cur *c)
{
    for (size_t i = 2; i < ssf_cur_left(c) && i < 4; i++)
        if (c->p[i]) return SSF_EINVAL;
    return SSF_ETRUNC;
}

/* One MBAP frame. EINVAL when the header is not Modbus/TCP, ETRUNC when the frame (or its
 * header) goes past the data. */
static ssf_rc mb_frame(ssf_cur *c, mb_walk *wk, probe_ev_buf_t *out)
{
    ssf_cur h = *c, pdu;
    uint16_t tid, proto, len;
    uint8_t unit;
    if (!ssf_cur_u16be(&h, &tid) || !ssf_cur_u16be(&h, &proto)) return mb_cut_header(c);
    (void)tid;
    if (proto != 0) return SSF_EINVAL;
    if (!ssf_cur_u16be(&h, &len)) return SSF_ETRUNC;
    if (len < MB_LEN_MIN || len > MB_LEN_MAX) return SSF_EINVAL;
    /* Function code 0 and exception code 0x80 do not exist; they mark non-Modbus bytes. */
    if (ssf_cur_left(&h) >= 2 && (h.p[1] & ~MB_FC_EXCEPTION) == 0) return SSF_EINVAL;
    if (!ssf_cur_u8(&h, &unit) || !ssf_cur_sub(&h, (size_t)len - 1, &pdu)) return SSF_ETRUNC;
    mb_pdu(pdu, unit, wk, out);
    *c = h;
    return SSF_OK;
}

static ssf_rc mb_payload(const uint8_t *p, size_t n, bool request, probe_ev_buf_t *out)
{
    if (!p || !out || !n) return SSF_EINVAL;
    ssf_cur c = ssf_cur_make(p, n);
    mb_walk wk = {.request = request};
    ssf_rc rc = mb_frame(&c, &wk, out);
    if (rc != SSF_OK) return rc;
    /* Later frames: a cut one is ETRUNC; one that does not parse ends the walk, since the
     * payload already proved to be Modbus and the rest may be a stray segment. */
    for (int i = 1; i < MB_FRAMES_MAX && ssf_cur_left(&c); i++) {
        rc = mb_frame(&c, &wk, out);
        if (rc == SSF_ETRUNC) return rc;
        if (rc != SSF_OK) break;
    }
    return SSF_OK;
}

ssf_rc probe_ev_modbus(const uint8_t *p, size_t n, probe_ev_buf_t *out)
{
    return mb_payload(p, n, false, out);
}

ssf_rc probe_ev_modbus_request(const uint8_t *p, size_t n, probe_ev_buf_t *out)
{
    return mb_payload(p, n, true, out);
}

/* Function codes that change a server's state (writes, file records), as a bit per code: 5, 6,
 * 15, 16, 21, 22, 23. An exception to one of them is an attempted write. */
#define MB_WATCH_FCS                                                                               \
    ((1u << 5) | (1u << 6) | (1u << 15) | (1u << 16) | (1u << 21) | (1u << 22) | (1u << 23))

/* Diagnostics (FC 8) sub-functions that change the server: restart communications (1), change
 * the ASCII delimiter (3), force listen-only mode (4), clear counters (10), clear overrun (20).
 * Return Query Data (0), the echo some masters poll with, and the counter reads are not. */
#define MB_WATCH_DIAG ((1u << 1) | (1u << 3) | (1u << 4) | (1u << 10) | (1u << 20))

/* Identification, which an engineering tool may ask for at any time in a connection that a
 * side stopped reading early (worker_ident.c): Report Server ID (17) and Read Device
 * Identification (43 with MEI type 14). Not their exceptions: those name nothing. */
static bool mb_watch_ident(const uint8_t *pdu, size_t n)
{
    enum { MB_FC_REPORT_ID = 17 };
    if (pdu[0] == MB_FC_REPORT_ID) return true;
    return pdu[0] == MB_FC_MEI && n >= 2 && pdu[1] == MB_MEI_DEVID;
}

/* pdu and n: function code and data of one whole frame. */
static bool mb_watch_pdu(const uint8_t *pdu, size_t n)
{
    enum { MB_FC_DIAG = 8 };
    if (mb_watch_ident(pdu, n)) return true;
    uint8_t fc = pdu[0] & (uint8_t)~MB_FC_EXCEPTION;
    if (fc != MB_FC_DIAG) return fc < 32 && (MB_WATCH_FCS >> fc & 1u);
    if ((pdu[0] & MB_FC_EXCEPTION) || n < 3 || pdu[1]) return false; /* sub-functions < 256 */
    return pdu[2] < 32 && (MB_WATCH_DIAG >> pdu[2] & 1u);
}

/* Reads MBAP headers only (protocol 0, length, unit, function) and steps by the stated length.
 * Only whole frames count: the extractor reports nothing from a cut one either. */
bool probe_ev_modbus_watch(const uint8_t *p, size_t n)
{
    enum { MBAP = 6, MBAP_FC = 7 }; /* bytes before the unit id; before the function code */
    for (int i = 0; i < MB_FRAMES_MAX && n > MBAP_FC; i++) {
        size_t len = (size_t)p[4] << 8 | p[5];
        if (p[2] || p[3] || len < MB_LEN_MIN || len > MB_LEN_MAX || n - MBAP < len) return false;
        if (mb_watch_pdu(p + MBAP_FC, len - 1)) return true;
        p += MBAP + len, n -= MBAP + len;
    }
    return false;
}
