/* ev_tls.c - identity from the clear-text TLS handshake (RFC 5246, RFC 8446, RFC 6066).
 *
 * The input is the stream of one direction from its first record. Handshake messages may span
 * records, so a reader walks the handshake bytes across record headers. A message we parse is
 * used in place when it sits inside one record and is otherwise gathered into a stack buffer;
 * nothing is allocated and nothing is kept between calls. */
#include "evidence_internal.h"

#include <ndpi/ndpi_api.h> /* ndpi_md5: we link nDPI already; no second MD5 */

enum {
    TLS_CT_CCS = 20,
    TLS_CT_ALERT = 21,
    TLS_CT_HANDSHAKE = 22,
    TLS_CT_APPDATA = 23,
    TLS_REC_HDR = 5,
    TLS_REC_MAX = 16384 + 2048, /* TLSCiphertext limit, RFC 5246 6.2.3              */
    TLS_HS_CLIENT_HELLO = 1,
    TLS_HS_SERVER_HELLO = 2,
    TLS_HS_CERTIFICATE = 11,
    TLS_HS_SERVER_DONE = 14,
    TLS_GATHER_MAX = 16384, /* largest message (prefix) or leaf certificate we parse */
    TLS_EXT_SERVER_NAME = 0,
    TLS_EXT_GROUPS = 10,     /* supported_groups, formerly elliptic_curves      */
    TLS_EXT_EC_FORMATS = 11, /* ec_point_formats                                */
    TLS_JA3_MAX = 8192,      /* a longer JA3 string (absurd hello) is not hashed */
};
/* Reader status besides ssf_rc: a non-handshake record came where a message would start, so
 * the clear-text handshake is over (CCS, or TLS 1.3 encrypted records). */
#define TLS_CLEAR_END SSF_EAGAIN

typedef struct {
    ssf_cur in;      /* the rest of the stream                                 */
    size_t rec_left; /* handshake bytes the current record still holds        */
    bool started;    /* a record header has been read                          */
} tls_rd;

/* Checks the bytes of a record header that are present, so non-TLS is refused early. */
static ssf_rc tls_rd_record(tls_rd *rd)
{
    const uint8_t *h = rd->in.p;
    size_t have = ssf_cur_left(&rd->in);
    if (have >= 1 && h[0] != TLS_CT_HANDSHAKE) {
        bool known = h[0] == TLS_CT_CCS || h[0] == TLS_CT_ALERT || h[0] == TLS_CT_APPDATA;
        return rd->started && known ? TLS_CLEAR_END : SSF_EINVAL;
    }
    if (have >= 2 && h[1] != 3) return SSF_EINVAL;
    if (have < TLS_REC_HDR) return SSF_ETRUNC;
    size_t len = (size_t)h[3] << 8 | h[4];
    if (len == 0 || len > TLS_REC_MAX) return SSF_EINVAL;
    rd->in.p += TLS_REC_HDR;
    rd->rec_left = len;
    rd->started = true;
    return SSF_OK;
}

/* Copies k handshake bytes to dst (or skips them if dst is NULL), crossing records.
 * TLS_CLEAR_END only if the clear text ended before the first byte; EINVAL if inside. */
static ssf_rc tls_rd_read(tls_rd *rd, uint8_t *dst, size_t k)
{
    for (size_t done = 0; done < k;) {
        if (!rd->rec_left) {
            ssf_rc rc = tls_rd_record(rd);
            if (rc == TLS_CLEAR_END && done) return SSF_EINVAL;
            if (rc != SSF_OK) return rc;
        }
        size_t take = k - done;
        if (take > rd->rec_left) take = rd->rec_left;
        if (take > ssf_cur_left(&rd->in)) take = ssf_cur_left(&rd->in);
        if (!take) return SSF_ETRUNC;
        if (dst) memcpy(dst + done, rd->in.p, take);
        rd->in.p += take;
        rd->rec_left -= take;
        done += take;
    }
    return SSF_OK;
}

/* Makes the next k (<= TLS_GATHER_MAX) handshake bytes contiguous: in place when one record
 * holds them, else copied into buf. */
static ssf_rc tls_rd_view(tls_rd *rd, size_t k, uint8_t *buf, ssf_cur *view)
{
    if (rd->rec_left >= k && ssf_cur_left(&rd->in) >= k) {
        *view = ssf_cur_make(rd->in.p, k);
        rd->in.p += k;
        rd->rec_left -= k;
        return SSF_OK;
    }
    *view = ssf_cur_make(buf, k);
    ssf_rc rc = tls_rd_read(rd, buf, k);
    return rc == TLS_CLEAR_END ? SSF_EINVAL : rc;
}

/* ServerNameList: the first host_name entry is the server the client wants. */
static bool tls_sni(ssf_cur ext, probe_ev_buf_t *out)
{
    uint16_t list_len, name_len;
    uint8_t type;
    ssf_cur list;
    const uint8_t *name;
    if (!ssf_cur_u16be(&ext, &list_len) || !ssf_cur_sub(&ext, list_len, &list)) return false;
    while (ssf_cur_u8(&list, &type)) {
        if (!ssf_cur_u16be(&list, &name_len) || !ssf_cur_bytes(&list, name_len, &name))
            return false;
        if (type == 0) {
            probe_ev_add(out, PROBE_EVF_TLS_SNI, PROBE_EV_DST, name, name_len);
            return true;
        }
    }
    return true;
}

/* JA3 (github.com/salesforce/ja3): "SSLVersion,Ciphers,Extensions,EllipticCurves,
 * EllipticCurvePointFormats", decimal values joined by '-', GREASE values (RFC 8701) left out.
 * Built whole in a stack buffer because the hash needs all of it; `cut` if it did not fit. */
typedef struct {
    char s[TLS_JA3_MAX];
    size_t n;
    bool cut;
} tls_ja3;

static void ja3_put(tls_ja3 *j, const char *t, size_t k)
{
    if (j->cut || k >= sizeof j->s - j->n) {
        j->cut = true;
        return;
    }
    memcpy(j->s + j->n, t, k);
    j->n += k;
}

static bool ja3_grease(uint16_t v)
{
    return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff);
}

/* Appends v in decimal, after a '-' unless it is the first of its list. */
static void ja3_num(tls_ja3 *j, unsigned v, bool *first)
{
    char d[8];
    size_t k = sizeof d;
    do
        d[--k] = (char)('0' + v % 10);
    while ((v /= 10) && k > 1);
    if (!*first) d[--k] = '-';
    *first = false;
    ja3_put(j, d + k, sizeof d - k);
}

/* Appends the 16-bit (w == 2) or 8-bit (w == 1) values of list c, then the separator. */
static void ja3_list(tls_ja3 *j, ssf_cur c, size_t w, bool sep)
{
    bool first = true;
    for (; ssf_cur_left(&c) >= w; c.p += w) {
        uint16_t v = w == 2 ? (uint16_t)(c.p[0] << 8 | c.p[1]) : c.p[0];
        if (w == 1 || !ja3_grease(v)) ja3_num(j, v, &first);
    }
    if (sep) ja3_put(j, ",", 1);
}

static void ja3_emit(tls_ja3 *j, probe_ev_buf_t *out)
{
    if (j->cut) return;
    uint8_t md[16];
    ndpi_md5((const u_char *)j->s, j->n, md);
    probe_ev_str_t hex;
    probe_ev_str_init(&hex);
    for (size_t i = 0; i < sizeof md; i++)
        probe_ev_str_hex(&hex, md[i]);
    probe_ev_add_str(out, PROBE_EVF_TLS_JA3, PROBE_EV_SRC, &hex);
    probe_ev_add(out, PROBE_EVF_TLS_JA3_STRING, PROBE_EV_SRC, j->s, j->n);
}

/* The extensions block of a ClientHello: SNI, and the three JA3 lists. False if malformed. */
static bool tls_hello_exts(ssf_cur exts, tls_ja3 *j, probe_ev_buf_t *out)
{
    ssf_cur groups = {NULL, NULL}, formats = {NULL, NULL}, types = exts;
    bool ok = true;
    uint16_t type, l16;
    ssf_cur ext, sub;
    uint8_t l8;
    while (ssf_cur_left(&exts)) {
        if (!ssf_cur_u16be(&exts, &type) || !ssf_cur_u16be(&exts, &l16) ||
            !ssf_cur_sub(&exts, l16, &ext))
            return false;
        if (type == TLS_EXT_SERVER_NAME) ok = tls_sni(ext, out) && ok;
        if (type == TLS_EXT_GROUPS && ssf_cur_u16be(&ext, &l16) && ssf_cur_sub(&ext, l16, &sub))
            groups = sub;
        if (type == TLS_EXT_EC_FORMATS && ssf_cur_u8(&ext, &l8) && ssf_cur_sub(&ext, l8, &sub))
            formats = sub;
    }
    /* The block is well formed now, so a second walk lists the extension types. */
    bool first = true;
    while (ssf_cur_u16be(&types, &type) && ssf_cur_u16be(&types, &l16) && ssf_cur_skip(&types, l16))
        if (!ja3_grease(type)) ja3_num(j, type, &first);
    ja3_put(j, ",", 1);
    ja3_list(j, groups, 2, true);
    ja3_list(j, formats, 1, false);
    return ok;
}

/* ClientHello body; false if malformed. Ends without extensions are legal (RFC 5246 7.4.1.2).
 * JA3 is emitted only for a hello that was whole (not clipped) and well formed. */
static bool tls_client_hello(ssf_cur c, bool clipped, probe_ev_buf_t *out)
{
    uint8_t l8;
    uint16_t l16;
    ssf_cur exts, ciphers;
    tls_ja3 j;
    j.n = 0;
    j.cut = false;
    ja3_list(&j, ssf_cur_make(c.p, ssf_cur_left(&c) < 2 ? 0 : 2), 2, true);
    if (!ssf_cur_skip(&c, 2 + 32) || !ssf_cur_u8(&c, &l8) || !ssf_cur_skip(&c, l8) ||
        !ssf_cur_u16be(&c, &l16) || !ssf_cur_sub(&c, l16, &ciphers) || !ssf_cur_u8(&c, &l8) ||
        !ssf_cur_skip(&c, l8))
        return false;
    ja3_list(&j, ciphers, 2, true);
    bool ok = true;
    if (!ssf_cur_left(&c)) {
        ja3_put(&j, ",,", 2);
    } else {
        if (!ssf_cur_u16be(&c, &l16) || !ssf_cur_sub(&c, l16, &exts)) return false;
        ok = tls_hello_exts(exts, &j, out);
    }
    if (ok && !clipped) ja3_emit(&j, out);
    return ok;
}

static ssf_rc tls_on_client_hello(tls_rd *rd, size_t len, uint8_t *buf, probe_ev_buf_t *out)
{
    /* A hello larger than the buffer is parsed as far as it goes; SNI comes early. */
    bool clipped = len > TLS_GATHER_MAX;
    ssf_cur view;
    ssf_rc rc = tls_rd_view(rd, clipped ? TLS_GATHER_MAX : len, buf, &view);
    if (rc != SSF_OK) return rc;
    return tls_client_hello(view, clipped, out) || clipped ? SSF_OK : SSF_EINVAL;
}

/* TLS 1.2 Certificate: certificate_list<0..2^24-1> of ASN.1Cert<1..2^24-1>. Only the leaf
 * (first) is read, so the rest of the chain need not have arrived. */
static ssf_rc tls_on_certificate(tls_rd *rd, size_t len, uint8_t *buf, probe_ev_buf_t *out)
{
    uint8_t h[6];
    if (len < 3) return SSF_EINVAL;
    ssf_rc rc = tls_rd_read(rd, h, 3);
    if (rc != SSF_OK) return rc == TLS_CLEAR_END ? SSF_EINVAL : rc;
    size_t list_len = (size_t)h[0] << 16 | (size_t)h[1] << 8 | h[2];
    if (list_len != len - 3) return SSF_EINVAL;
    if (!list_len) return SSF_OK; /* a client with no certificate */
    if (list_len < 3 || (rc = tls_rd_read(rd, h + 3, 3)) != SSF_OK)
        return list_len < 3 || rc == TLS_CLEAR_END ? SSF_EINVAL : rc;
    size_t cert_len = (size_t)h[3] << 16 | (size_t)h[4] << 8 | h[5];
    if (!cert_len || cert_len > list_len - 3) return SSF_EINVAL;
    if (cert_len > TLS_GATHER_MAX) return SSF_OK; /* absurd leaf: TLS, but not described */
    ssf_cur view;
    if ((rc = tls_rd_view(rd, cert_len, buf, &view)) != SSF_OK) return rc;
    return probe_ev_x509(view.p, ssf_cur_left(&view), out);
}

/* Walks handshake messages until one we parse, the end of the clear text, or of the data. */
static ssf_rc tls_walk(tls_rd *rd, uint8_t *buf, probe_ev_buf_t *out)
{
    for (bool first = true;; first = false) {
        uint8_t h[4];
        ssf_rc rc = tls_rd_read(rd, h, sizeof h);
        if (rc == TLS_CLEAR_END) return SSF_OK;
        if (rc != SSF_OK) return rc;
        size_t len = (size_t)h[1] << 16 | (size_t)h[2] << 8 | h[3];
        /* A stream opens with a hello; anything else is not a TLS handshake we know. */
        if (first && h[0] != TLS_HS_CLIENT_HELLO && h[0] != TLS_HS_SERVER_HELLO) return SSF_EINVAL;
        if (h[0] == TLS_HS_CLIENT_HELLO) return tls_on_client_hello(rd, len, buf, out);
        if (h[0] == TLS_HS_CERTIFICATE) return tls_on_certificate(rd, len, buf, out);
        if (h[0] == TLS_HS_SERVER_DONE) return SSF_OK; /* no certificate in this handshake */
        rc = tls_rd_read(rd, NULL, len);
        if (rc != SSF_OK) return rc == TLS_CLEAR_END ? SSF_EINVAL : rc;
    }
}

ssf_rc probe_ev_tls(const uint8_t *p, size_t n, probe_ev_buf_t *out)
{
    if (!p || !out || !n) return SSF_EINVAL;
    uint8_t buf[TLS_GATHER_MAX];
    tls_rd rd = {ssf_cur_make(p, n), 0, false};
    return tls_walk(&rd, buf, out);
}
