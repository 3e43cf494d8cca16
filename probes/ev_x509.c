/* ev_x509.c - just enough DER to describe a leaf certificate (RFC 5280 section 4.1).
 *
 * The walker descends a fixed path (Certificate > tbsCertificate > Name > RDN > attribute), so
 * nesting is bounded by the code, not by the input: there is no recursion. Lengths must be
 * definite, at most 4 bytes long, and within their parent; tags must fit in one byte. */
#include "evidence_internal.h"

enum {
    DER_INTEGER = 0x02,
    DER_BIT_STRING = 0x03,
    DER_OID = 0x06,
    DER_UTF8 = 0x0c,
    DER_NUMERIC = 0x12,
    DER_PRINTABLE = 0x13,
    DER_T61 = 0x14,
    DER_IA5 = 0x16,
    DER_UTCTIME = 0x17,
    DER_GENTIME = 0x18,
    DER_VISIBLE = 0x1a,
    DER_BMP = 0x1e,
    DER_SEQ = 0x30,
    DER_SET = 0x31,
    DER_CTX0 = 0xa0, /* [0] EXPLICIT, the tbsCertificate version */
};

/* Reads one TLV; on failure c is left as it was. */
static bool der_read(ssf_cur *c, uint8_t *tag, ssf_cur *body)
{
    ssf_cur t = *c;
    uint8_t tg, l;
    if (!ssf_cur_u8(&t, &tg) || (tg & 0x1f) == 0x1f || !ssf_cur_u8(&t, &l)) return false;
    size_t len = l;
    if (l & 0x80) {
        size_t k = l & 0x7f;
        if (k == 0 || k > 4) return false; /* indefinite, or longer than any sane cert */
        len = 0;
        for (size_t i = 0; i < k; i++) {
            uint8_t b;
            if (!ssf_cur_u8(&t, &b)) return false;
            len = len << 8 | b;
        }
    }
    if (!ssf_cur_sub(&t, len, body)) return false;
    *tag = tg;
    *c = t;
    return true;
}

static bool der_expect(ssf_cur *c, uint8_t tag, ssf_cur *body)
{
    ssf_cur t = *c;
    uint8_t tg;
    if (!der_read(&t, &tg, body) || tg != tag) return false;
    *c = t;
    return true;
}

static bool der_oid_is(const ssf_cur *oid, const uint8_t *b, size_t n)
{
    return ssf_cur_left(oid) == n && memcmp(oid->p, b, n) == 0;
}

/* Dotted text of an OID body. Arcs over 63 bits are shown as "?". */
static void der_oid_text(probe_ev_str_t *s, ssf_cur oid)
{
    uint64_t v = 0;
    size_t nbytes = 0;
    bool first = true;
    uint8_t b;
    while (ssf_cur_u8(&oid, &b)) {
        if (++nbytes > 9) {
            probe_ev_str_put(s, first ? "?" : ".?", first ? 1 : 2);
            return;
        }
        v = v << 7 | (b & 0x7f);
        if (b & 0x80) continue;
        if (first) {
            /* The first subidentifier packs two arcs: 40*X+Y, X in 0..2. */
            uint64_t x = v < 80 ? v / 40 : 2;
            probe_ev_str_u64(s, x);
            v -= x * 40;
        }
        probe_ev_str_putc(s, '.');
        probe_ev_str_u64(s, v);
        first = false;
        v = 0;
        nbytes = 0;
    }
}

/* Attribute types we name; the rest print as dotted OIDs. */
static const struct {
    uint8_t len;
    uint8_t oid[10];
    const char *name;
} x509_attrs[] = {
    {3, {0x55, 0x04, 0x03}, "CN"},
    {3, {0x55, 0x04, 0x06}, "C"},
    {3, {0x55, 0x04, 0x07}, "L"},
    {3, {0x55, 0x04, 0x08}, "ST"},
    {3, {0x55, 0x04, 0x09}, "STREET"},
    {3, {0x55, 0x04, 0x0a}, "O"},
    {3, {0x55, 0x04, 0x0b}, "OU"},
    {9, {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01}, "emailAddress"},
    {10, {0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x19}, "DC"},
    {10, {0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x01}, "UID"},
};

static void x509_attr_type(probe_ev_str_t *s, ssf_cur oid)
{
    for (size_t i = 0; i < SSF_ARRAY_LEN(x509_attrs); i++) {
        if (der_oid_is(&oid, x509_attrs[i].oid, x509_attrs[i].len)) {
            probe_ev_str_put(s, x509_attrs[i].name, strlen(x509_attrs[i].name));
            return;
        }
    }
    der_oid_text(s, oid);
}

/* One value character, escaped as RFC 4514 asks so a value cannot fake another attribute
 * ("CN=x, O=Siemens" inside one CN stays "CN=x\, O=Siemens"). */
static void x509_value_char(probe_ev_str_t *s, uint8_t ch)
{
    if (ch && strchr(",+\"\\<>;", ch)) probe_ev_str_putc(s, '\\');
    probe_ev_str_putc(s, (char)ch);
}

static void x509_attr_value(probe_ev_str_t *s, uint8_t tag, ssf_cur v)
{
    uint8_t hi, lo;
    switch (tag) {
    case DER_UTF8:
    case DER_NUMERIC:
    case DER_PRINTABLE:
    case DER_T61:
    case DER_IA5:
    case DER_VISIBLE:
        /* Non-ASCII bytes stay as they are here; probe_ev_add turns them into '.'. */
        while (ssf_cur_u8(&v, &lo))
            x509_value_char(s, lo);
        return;
    case DER_BMP: /* UCS-2 big-endian; only the ASCII subset is kept */
        while (ssf_cur_u8(&v, &hi) && ssf_cur_u8(&v, &lo))
            x509_value_char(s, hi || lo >= 0x80 ? '.' : lo);
        return;
    default: /* RFC 4514 form for values of other types: '#' and the hex of the bytes */
        probe_ev_str_putc(s, '#');
        while (ssf_cur_u8(&v, &lo))
            probe_ev_str_hex(s, lo);
        return;
    }
}

/* Name ::= SEQUENCE OF SET OF {type OID, value}: "CN=a, O=b" in encoded order, with '+' inside
 * a multi-valued RDN. False if the structure is malformed. */
static bool x509_name(ssf_cur name, probe_ev_str_t *s)
{
    bool first = true;
    while (ssf_cur_left(&name)) {
        ssf_cur rdn, atv, oid, val;
        uint8_t vtag;
        if (!der_expect(&name, DER_SET, &rdn) || !ssf_cur_left(&rdn)) return false;
        for (bool in_rdn = false; ssf_cur_left(&rdn); in_rdn = true, first = false) {
            if (!der_expect(&rdn, DER_SEQ, &atv) || !der_expect(&atv, DER_OID, &oid) ||
                !der_read(&atv, &vtag, &val))
                return false;
            if (!first) probe_ev_str_put(s, in_rdn ? "+" : ", ", in_rdn ? 1 : 2);
            x509_attr_type(s, oid);
            probe_ev_str_putc(s, '=');
            x509_attr_value(s, vtag, val);
        }
    }
    return true;
}

/* UTCTime "YYMMDDHHMMSSZ" (YY < 50 is 20YY, RFC 5280) or GeneralizedTime "YYYYMMDDHHMMSSZ"
 * as "YYYY-MM-DDTHH:MM:SSZ". False for any other form (DER forbids fractions and offsets). */
static bool x509_time(uint8_t tag, ssf_cur t, probe_ev_str_t *s)
{
    size_t n = ssf_cur_left(&t);
    if (!((tag == DER_UTCTIME && n == 13) || (tag == DER_GENTIME && n == 15))) return false;
    if (t.p[n - 1] != 'Z') return false;
    for (size_t i = 0; i + 1 < n; i++)
        if (t.p[i] < '0' || t.p[i] > '9') return false;
    if (tag == DER_UTCTIME) probe_ev_str_put(s, t.p[0] < '5' ? "20" : "19", 2);
    const uint8_t *d = t.p + (tag == DER_UTCTIME ? 0 : 2); /* points at YY */
    probe_ev_str_put(s, t.p, tag == DER_UTCTIME ? 0 : 2);
    static const char sep[] = "--T::Z"; /* after YY, MM, DD, HH, MM, SS */
    for (size_t i = 0; i < 6; i++) {
        probe_ev_str_put(s, d + 2 * i, 2);
        probe_ev_str_putc(s, sep[i]);
    }
    return true;
}

/* Significant bits of a DER INTEGER's magnitude (leading zero octets do not count). */
static uint64_t der_int_bits(ssf_cur v)
{
    while (ssf_cur_left(&v) && *v.p == 0)
        v.p++;
    size_t n = ssf_cur_left(&v);
    if (!n) return 0;
    uint64_t bits = (uint64_t)(n - 1) * 8;
    for (uint8_t b = *v.p; b; b >>= 1)
        bits++;
    return bits;
}

/* RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }, inside the key BIT
 * STRING after its unused-bits octet. */
static uint64_t x509_rsa_bits(ssf_cur key)
{
    ssf_cur seq, mod;
    if (!ssf_cur_skip(&key, 1) || !der_expect(&key, DER_SEQ, &seq) ||
        !der_expect(&seq, DER_INTEGER, &mod))
        return 0;
    return der_int_bits(mod);
}

/* Dss-Parms ::= SEQUENCE { p INTEGER, q, g }: the size of p is the key size. */
static uint64_t x509_dsa_bits(ssf_cur params)
{
    ssf_cur seq, p;
    if (!der_expect(&params, DER_SEQ, &seq) || !der_expect(&seq, DER_INTEGER, &p)) return 0;
    return der_int_bits(p);
}

static const struct {
    uint8_t len;
    uint8_t oid[8];
    uint16_t bits;
} x509_curves[] = {
    {8, {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07}, 256}, /* prime256v1 */
    {5, {0x2b, 0x81, 0x04, 0x00, 0x22}, 384},                   /* secp384r1  */
    {5, {0x2b, 0x81, 0x04, 0x00, 0x23}, 521},                   /* secp521r1  */
    {5, {0x2b, 0x81, 0x04, 0x00, 0x0a}, 256},                   /* secp256k1  */
};

/* Named curve size; for other curves, half the uncompressed point (04 || X || Y). */
static uint64_t x509_ec_bits(ssf_cur params, ssf_cur key)
{
    ssf_cur oid;
    if (der_expect(&params, DER_OID, &oid))
        for (size_t i = 0; i < SSF_ARRAY_LEN(x509_curves); i++)
            if (der_oid_is(&oid, x509_curves[i].oid, x509_curves[i].len))
                return x509_curves[i].bits;
    size_t n = ssf_cur_left(&key);
    return n >= 2 && key.p[1] == 0x04 ? (uint64_t)(n - 2) / 2 * 8 : 0;
}

enum { X509_RSA, X509_EC, X509_DSA, X509_NOSIZE };
static const struct {
    uint8_t len;
    uint8_t oid[9];
    uint8_t kind;
    const char *name;
} x509_keys[] = {
    {9, {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01}, X509_RSA, "RSA"},
    {9, {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a}, X509_RSA, "RSA-PSS"},
    {7, {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01}, X509_EC, "EC"},
    {7, {0x2a, 0x86, 0x48, 0xce, 0x38, 0x04, 0x01}, X509_DSA, "DSA"},
    {3, {0x2b, 0x65, 0x70}, X509_NOSIZE, "Ed25519"},
    {3, {0x2b, 0x65, 0x71}, X509_NOSIZE, "Ed448"},
};

/* SubjectPublicKeyInfo ::= SEQUENCE { algorithm SEQUENCE { OID, params ANY OPTIONAL },
 * subjectPublicKey BIT STRING } as "RSA 2048", "EC 256", "Ed25519" or the dotted OID. */
static bool x509_key(ssf_cur spki, probe_ev_str_t *s)
{
    ssf_cur alg, oid, key;
    if (!der_expect(&spki, DER_SEQ, &alg) || !der_expect(&alg, DER_OID, &oid) ||
        !der_expect(&spki, DER_BIT_STRING, &key))
        return false;
    for (size_t i = 0; i < SSF_ARRAY_LEN(x509_keys); i++) {
        if (!der_oid_is(&oid, x509_keys[i].oid, x509_keys[i].len)) continue;
        probe_ev_str_put(s, x509_keys[i].name, strlen(x509_keys[i].name));
        uint64_t bits = 0;
        if (x509_keys[i].kind == X509_RSA) bits = x509_rsa_bits(key);
        if (x509_keys[i].kind == X509_EC) bits = x509_ec_bits(alg, key);
        if (x509_keys[i].kind == X509_DSA) bits = x509_dsa_bits(alg);
        if (bits) probe_ev_str_putc(s, ' ');
        if (bits) probe_ev_str_u64(s, bits);
        return true;
    }
    der_oid_text(s, oid);
    return true;
}

/* The parts of tbsCertificate we describe, as DER bodies inside the caller's bytes. */
typedef struct {
    ssf_cur issuer, subject; /* Name bodies                          */
    uint8_t nb_tag, na_tag;  /* UTCTime or GeneralizedTime           */
    ssf_cur nb, na;          /* notBefore, notAfter bodies           */
    ssf_cur spki;            /* SubjectPublicKeyInfo body            */
} x509_tbs;

static bool x509_tbs_parse(ssf_cur der, x509_tbs *t)
{
    ssf_cur cert, tbs, skip, validity;
    if (!der_expect(&der, DER_SEQ, &cert) || !der_expect(&cert, DER_SEQ, &tbs)) return false;
    der_expect(&tbs, DER_CTX0, &skip); /* version is absent in v1 certificates */
    if (!der_expect(&tbs, DER_INTEGER, &skip) || !der_expect(&tbs, DER_SEQ, &skip) ||
        !der_expect(&tbs, DER_SEQ, &t->issuer) || !der_expect(&tbs, DER_SEQ, &validity))
        return false;
    if (!der_read(&validity, &t->nb_tag, &t->nb) || !der_read(&validity, &t->na_tag, &t->na))
        return false;
    return der_expect(&tbs, DER_SEQ, &t->subject) && der_expect(&tbs, DER_SEQ, &t->spki);
}

ssf_rc probe_ev_x509(const uint8_t *der, size_t n, probe_ev_buf_t *out)
{
    x509_tbs t;
    probe_ev_str_t subj, iss, nb, na, key;
    if (!der || !out || !x509_tbs_parse(ssf_cur_make(der, n), &t)) return SSF_EINVAL;
    probe_ev_str_init(&subj);
    probe_ev_str_init(&iss);
    probe_ev_str_init(&nb);
    probe_ev_str_init(&na);
    probe_ev_str_init(&key);
    /* Render everything before adding anything, so a bad certificate adds nothing. */
    if (!x509_name(t.subject, &subj) || !x509_name(t.issuer, &iss) || !x509_key(t.spki, &key))
        return SSF_EINVAL;
    probe_ev_add_str(out, PROBE_EVF_TLS_SUBJECT, PROBE_EV_SRC, &subj);
    probe_ev_add_str(out, PROBE_EVF_TLS_ISSUER, PROBE_EV_SRC, &iss);
    /* A malformed time costs only that item: the names are still worth having. */
    if (x509_time(t.nb_tag, t.nb, &nb))
        probe_ev_add_str(out, PROBE_EVF_TLS_NOT_BEFORE, PROBE_EV_SRC, &nb);
    if (x509_time(t.na_tag, t.na, &na))
        probe_ev_add_str(out, PROBE_EVF_TLS_NOT_AFTER, PROBE_EV_SRC, &na);
    probe_ev_add_str(out, PROBE_EVF_TLS_KEY, PROBE_EV_SRC, &key);
    return SSF_OK;
}
