/* ev_s7.c - identity from S7comm "Read SZL" responses, and the presence of S7comm-Plus, over
 * ISO-on-TCP (TPKT RFC 1006, COTP ISO 8073 class 0), plus the identity string an S7comm-Plus
 * PLC sends in clear (see s7p_ident).
 *
 * Layouts, as Wireshark's packet-s7comm.c / s7comm_szl_ids.c and Siemens' "System Software for
 * S7-300/400 System and Standard Functions" (SSL lists) describe them:
 *   TPKT     version 3, reserved 0, length (u16, whole TPKT frame)
 *   COTP     length indicator (header bytes after it), PDU type (0xF0 data), ...
 *   S7comm   0x32, ROSCTR, redundancy id (2), PDU ref (2), param length (2), data length (2),
 *            and for ROSCTR 2/3 error class + code (2)
 *   userdata parameters: 00 01 12, param length, method, type<<4 | function group, subfunction,
 *            sequence, [data unit ref, last data unit, error code (2)]; a response has type 8,
 *            "CPU functions" is group 4, "Read SZL" is subfunction 1
 *   data     return code (0xFF ok), transport size, length (2), then SZL-ID (2), index (2),
 *            entry length in bytes (2), entry count (2), entries
 * The SZL-ID's low byte names the list; its high byte selects an extract (0x00 all records,
 * 0x01 one record, 0x0F header only), so 0x0011 and 0x0111 are both matched by 0x11.
 *
 * A long SZL answer is split over several userdata PDUs; only the first carries the SZL
 * header. Follow-up pieces are not reassembled: their first bytes rarely pass the list id,
 * entry length and index checks, and whole entries in the first piece are still used. */
#include "evidence_internal.h"

#include <stdio.h>

enum {
    TPKT_HDR_LEN = 4,
    TPKT_VERSION = 3,
    TPKT_FRAMES_MAX = 8, /* frames walked per payload: bounds the work per call     */
    COTP_DT = 0xF0,      /* data TPDU; CR/CC/DR carry no S7 PDU                    */
    COTP_CR = 0xE0,      /* connection request: its TSAPs name the client's role   */
    COTP_TSAP_DST = 0xC2,
    S7P_OP_REQUEST = 0x31,     /* S7comm-Plus opcode of a client's request              */
    S7P_CLIENT_ATTR_HI = 0x82, /* attribute 301 (VLQ 82 2D): the client application, */
    S7P_CLIENT_ATTR_LO = 0x2D, /* "OMS+ for SMART Runtime" in the corpus trace       */
    S7P_WSTRING = 0x15,
    S7_PROTO = 0x32,    /* S7comm                                                 */
    S7P_PROTO = 0x72,   /* S7comm-Plus (S7-1200/1500, TIA portal)                 */
    S7P_SCAN_MAX = 512, /* S7comm-Plus bytes searched for the identity string      */
    S7P_ORDER_MIN = 10, /* order numbers are ~19 characters ("6ES7 211-1BE31-0XB0")  */
    S7_JOB = 1,
    S7_ACK = 2,
    S7_ACK_DATA = 3,
    S7_USERDATA = 7,
    S7_UD_RESPONSE = 8,  /* type nibble of a userdata response                      */
    S7_UD_GRP_CPU = 4,   /* function group "CPU functions"                          */
    S7_UD_READ_SZL = 1,  /* subfunction "Read SZL"                                  */
    S7_RET_OK = 0xFF,    /* data item return code "success"                         */
    S7_TS_OCTETS = 0x09, /* transport size: length counts bytes                     */
    SZL_ENTRIES_MAX = 64 /* entries looked at per answer                            */
};

/* What one payload has already yielded, so several frames do not repeat it. */
typedef struct {
    bool plus_seen;   /* s7.protocol emitted                          */
    bool ident_seen;  /* an S7comm-Plus identity string was emitted    */
    bool client_seen; /* an S7comm-Plus client name was emitted        */
} s7_state;

typedef void (*s7_render_fn)(probe_ev_str_t *s, const uint8_t *v, size_t len);

/* Text padded with NULs (and spaces, which probe_ev_add trims): keep what precedes the NUL. */
static void s7_render_text(probe_ev_str_t *s, const uint8_t *v, size_t len)
{
    const uint8_t *nul = memchr(v, 0, len);
    probe_ev_str_put(s, v, nul ? (size_t)(nul - v) : len);
}

/* Firmware in Ausbg/Ausbe of an SZL 0x0011 firmware record: 'V', major, minor, patch. */
static void s7_render_version(probe_ev_str_t *s, const uint8_t *v, size_t len)
{
    if (len != 4 || v[0] != 'V') return;
    char buf[16];
    int k = snprintf(buf, sizeof buf, "V%u.%u.%u", v[1], v[2], v[3]);
    probe_ev_str_put(s, buf, (size_t)k);
}

/* The SZL lists we read and their entry size: 0x0011 module identification (index, MlfB[20],
 * BGTyp, Ausbg, Ausbe), 0x001C component identification (index, 32 characters). */
static const struct {
    uint8_t list;
    uint16_t entry_len;
} s7_lists[] = {{0x11, 28}, {0x1C, 34}};

/* Which record says what. For one field the earlier row wins: 0x0007 (basic firmware) before
 * 0x0081 (firmware extension), the user's module name (2) before the module type name (7).
 * Names, serial and order number are 20-24 characters followed by reserved bytes. */
static const struct {
    uint8_t list;
    uint16_t index;
    probe_ev_field field;
    uint8_t off, len; /* value within the entry                    */
    s7_render_fn render;
} s7_records[] = {
    {0x11, 0x0001, PROBE_EVF_S7_ORDER, 2, 20, s7_render_text},
    {0x11, 0x0007, PROBE_EVF_S7_FIRMWARE, 24, 4, s7_render_version},
    {0x11, 0x0081, PROBE_EVF_S7_FIRMWARE, 24, 4, s7_render_version},
    {0x1C, 0x0001, PROBE_EVF_S7_NAME, 2, 24, s7_render_text},
    {0x1C, 0x0002, PROBE_EVF_S7_MODULE, 2, 24, s7_render_text},
    {0x1C, 0x0003, PROBE_EVF_S7_PLANT_ID, 2, 32, s7_render_text},
    {0x1C, 0x0005, PROBE_EVF_S7_SERIAL, 2, 24, s7_render_text},
    {0x1C, 0x0007, PROBE_EVF_S7_MODULE, 2, 32, s7_render_text},
};

/* Emits one item per field from the records found, earlier rows first. */
static void s7_emit_records(const uint8_t *const found[], probe_ev_buf_t *out)
{
    for (size_t i = 0; i < SSF_ARRAY_LEN(s7_records); i++) {
        if (!found[i]) continue;
        bool done = false;
        for (size_t j = 0; j < i; j++)
            done |= found[j] && s7_records[j].field == s7_records[i].field;
        if (done) continue;
        probe_ev_str_t s;
        probe_ev_str_init(&s);
        s7_records[i].render(&s, found[i] + s7_records[i].off, s7_records[i].len);
        probe_ev_add_str(out, s7_records[i].field, PROBE_EV_SRC, &s);
    }
}

/* c holds the SZL header and entries of a successful answer. */
static void s7_szl(ssf_cur c, probe_ev_buf_t *out)
{
    uint16_t id, index, entry_len, count;
    if (!ssf_cur_u16be(&c, &id) || !ssf_cur_u16be(&c, &index) || !ssf_cur_u16be(&c, &entry_len) ||
        !ssf_cur_u16be(&c, &count))
        return;
    uint8_t list = (uint8_t)(id & 0xFF);
    bool known = false;
    for (size_t i = 0; i < SSF_ARRAY_LEN(s7_lists); i++)
        known |= s7_lists[i].list == list && s7_lists[i].entry_len == entry_len;
    if (!known) return;
    const uint8_t *found[SSF_ARRAY_LEN(s7_records)] = {0};
    const uint8_t *e;
    for (unsigned k = 0; k < count && k < SZL_ENTRIES_MAX && ssf_cur_bytes(&c, entry_len, &e);
         k++) {
        uint16_t rec = (uint16_t)(e[0] << 8 | e[1]);
        for (size_t i = 0; i < SSF_ARRAY_LEN(s7_records); i++)
            if (s7_records[i].list == list && s7_records[i].index == rec && !found[i]) found[i] = e;
    }
    s7_emit_records(found, out);
}

/* Userdata: only a successful "CPU functions / Read SZL" response says anything. */
static void s7_userdata(ssf_cur param, ssf_cur data, probe_ev_buf_t *out)
{
    const uint8_t *head;
    uint8_t plen, method, tg, sub, ret, ts;
    uint16_t dlen;
    if (!ssf_cur_bytes(&param, 3, &head) || head[0] != 0x00 || head[1] != 0x01 || head[2] != 0x12 ||
        !ssf_cur_u8(&param, &plen) || !ssf_cur_u8(&param, &method) || !ssf_cur_u8(&param, &tg) ||
        !ssf_cur_u8(&param, &sub))
        return;
    (void)plen;
    (void)method;
    if (tg >> 4 != S7_UD_RESPONSE || (tg & 0x0F) != S7_UD_GRP_CPU || sub != S7_UD_READ_SZL) return;
    ssf_cur szl;
    if (!ssf_cur_u8(&data, &ret) || !ssf_cur_u8(&data, &ts) || !ssf_cur_u16be(&data, &dlen) ||
        ret != S7_RET_OK || ts != S7_TS_OCTETS || !ssf_cur_sub(&data, dlen, &szl))
        return;
    s7_szl(szl, out);
}

/* Job functions (the parameter's first byte) that read, write or change the program of a PLC
 * (issue 4: unauth_ics_write, unauth_ics_program). Names as Wireshark's packet-s7comm.c. */
static const struct {
    uint8_t code;
    const char *name;
} s7_funcs[] = {
    {0x04, "read_var"},       {0x05, "write_var"},      {0x1A, "request_download"},
    {0x1B, "download_block"}, {0x1C, "download_ended"}, {0x1D, "start_upload"},
    {0x1E, "upload"},         {0x1F, "end_upload"},     {0x28, "pi_service"},
    {0x29, "plc_stop"},
};

/* A PI service job: 7 unknown bytes, parameter block (u16 length), then the service name with a
 * one-byte length ("_INSE", "_DELE", "P_PROGRAM"). Appended only when it is plain text. */
static void s7_pi_name(ssf_cur param, probe_ev_str_t *s)
{
    uint16_t blen;
    uint8_t nlen;
    const uint8_t *name;
    if (!ssf_cur_skip(&param, 7) || !ssf_cur_u16be(&param, &blen) || !ssf_cur_skip(&param, blen) ||
        !ssf_cur_u8(&param, &nlen) || !nlen || !ssf_cur_bytes(&param, nlen, &name))
        return;
    for (size_t i = 0; i < nlen; i++)
        if (!((name[i] >= 'A' && name[i] <= 'Z') || (name[i] >= '0' && name[i] <= '9') ||
              name[i] == '_'))
            return;
    probe_ev_str_putc(s, ' ');
    probe_ev_str_put(s, name, nlen);
}

/* s7.function for a job ("0x1a request_download") or its ACK_DATA reply ("... reply: ok" or
 * "... reply: error 0x8104", the header's error class and code). param starts at the function. */
static void s7_function(uint8_t rosctr, ssf_cur param, uint16_t err, probe_ev_buf_t *out)
{
    if (!ssf_cur_left(&param)) return;
    uint8_t code = param.p[0];
    const char *name = NULL;
    for (size_t i = 0; i < SSF_ARRAY_LEN(s7_funcs) && !name; i++)
        if (s7_funcs[i].code == code) name = s7_funcs[i].name;
    if (!name) return;
    probe_ev_str_t s;
    probe_ev_str_init(&s);
    probe_ev_str_put(&s, "0x", 2);
    probe_ev_str_hex(&s, code);
    probe_ev_str_putc(&s, ' ');
    probe_ev_str_put(&s, name, strlen(name));
    if (rosctr == S7_JOB && code == 0x28) {
        ssf_cur_skip(&param, 1);
        s7_pi_name(param, &s);
    }
    if (rosctr == S7_ACK_DATA) {
        probe_ev_str_put(&s, " reply: ", 8);
        if (!err) {
            probe_ev_str_put(&s, "ok", 2);
        } else {
            probe_ev_str_put(&s, "error 0x", 8);
            probe_ev_str_hex(&s, (uint8_t)(err >> 8));
            probe_ev_str_hex(&s, (uint8_t)err);
        }
    }
    probe_ev_add_str(out, PROBE_EVF_S7_FUNCTION, PROBE_EV_SRC, &s);
}

/* One S7comm PDU filling c. EINVAL when the header or its lengths do not hold. */
static ssf_rc s7_pdu(ssf_cur c, probe_ev_buf_t *out)
{
    uint8_t proto, rosctr;
    uint16_t red, ref, plen, dlen;
    if (!ssf_cur_u8(&c, &proto) || proto != S7_PROTO || !ssf_cur_u8(&c, &rosctr)) return SSF_EINVAL;
    if (rosctr != S7_JOB && rosctr != S7_ACK && rosctr != S7_ACK_DATA && rosctr != S7_USERDATA)
        return SSF_EINVAL;
    if (!ssf_cur_u16be(&c, &red) || !ssf_cur_u16be(&c, &ref) || !ssf_cur_u16be(&c, &plen) ||
        !ssf_cur_u16be(&c, &dlen))
        return SSF_EINVAL;
    (void)red;
    (void)ref;
    uint16_t err = 0;
    if ((rosctr == S7_ACK || rosctr == S7_ACK_DATA) && !ssf_cur_u16be(&c, &err)) return SSF_EINVAL;
    ssf_cur param, data;
    if (!ssf_cur_sub(&c, plen, &param) || !ssf_cur_sub(&c, dlen, &data)) return SSF_EINVAL;
    if (rosctr == S7_USERDATA) s7_userdata(param, data, out);
    if (rosctr == S7_JOB || rosctr == S7_ACK_DATA) s7_function(rosctr, param, err, out);
    return SSF_OK;
}

/* S7comm-Plus is mostly encrypted/opaque, but an S7-1200/1500's CreateObject response carries
 * its identity as a plain WString attribute "1;6ES7 211-1BE31-0XB0 ;V3.0" (seen in the corpus'
 * s7comm-plus.pcap). We do not decode S7comm-Plus objects; we look for a value encoded as
 * flags 0x00, datatype 0x15 (WString), one-byte length, and text of that exact shape. */
static bool s7p_ident(const uint8_t *v, size_t len, probe_ev_buf_t *out)
{
    const uint8_t *a = memchr(v, ';', len);
    if (!a || a == v) return false;
    for (const uint8_t *d = v; d < a; d++)
        if (*d < '0' || *d > '9') return false;
    const uint8_t *b = memchr(a + 1, ';', len - (size_t)(a + 1 - v));
    if (!b || b - a - 1 < S7P_ORDER_MIN || len - (size_t)(b - v) < 3 || b[1] != 'V' || b[2] < '0' ||
        b[2] > '9')
        return false;
    if (memchr(b + 1, ';', len - (size_t)(b + 1 - v))) return false;
    probe_ev_add(out, PROBE_EVF_S7_ORDER, PROBE_EV_SRC, a + 1, (size_t)(b - a - 1));
    probe_ev_add(out, PROBE_EVF_S7_FIRMWARE, PROBE_EV_SRC, b + 1, len - (size_t)(b + 1 - v));
    return true;
}

/* A client's CreateObject request names the application behind the session as a WString
 * attribute: attribute marker 0xA3, id 301, flags 0, WString, one-byte length, text. */
static void s7p_client(ssf_cur c, s7_state *st, probe_ev_buf_t *out)
{
    for (const uint8_t *q = c.p; !st->client_seen && c.end - q >= 6; q++) {
        size_t len = q[5];
        if (q[0] != 0xA3 || q[1] != S7P_CLIENT_ATTR_HI || q[2] != S7P_CLIENT_ATTR_LO || q[3] ||
            q[4] != S7P_WSTRING || len >= 0x80 || (size_t)(c.end - q - 6) < len)
            continue;
        st->client_seen = probe_ev_add(out, PROBE_EVF_S7_CLIENT, PROBE_EV_SRC, q + 6, len);
    }
}

/* c holds one S7comm-Plus PDU: 0x72, version, length (2), opcode. A request is the client's,
 * which names its application; anything else comes from the PLC, which runs the protocol and
 * may name itself. Only the first S7P_SCAN_MAX bytes are searched: the strings come early
 * (offset ~80 in the corpus trace), and the cap keeps hostile "00 15 7f" runs from costing
 * O(n * 127). One string of each kind per payload is enough. */
static void s7p_scan(ssf_cur c, s7_state *st, probe_ev_buf_t *out)
{
    if (ssf_cur_left(&c) > S7P_SCAN_MAX) c.end = c.p + S7P_SCAN_MAX;
    if (ssf_cur_left(&c) > 4 && c.p[4] == S7P_OP_REQUEST) {
        s7p_client(c, st, out);
        return;
    }
    if (!st->plus_seen) probe_ev_add(out, PROBE_EVF_S7_PLUS, PROBE_EV_SRC, "S7comm-Plus", 11);
    st->plus_seen = true;
    for (const uint8_t *q = c.p; !st->ident_seen && c.end - q >= 3; q++) {
        size_t len = q[2];
        if (q[0] != 0x00 || q[1] != 0x15 || len >= 0x80 || (size_t)(c.end - q - 3) < len) continue;
        st->ident_seen = s7p_ident(q + 3, len, out);
    }
}

/* A connection request's destination TSAP: Siemens HMIs and engineering tools ask for
 * "SIMATIC-ROOT-HMI" / "SIMATIC-ROOT-ES", which says what the client is. c holds the CR's
 * fixed part (dst ref, src ref, class) and its parameters. */
static bool s7_cotp_cr(ssf_cur c, probe_ev_buf_t *out)
{
    uint8_t code, len;
    if (!ssf_cur_skip(&c, 5)) return false;
    while (ssf_cur_u8(&c, &code) && ssf_cur_u8(&c, &len) && ssf_cur_left(&c) >= len) {
        if (code == COTP_TSAP_DST && len > 8 && !memcmp(c.p, "SIMATIC-", 8)) {
            probe_ev_add(out, PROBE_EVF_S7_CLIENT, PROBE_EV_SRC, c.p, len);
            return true;
        }
        ssf_cur_skip(&c, len);
    }
    return false;
}

/* One TPKT frame (without its header) holding COTP and, for data TPDUs, an S7 PDU. */
static ssf_rc s7_cotp(ssf_cur c, s7_state *st, probe_ev_buf_t *out)
{
    uint8_t li, type;
    ssf_cur hdr;
    if (!ssf_cur_u8(&c, &li) || li < 1 || !ssf_cur_sub(&c, li, &hdr) || !ssf_cur_u8(&hdr, &type))
        return SSF_EINVAL;
    /* A CR is S7's only when it asks for a SIMATIC TSAP: MMS and others share port 102. */
    if (type == COTP_CR) return s7_cotp_cr(hdr, out) ? SSF_OK : SSF_EINVAL;
    if (type != COTP_DT || !ssf_cur_left(&c)) return SSF_EINVAL;
    if (c.p[0] != S7P_PROTO) return s7_pdu(c, out);
    s7p_scan(c, st, out);
    return SSF_OK;
}

/* Splits the next TPKT frame off c. A cut header is ETRUNC while its bytes still fit TPKT. */
static ssf_rc s7_tpkt(ssf_cur *c, ssf_cur *frame)
{
    uint8_t ver, rsv;
    uint16_t len;
    if (!ssf_cur_u8(c, &ver)) return SSF_ETRUNC;
    if (ver != TPKT_VERSION) return SSF_EINVAL;
    if (!ssf_cur_u8(c, &rsv)) return SSF_ETRUNC;
    if (rsv != 0) return SSF_EINVAL;
    if (!ssf_cur_u16be(c, &len)) return SSF_ETRUNC;
    if (len < TPKT_HDR_LEN + 3) return SSF_EINVAL; /* + COTP length, type, one more byte */
    return ssf_cur_sub(c, (size_t)len - TPKT_HDR_LEN, frame) ? SSF_OK : SSF_ETRUNC;
}

ssf_rc probe_ev_s7(const uint8_t *p, size_t n, probe_ev_buf_t *out)
{
    if (!p || !out || !n) return SSF_EINVAL;
    ssf_cur c = ssf_cur_make(p, n), frame;
    s7_state st = {false, false, false};
    bool s7 = false;
    for (int i = 0; i < TPKT_FRAMES_MAX && ssf_cur_left(&c); i++) {
        /* Frames without an S7 PDU (COTP CR/CC, the empty DTs S7comm-Plus sends between
         * requests, MMS) are stepped over; bytes that are not TPKT end the walk, and a cut
         * frame says "feed more" (items already found stay). */
        ssf_rc rc = s7_tpkt(&c, &frame);
        if (rc == SSF_ETRUNC) return rc;
        if (rc != SSF_OK) break;
        s7 |= s7_cotp(frame, &st, out) == SSF_OK;
    }
    return s7 ? SSF_OK : SSF_EINVAL;
}

/* Job functions that change the PLC or its program, and their replies: write var, the
 * download steps, the upload steps, PI services (_INSE, _DELE, start), PLC stop. Read var,
 * the polling function, is left out. One bit per code below 64. */
#define S7_WATCH_FUNCS                                                                             \
    ((1ull << 0x05) | (1ull << 0x1A) | (1ull << 0x1B) | (1ull << 0x1C) | (1ull << 0x1D) |          \
     (1ull << 0x1E) | (1ull << 0x1F) | (1ull << 0x28) | (1ull << 0x29))

/* An S7comm job or ACK_DATA: the function is the parameter's first byte, after a 10-byte
 * header (12 with the ACK_DATA error field). s and n hold the rest of the TPKT frame. */
static bool s7_watch_pdu(const uint8_t *s, size_t n)
{
    size_t hdr = s[1] == S7_JOB ? 10 : s[1] == S7_ACK_DATA ? 12 : 0;
    if (!hdr || n <= hdr || !(s[6] | s[7])) return false;
    uint8_t fn = s[hdr];
    return fn < 64 && (S7_WATCH_FUNCS >> fn & 1u);
}

/* S7comm-Plus: version, length, then (after a 33-byte integrity digest in version 3) opcode,
 * two reserved bytes and the function: CreateObject and DeleteObject (sessions, program
 * objects) and the SetVariable family (writes), requests and responses. */
static bool s7p_watch_pdu(const uint8_t *s, size_t n)
{
    enum { S7P_DIGEST = 33, S7P_OP_RESPONSE = 0x32 };
    size_t at = 4;
    if (n > at && s[1] == 3 && s[at] == S7P_DIGEST - 1) at += S7P_DIGEST;
    if (n < at + 5 || (s[at] != S7P_OP_REQUEST && s[at] != S7P_OP_RESPONSE)) return false;
    uint16_t fn = (uint16_t)(s[at + 3] << 8 | s[at + 4]);
    return fn == 0x04CA || fn == 0x04D4 || fn == 0x04F2 || fn == 0x0542 || fn == 0x057C;
}

/* Walks TPKT frames and COTP data headers as the extractor does, reading a few bytes of each
 * S7 PDU. A cut frame is not looked into: the extractor would not read it either. */
bool probe_ev_s7_watch(const uint8_t *p, size_t n)
{
    for (int i = 0; i < TPKT_FRAMES_MAX && n >= TPKT_HDR_LEN + 3; i++) {
        size_t len = (size_t)p[2] << 8 | p[3];
        if (p[0] != TPKT_VERSION || p[1] || len < TPKT_HDR_LEN + 3 || len > n) return false;
        size_t li = p[4], at = TPKT_HDR_LEN + 1 + li;
        /* at + 2: the S7 PDU's protocol and ROSCTR (or S7comm-Plus version) bytes. */
        if (p[5] == COTP_DT && li && at + 8 <= len) {
            if (p[at] == S7_PROTO && s7_watch_pdu(p + at, len - at)) return true;
            if (p[at] == S7P_PROTO && s7p_watch_pdu(p + at, len - at)) return true;
        }
        p += len, n -= len;
    }
    return false;
}
