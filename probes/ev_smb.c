/* ev_smb.c - identity from SMB1 and SMB2/3 session start-up ([MS-CIFS], [MS-SMB], [MS-SMB2],
 * [MS-NLMP]), over direct TCP (445) or a NetBIOS session (139, RFC 1002 4.3).
 *
 * What we read, all role SRC:
 *   SMB1 Negotiate response: smb.dialect (a 17-word response is the "NT LM 0.12" format; the
 *     request's dialect list is not at hand, so other forms give "SMB1"), and, without
 *     extended security, the DomainName and ServerName that follow the challenge.
 *   SMB1 Session Setup AndX request and response: NativeOS, NativeLanMan, PrimaryDomain, as
 *     OEM or UTF-16LE strings per the Flags2 Unicode bit, aligned to 2 from the SMB header.
 *   SMB2 Negotiate response: smb.dialect from DialectRevision.
 *   Any security blob holding an NTLMSSP CHALLENGE: the target info's NetBIOS computer and
 *     domain names (the server's); an NTLMSSP AUTHENTICATE: its domain and workstation names
 *     (the client's). Account names, passwords and challenge responses are never read.
 * One TCP payload may hold several NetBIOS frames; a frame cut by the payload end is parsed as
 * far as it goes and gives ETRUNC. */
#include "ev_text.h"

enum {
    NB_SESSION_MESSAGE = 0x00,
    NB_HDR = 4,
    NB_FRAMES_MAX = 8, /* frames walked per payload: bounds the work            */
    SMB1_HDR = 32,
    SMB1_NEGOTIATE = 0x72,
    SMB1_SESSION_SETUP = 0x73,
    SMB1_FLAGS_REPLY = 0x80,
    SMB1_FLAGS2_UNICODE = 0x8000,
    SMB1_FLAGS2_EXT_SEC = 0x0800,
    SMB2_HDR = 64,
    SMB2_NEGOTIATE = 0x0000,
    SMB2_SESSION_SETUP = 0x0001,
    SMB2_FLAGS_RESPONSE = 0x00000001,
    NTLM_CHALLENGE = 2,
    NTLM_AUTHENTICATE = 3,
    NTLM_NEGOTIATE_UNICODE = 0x00000001,
    NTLM_AV_EOL = 0,
    NTLM_AV_NB_COMPUTER = 1,
    NTLM_AV_NB_DOMAIN = 2,
    NTLM_AV_MAX = 32, /* AV pairs walked: bounds the work                      */
};

static uint16_t smb_le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}
static uint32_t smb_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Adds a UTF-16LE string of len bytes, non-ASCII code units shown as '.'. */
static void smb_add_utf16(probe_ev_buf_t *out, probe_ev_field f, const uint8_t *p, size_t len)
{
    probe_ev_str_t s;
    probe_ev_str_init(&s);
    for (size_t i = 0; i + 1 < len; i += 2) {
        uint16_t u = smb_le16(p + i);
        probe_ev_str_putc(&s, u < 0x80 ? (char)u : '.');
    }
    probe_ev_add_str(out, f, PROBE_EV_SRC, &s);
}

/* Reads one NUL-terminated string of the Bytes block at c, which is `off` bytes from the
 * start of the SMB header (Unicode strings are 2-aligned to it). A string the data ends in is
 * taken as it is: some servers leave the last NUL out. Adds it unless f is NONE. */
static bool smb1_string(ssf_cur *c, size_t *off, bool unicode, probe_ev_field f,
                        probe_ev_buf_t *out)
{
    if (unicode && (*off & 1)) {
        if (!ssf_cur_skip(c, 1)) return false;
        (*off)++;
    }
    size_t left = ssf_cur_left(c), len = 0, step = unicode ? 2 : 1;
    if (!left) return false;
    while (len + step <= left && (unicode ? smb_le16(c->p + len) : c->p[len]) != 0)
        len += step;
    if (f != PROBE_EVF_NONE) {
        if (unicode)
            smb_add_utf16(out, f, c->p, len);
        else
            probe_ev_add(out, f, PROBE_EV_SRC, c->p, len);
    }
    size_t used = len + step <= left ? len + step : left;
    c->p += used;
    *off += used;
    return true;
}

/* NTLMSSP CHALLENGE ([MS-NLMP] 2.2.1.2): the target info names the server. m is the message
 * from its signature to the end of the blob; offsets are relative to its start. */
static void ntlm_challenge(const uint8_t *m, size_t n, probe_ev_buf_t *out)
{
    if (n < 48 || smb_le32(m + 8) != NTLM_CHALLENGE) return;
    size_t len = smb_le16(m + 40), off = smb_le32(m + 44);
    if (off > n || len > n - off) return;
    ssf_cur c = ssf_cur_make(m + off, len);
    for (int i = 0; i < NTLM_AV_MAX; i++) {
        uint16_t id, alen;
        const uint8_t *v;
        if (!ssf_cur_bytes(&c, 2, &v)) return;
        id = smb_le16(v);
        if (id == NTLM_AV_EOL || !ssf_cur_bytes(&c, 2, &v)) return;
        alen = smb_le16(v);
        if (!ssf_cur_bytes(&c, alen, &v)) return;
        if (id == NTLM_AV_NB_COMPUTER) smb_add_utf16(out, PROBE_EVF_SMB_HOSTNAME, v, alen);
        if (id == NTLM_AV_NB_DOMAIN) smb_add_utf16(out, PROBE_EVF_SMB_DOMAIN, v, alen);
    }
}

/* One string field (Len, MaxLen, Offset) of an NTLMSSP message at byte `at`. */
static void ntlm_field(const uint8_t *m, size_t n, size_t at, bool unicode, probe_ev_field f,
                       probe_ev_buf_t *out)
{
    size_t len = smb_le16(m + at), off = smb_le32(m + at + 4);
    if (off > n || len > n - off) return;
    if (unicode)
        smb_add_utf16(out, f, m + off, len);
    else
        probe_ev_add(out, f, PROBE_EV_SRC, m + off, len);
}

/* NTLMSSP AUTHENTICATE ([MS-NLMP] 2.2.1.3): the client's domain and workstation names. The
 * user name and the challenge responses (derived from the password) are never read. */
static void ntlm_authenticate(const uint8_t *m, size_t n, probe_ev_buf_t *out)
{
    if (n < 64 || smb_le32(m + 8) != NTLM_AUTHENTICATE) return;
    bool unicode = smb_le32(m + 60) & NTLM_NEGOTIATE_UNICODE;
    ntlm_field(m, n, 28, unicode, PROBE_EVF_SMB_DOMAIN, out);
    ntlm_field(m, n, 44, unicode, PROBE_EVF_SMB_HOSTNAME, out);
}

/* A security blob (SPNEGO DER around NTLMSSP, or raw NTLMSSP): find the NTLMSSP signature
 * rather than walk the DER, which varies between implementations. */
static void smb_blob(const uint8_t *p, size_t n, probe_ev_buf_t *out)
{
    static const uint8_t sig[8] = {'N', 'T', 'L', 'M', 'S', 'S', 'P', 0};
    for (size_t i = 0; i + sizeof sig <= n; i++)
        if (p[i] == 'N' && memcmp(p + i, sig, sizeof sig) == 0) {
            ntlm_challenge(p + i, n - i, out);
            ntlm_authenticate(p + i, n - i, out);
            return;
        }
}

/* Words and bytes of an SMB1 message, with the Bytes block's offset from the header. */
typedef struct {
    const uint8_t *words;
    uint8_t wc;
    ssf_cur bytes;
    size_t off;
    bool unicode;
} smb1_msg;

static void smb1_negotiate_resp(const smb1_msg *m, uint16_t flags2, probe_ev_buf_t *out)
{
    static const char nt_lm[] = "NT LM 0.12";
    if (m->wc != 17) {
        probe_ev_add(out, PROBE_EVF_SMB_DIALECT, PROBE_EV_SRC, "SMB1", 4);
        return;
    }
    probe_ev_add(out, PROBE_EVF_SMB_DIALECT, PROBE_EV_SRC, nt_lm, sizeof nt_lm - 1);
    ssf_cur c = m->bytes;
    if (flags2 & SMB1_FLAGS2_EXT_SEC) {
        /* ServerGUID (16) then the SPNEGO init token, which holds no names. */
        return;
    }
    /* Challenge (EncryptionKeyLength, byte 34 of the words), DomainName, ServerName. These
     * strings are not padded: Windows puts them right after the challenge. */
    if (!ssf_cur_skip(&c, m->words[33])) return;
    size_t off = 0; /* an even offset: smb1_string then inserts no pad */
    if (!smb1_string(&c, &off, m->unicode, PROBE_EVF_SMB_DOMAIN, out)) return;
    off = 0;
    smb1_string(&c, &off, m->unicode, PROBE_EVF_SMB_HOSTNAME, out);
}

/* The strings after the variable first part of a Session Setup AndX Bytes block. */
static void smb1_setup_strings(smb1_msg *m, size_t skip, bool domain_first, bool account,
                               bool domain_last, probe_ev_buf_t *out)
{
    ssf_cur c = m->bytes;
    size_t off = m->off;
    if (!ssf_cur_skip(&c, skip)) return;
    off += skip;
    /* The account name is read past, never reported. */
    if (account && !smb1_string(&c, &off, m->unicode, PROBE_EVF_NONE, out)) return;
    if (domain_first && !smb1_string(&c, &off, m->unicode, PROBE_EVF_SMB_DOMAIN, out)) return;
    if (!smb1_string(&c, &off, m->unicode, PROBE_EVF_SMB_NATIVE_OS, out)) return;
    if (!smb1_string(&c, &off, m->unicode, PROBE_EVF_SMB_LANMAN, out)) return;
    if (domain_last) smb1_string(&c, &off, m->unicode, PROBE_EVF_SMB_DOMAIN, out);
}

static void smb1_session_setup(smb1_msg *m, bool reply, probe_ev_buf_t *out)
{
    const uint8_t *w = m->words;
    size_t blob;
    if (reply && m->wc == 3) { /* NativeOS, NativeLanMan, PrimaryDomain */
        smb1_setup_strings(m, 0, false, false, true, out);
    } else if (reply && m->wc == 4) { /* SecurityBlob, NativeOS, NativeLanMan */
        blob = smb_le16(w + 6);
        smb_blob(m->bytes.p, blob < ssf_cur_left(&m->bytes) ? blob : ssf_cur_left(&m->bytes), out);
        smb1_setup_strings(m, blob, false, false, false, out);
    } else if (!reply && m->wc == 13) { /* passwords, Account, Domain, NativeOS, LanMan */
        size_t pw = (size_t)smb_le16(w + 14) + smb_le16(w + 16);
        smb1_setup_strings(m, pw, true, true, false, out);
    } else if (!reply && m->wc == 12) { /* SecurityBlob, NativeOS, NativeLanMan */
        blob = smb_le16(w + 14);
        smb_blob(m->bytes.p, blob < ssf_cur_left(&m->bytes) ? blob : ssf_cur_left(&m->bytes), out);
        smb1_setup_strings(m, blob, false, false, false, out);
    }
}

static void smb1(const uint8_t *p, size_t n, probe_ev_buf_t *out)
{
    if (n < SMB1_HDR + 1) return;
    uint8_t cmd = p[4];
    bool reply = p[9] & SMB1_FLAGS_REPLY;
    uint16_t flags2 = smb_le16(p + 10);
    smb1_msg m = {.wc = p[SMB1_HDR], .unicode = flags2 & SMB1_FLAGS2_UNICODE};
    size_t words_end = SMB1_HDR + 1 + 2 * (size_t)m.wc;
    if (n < words_end + 2) return;
    m.words = p + SMB1_HDR + 1;
    size_t bc = smb_le16(p + words_end);
    m.off = words_end + 2;
    size_t have = n - m.off;
    m.bytes = ssf_cur_make(p + m.off, bc < have ? bc : have);
    if (cmd == SMB1_NEGOTIATE && reply) smb1_negotiate_resp(&m, flags2, out);
    if (cmd == SMB1_SESSION_SETUP) smb1_session_setup(&m, reply, out);
}

static void smb2_dialect(uint16_t d, probe_ev_buf_t *out)
{
    static const struct {
        uint16_t rev;
        const char *name;
    } names[] = {{0x0202, "SMB 2.0.2"}, {0x0210, "SMB 2.1"},   {0x0300, "SMB 3.0"},
                 {0x0302, "SMB 3.0.2"}, {0x0311, "SMB 3.1.1"}, {0x02ff, "SMB 2.?"}};
    for (size_t i = 0; i < SSF_ARRAY_LEN(names); i++)
        if (names[i].rev == d) {
            probe_ev_add(out, PROBE_EVF_SMB_DIALECT, PROBE_EV_SRC, names[i].name,
                         strlen(names[i].name));
            return;
        }
    probe_ev_str_t s; /* a revision we have no name for, as [MS-SMB2] writes them */
    probe_ev_str_init(&s);
    probe_ev_str_put(&s, "SMB2 0x", 7);
    probe_ev_str_hex(&s, (uint8_t)(d >> 8));
    probe_ev_str_hex(&s, (uint8_t)d);
    probe_ev_add_str(out, PROBE_EVF_SMB_DIALECT, PROBE_EV_SRC, &s);
}

/* An SMB2 security buffer whose offset (from the SMB2 header) and length are at b + at. The
 * buffer may be cut by the end of the data. */
static void smb2_blob(const uint8_t *p, size_t n, size_t at, probe_ev_buf_t *out)
{
    if (SMB2_HDR + at + 4 > n) return;
    size_t off = smb_le16(p + SMB2_HDR + at), len = smb_le16(p + SMB2_HDR + at + 2);
    if (off < SMB2_HDR + at + 4 || off >= n) return;
    smb_blob(p + off, len < n - off ? len : n - off, out);
}

static void smb2(const uint8_t *p, size_t n, probe_ev_buf_t *out)
{
    if (n < SMB2_HDR + 8 || smb_le16(p + 4) != SMB2_HDR) return;
    uint16_t cmd = smb_le16(p + 12);
    const uint8_t *b = p + SMB2_HDR;
    if (!(smb_le32(p + 16) & SMB2_FLAGS_RESPONSE)) {
        /* Session Setup request (StructureSize 25): the client's NTLMSSP AUTHENTICATE. */
        if (cmd == SMB2_SESSION_SETUP && smb_le16(b) == 25) smb2_blob(p, n, 12, out);
        return;
    }
    if (cmd == SMB2_NEGOTIATE && smb_le16(b) == 65) smb2_dialect(smb_le16(b + 4), out);
    if (cmd == SMB2_SESSION_SETUP && smb_le16(b) == 9) smb2_blob(p, n, 4, out);
}

/* One NetBIOS session message: an SMB1 or SMB2 message. */
static ssf_rc smb_message(const uint8_t *p, size_t n, probe_ev_buf_t *out)
{
    if (n < 4) return SSF_ETRUNC;
    if (memcmp(p, "\xffSMB", 4) == 0)
        smb1(p, n, out);
    else if (memcmp(p, "\xfeSMB", 4) == 0)
        smb2(p, n, out);
    else if (memcmp(p, "\xfdSMB", 4) != 0) /* an SMB3 transform: encrypted, no identity */
        return SSF_EINVAL;
    return SSF_OK;
}

ssf_rc probe_ev_smb(const uint8_t *p, size_t n, probe_ev_buf_t *out)
{
    if (!p || !out || !n) return SSF_EINVAL;
    ssf_cur c = ssf_cur_make(p, n);
    for (int i = 0; i < NB_FRAMES_MAX && ssf_cur_left(&c); i++) {
        const uint8_t *h;
        if (!ssf_cur_bytes(&c, NB_HDR, &h)) return SSF_ETRUNC;
        /* Session request/response and keep-alive frames (RFC 1002 4.3.1) carry no SMB. */
        size_t len = (size_t)h[1] << 16 | (size_t)h[2] << 8 | h[3];
        if (h[0] != NB_SESSION_MESSAGE) {
            if (h[0] < 0x81 || h[0] > 0x85 || h[1] > 1) return SSF_EINVAL;
            if (!ssf_cur_skip(&c, len)) return SSF_ETRUNC;
            continue;
        }
        size_t have = ssf_cur_left(&c);
        ssf_rc rc = smb_message(c.p, len < have ? len : have, out);
        if (rc == SSF_EINVAL && i == 0) return SSF_EINVAL;
        if (len > have) return rc == SSF_EINVAL ? SSF_EINVAL : SSF_ETRUNC;
        if (rc != SSF_OK) return rc;
        c.p += len;
    }
    return SSF_OK;
}
