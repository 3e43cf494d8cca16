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
    TLS_EXT_VERSIONS = 43,   /* supported_versions (RFC 8446 4.2.1)             */
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

/* ---- versions and cipher suites (issue 4: obsolete_tls, weak_tls_cipher) ---- */

/* "TLS 1.2" for a known protocol version, else "0x0305". */
static void tls_version_name(uint16_t v, probe_ev_str_t *s)
{
    static const char *const names[] = {"SSL 3.0", "TLS 1.0", "TLS 1.1", "TLS 1.2", "TLS 1.3"};
    if (v >= 0x0300 && v <= 0x0304) {
        probe_ev_str_put(s, names[v - 0x0300], strlen(names[v - 0x0300]));
        return;
    }
    probe_ev_str_put(s, "0x", 2);
    probe_ev_str_hex(s, (uint8_t)(v >> 8));
    probe_ev_str_hex(s, (uint8_t)v);
}

/* The IANA TLS Cipher Suites registry names of the suites seen in practice, strong and weak
 * alike; the rest are reported by number. */
static const struct {
    uint16_t id;
    const char *name;
} tls_suites[] = {
    {0x0000, "TLS_NULL_WITH_NULL_NULL"},
    {0x0001, "TLS_RSA_WITH_NULL_MD5"},
    {0x0002, "TLS_RSA_WITH_NULL_SHA"},
    {0x0003, "TLS_RSA_EXPORT_WITH_RC4_40_MD5"},
    {0x0004, "TLS_RSA_WITH_RC4_128_MD5"},
    {0x0005, "TLS_RSA_WITH_RC4_128_SHA"},
    {0x0006, "TLS_RSA_EXPORT_WITH_RC2_CBC_40_MD5"},
    {0x0008, "TLS_RSA_EXPORT_WITH_DES40_CBC_SHA"},
    {0x0009, "TLS_RSA_WITH_DES_CBC_SHA"},
    {0x000A, "TLS_RSA_WITH_3DES_EDE_CBC_SHA"},
    {0x0011, "TLS_DHE_DSS_EXPORT_WITH_DES40_CBC_SHA"},
    {0x0012, "TLS_DHE_DSS_WITH_DES_CBC_SHA"},
    {0x0013, "TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA"},
    {0x0014, "TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA"},
    {0x0015, "TLS_DHE_RSA_WITH_DES_CBC_SHA"},
    {0x0016, "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA"},
    {0x0018, "TLS_DH_anon_WITH_RC4_128_MD5"},
    {0x001B, "TLS_DH_anon_WITH_3DES_EDE_CBC_SHA"},
    {0x002F, "TLS_RSA_WITH_AES_128_CBC_SHA"},
    {0x0032, "TLS_DHE_DSS_WITH_AES_128_CBC_SHA"},
    {0x0033, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA"},
    {0x0034, "TLS_DH_anon_WITH_AES_128_CBC_SHA"},
    {0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA"},
    {0x0038, "TLS_DHE_DSS_WITH_AES_256_CBC_SHA"},
    {0x0039, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA"},
    {0x003A, "TLS_DH_anon_WITH_AES_256_CBC_SHA"},
    {0x003B, "TLS_RSA_WITH_NULL_SHA256"},
    {0x003C, "TLS_RSA_WITH_AES_128_CBC_SHA256"},
    {0x003D, "TLS_RSA_WITH_AES_256_CBC_SHA256"},
    {0x0041, "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA"},
    {0x0067, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256"},
    {0x006B, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256"},
    {0x0084, "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA"},
    {0x008C, "TLS_PSK_WITH_AES_128_CBC_SHA"},
    {0x008D, "TLS_PSK_WITH_AES_256_CBC_SHA"},
    {0x009C, "TLS_RSA_WITH_AES_128_GCM_SHA256"},
    {0x009D, "TLS_RSA_WITH_AES_256_GCM_SHA384"},
    {0x009E, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"},
    {0x009F, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384"},
    {0x00A8, "TLS_PSK_WITH_AES_128_GCM_SHA256"},
    {0x00FF, "TLS_EMPTY_RENEGOTIATION_INFO_SCSV"},
    {0x1301, "TLS_AES_128_GCM_SHA256"},
    {0x1302, "TLS_AES_256_GCM_SHA384"},
    {0x1303, "TLS_CHACHA20_POLY1305_SHA256"},
    {0x1304, "TLS_AES_128_CCM_SHA256"},
    {0x1305, "TLS_AES_128_CCM_8_SHA256"},
    {0xC002, "TLS_ECDH_ECDSA_WITH_RC4_128_SHA"},
    {0xC007, "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA"},
    {0xC008, "TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA"},
    {0xC009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"},
    {0xC00A, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA"},
    {0xC011, "TLS_ECDHE_RSA_WITH_RC4_128_SHA"},
    {0xC012, "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA"},
    {0xC013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"},
    {0xC014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA"},
    {0xC023, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"},
    {0xC024, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384"},
    {0xC027, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"},
    {0xC028, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384"},
    {0xC02B, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"},
    {0xC02C, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"},
    {0xC02F, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"},
    {0xC030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"},
    {0xC09C, "TLS_RSA_WITH_AES_128_CCM"},
    {0xC0A8, "TLS_PSK_WITH_AES_128_CCM_8"},
    {0xCCA8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"},
    {0xCCA9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"},
    {0xCCAA, "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256"},
};

static void tls_cipher_name(uint16_t id, probe_ev_str_t *s)
{
    for (size_t i = 0; i < SSF_ARRAY_LEN(tls_suites); i++)
        if (tls_suites[i].id == id) {
            probe_ev_str_put(s, tls_suites[i].name, strlen(tls_suites[i].name));
            return;
        }
    /* Upper-case hex, as the registry writes code points. */
    static const char hex[] = "0123456789ABCDEF";
    char t[6] = {'0', 'x', hex[id >> 12], hex[(id >> 8) & 15], hex[(id >> 4) & 15], hex[id & 15]};
    probe_ev_str_put(s, t, sizeof t);
}

static void tls_add_version(probe_ev_field f, uint16_t v, probe_ev_buf_t *out)
{
    probe_ev_str_t s;
    probe_ev_str_init(&s);
    tls_version_name(v, &s);
    probe_ev_add_str(out, f, PROBE_EV_SRC, &s);
}

/* The highest non-GREASE version of a ClientHello's supported_versions list, or 0. */
static uint16_t tls_versions_max(ssf_cur ext)
{
    uint8_t l8;
    ssf_cur list;
    uint16_t v, best = 0;
    if (!ssf_cur_u8(&ext, &l8) || !ssf_cur_sub(&ext, l8, &list)) return 0;
    while (ssf_cur_u16be(&list, &v))
        if ((v & 0x0f0f) != 0x0a0a && v > best && v <= 0x03ff) best = v;
    return best;
}

/* ServerHello (RFC 8446 4.1.3; RFC 5246 7.4.1.3): the version the server chose, from
 * supported_versions when present (TLS 1.3 keeps legacy_version at 0x0303), and its suite. */
static bool tls_server_hello(ssf_cur c, probe_ev_buf_t *out)
{
    uint16_t version, suite, type, l16;
    uint8_t l8;
    ssf_cur exts, ext;
    if (!ssf_cur_u16be(&c, &version) || !ssf_cur_skip(&c, 32) || !ssf_cur_u8(&c, &l8) ||
        !ssf_cur_skip(&c, l8) || !ssf_cur_u16be(&c, &suite) || !ssf_cur_skip(&c, 1))
        return false;
    if (ssf_cur_u16be(&c, &l16) && ssf_cur_sub(&c, l16, &exts)) {
        while (ssf_cur_u16be(&exts, &type) && ssf_cur_u16be(&exts, &l16) &&
               ssf_cur_sub(&exts, l16, &ext)) {
            uint16_t sel;
            if (type == TLS_EXT_VERSIONS && ssf_cur_u16be(&ext, &sel)) version = sel;
        }
    }
    tls_add_version(PROBE_EVF_TLS_VERSION, version, out);
    probe_ev_str_t s;
    probe_ev_str_init(&s);
    tls_cipher_name(suite, &s);
    probe_ev_add_str(out, PROBE_EVF_TLS_CIPHER, PROBE_EV_SRC, &s);
    return true;
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
static bool tls_hello_exts(ssf_cur exts, tls_ja3 *j, uint16_t *best, probe_ev_buf_t *out)
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
        if (type == TLS_EXT_VERSIONS) {
            uint16_t v = tls_versions_max(ext);
            if (v > *best) *best = v;
        }
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
    uint16_t best = ssf_cur_left(&c) >= 2 ? (uint16_t)(c.p[0] << 8 | c.p[1]) : 0;
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
        ok = tls_hello_exts(exts, &j, &best, out);
    }
    if (ok) tls_add_version(PROBE_EVF_TLS_CLIENT_VERSION, best, out);
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
        if (h[0] == TLS_HS_SERVER_HELLO && len <= TLS_GATHER_MAX) {
            ssf_cur view;
            if ((rc = tls_rd_view(rd, len, buf, &view)) != SSF_OK) return rc;
            /* A malformed hello yields nothing but must not hide the certificate after it. */
            (void)tls_server_hello(view, out);
            continue;
        }
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
