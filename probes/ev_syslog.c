/* ev_syslog.c - identity from syslog over UDP: the HOSTNAME a device puts in its messages, the
 * program that logged (TAG / APP-NAME) and the message text, which often names the product
 * ("NetScreen device_id=...", "devid=FGT61E...").
 *
 *   RFC 3164: "<PRI>Mmm dd hh:mm:ss HOSTNAME TAG: msg"
 *   RFC 5424: "<PRI>VERSION TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA MSG"
 *
 * Both start with "<PRI>" (1-3 digits, at most 191); bytes without it are not syslog. RFC 3164
 * is only a description of practice, and many senders leave the timestamp or the hostname
 * out ("<189>123: *Mar  1 00:00:00: %LINK-5-CHANGED ..." from Cisco IOS, "<13>su: ..."), so a
 * hostname is taken only right after a well-formed "Mmm dd hh:mm:ss " timestamp, and only if
 * it looks like a host and not like a TAG. The name is the originator's, which is the sender
 * unless a relay forwarded the message; role SRC follows the sender rule of all extractors.
 *
 * syslog.tag is the RFC 5424 APP-NAME, else Cisco IOS's "%FACILITY-SEVERITY-MNEMONIC" token
 * anywhere in the text, else an RFC 3164 TAG ("sshd[42]:" gives "sshd"). syslog.message is
 * what follows the tag, or the whole text when there is none, cut by probe_ev_add. A datagram
 * has no length of its own, so the text after a whole HOSTNAME is used as it stands. */
#include "evidence_internal.h"

enum {
    SYSLOG_PRI_MAX = 191,      /* facility 23 * 8 + severity 7                  */
    SYSLOG_PRI_DIGITS = 3,     /* "<191>"                                       */
    SYSLOG_VERSION_DIGITS = 3, /* RFC 5424: NONZERO-DIGIT 0*2DIGIT              */
    SYSLOG_HOST_MAX = 255,     /* RFC 5424 HOSTNAME is 1*255PRINTUSASCII         */
    SYSLOG_TAG_MAX = 48,       /* RFC 3164 says 32; real ones run a little over  */
    SYSLOG_SD_MAX = 64,        /* SD-ELEMENTs walked; more is not well-formed use */
};

static const char syslog_months[][4] = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};

/* RFC 3164 TIMESTAMP and the space after it: 'a' a letter (the month, checked against the
 * table), 'D' a digit or the space that pads days 1-9, '9' a digit, anything else itself. */
static const char syslog_ts3164[] = "aaa D9 99:99:99 ";

static bool syslog_is_digit(uint8_t b)
{
    return b >= '0' && b <= '9';
}

/* "<PRI>". SSF_EINVAL when it is not there, SSF_ETRUNC when n ends inside it. */
static ssf_rc syslog_pri(ssf_cur *c)
{
    uint8_t b;
    unsigned v = 0, digits = 0;
    if (!ssf_cur_u8(c, &b)) return SSF_ETRUNC;
    if (b != '<') return SSF_EINVAL;
    for (;;) {
        if (!ssf_cur_u8(c, &b)) return SSF_ETRUNC;
        if (b == '>') break;
        if (!syslog_is_digit(b) || ++digits > SYSLOG_PRI_DIGITS) return SSF_EINVAL;
        v = v * 10 + (unsigned)(b - '0');
    }
    return digits && v <= SYSLOG_PRI_MAX ? SSF_OK : SSF_EINVAL;
}

/* RFC 5424 "VERSION SP". SSF_OK (consumed) when present, SSF_EINVAL when the message is
 * something else, SSF_ETRUNC when n ends before we can tell. */
static ssf_rc syslog_version(ssf_cur *c)
{
    size_t left = ssf_cur_left(c), k = 0;
    for (; k < left && k <= SYSLOG_VERSION_DIGITS; k++) {
        uint8_t b = c->p[k];
        if (b == ' ' && k > 0) return ssf_cur_skip(c, k + 1) ? SSF_OK : SSF_ETRUNC;
        if (k == SYSLOG_VERSION_DIGITS || !syslog_is_digit(b) || (k == 0 && b == '0'))
            return SSF_EINVAL;
    }
    return SSF_ETRUNC; /* only digits so far */
}

static bool syslog_ts_char_ok(char want, uint8_t b)
{
    switch (want) {
    case 'a':
        return (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z');
    case 'D':
        return b == ' ' || syslog_is_digit(b);
    case '9':
        return syslog_is_digit(b);
    default:
        return b == (uint8_t)want;
    }
}

/* An RFC 5424 TIMESTAMP: the nil value, or a full-date "YYYY-MM-DD" then 'T'. It tells RFC
 * 5424 from RFC 3164 bodies that merely start with a number and a space (a sequence number,
 * "<134>854 08/20/2013-19:05:23 CONFIG ..."), whose next tokens are not a hostname. */
static bool syslog_5424_timestamp(ssf_cur ts)
{
    static const char full_date[] = "9999-99-99T";
    size_t n = ssf_cur_left(&ts), want = sizeof full_date - 1;
    if (n == 1 && ts.p[0] == '-') return true;
    if (n <= want) return false;
    for (size_t k = 0; k < want; k++)
        if (!syslog_ts_char_ok(full_date[k], ts.p[k])) return false;
    return true;
}

/* RFC 3164 "Mmm dd hh:mm:ss ". SSF_OK (consumed), SSF_EINVAL when absent, SSF_ETRUNC when
 * what there is matches but n ends inside it. */
static ssf_rc syslog_timestamp(ssf_cur *c)
{
    size_t want = sizeof syslog_ts3164 - 1, left = ssf_cur_left(c), k = 0;
    for (; k < want && k < left; k++)
        if (!syslog_ts_char_ok(syslog_ts3164[k], c->p[k])) return SSF_EINVAL;
    if (k < want) return SSF_ETRUNC;
    for (size_t m = 0; m < SSF_ARRAY_LEN(syslog_months); m++)
        if (memcmp(c->p, syslog_months[m], 3) == 0)
            return ssf_cur_skip(c, want) ? SSF_OK : SSF_ETRUNC;
    return SSF_EINVAL;
}

/* The next space-terminated token. SSF_ETRUNC when no space follows within n: the token may be
 * cut, so it is not used. */
static ssf_rc syslog_token(ssf_cur *c, ssf_cur *tok)
{
    const uint8_t *sp = memchr(c->p, ' ', ssf_cur_left(c));
    if (!sp) return SSF_ETRUNC;
    return ssf_cur_sub(c, (size_t)(sp - c->p), tok) && ssf_cur_skip(c, 1) ? SSF_OK : SSF_ETRUNC;
}

/* A host name or address: printable, no spaces, at most 255 bytes, not the nil value "-". A
 * token ending in ':' or holding '[' is an RFC 3164 TAG ("sshd[42]:") from a sender that left
 * the hostname out. */
static bool syslog_plausible_host(ssf_cur tok)
{
    size_t n = ssf_cur_left(&tok);
    if (n == 0 || n > SYSLOG_HOST_MAX || (n == 1 && tok.p[0] == '-')) return false;
    if (tok.p[n - 1] == ':') return false;
    for (size_t i = 0; i < n; i++)
        if (tok.p[i] <= 0x20 || tok.p[i] >= 0x7F || tok.p[i] == '[') return false;
    return true;
}

/* RFC 3164 HOSTNAME, reported when plausible. A token that is not a host is the start of the
 * message (a TAG from a sender that left the host out): c is put back before it. */
static ssf_rc syslog_host(ssf_cur *c, probe_ev_buf_t *out)
{
    ssf_cur tok, start = *c;
    ssf_rc rc = syslog_token(c, &tok);
    if (rc != SSF_OK) return rc;
    if (syslog_plausible_host(tok))
        probe_ev_add(out, PROBE_EVF_SYSLOG_HOSTNAME, PROBE_EV_SRC, tok.p, ssf_cur_left(&tok));
    else
        *c = start;
    return SSF_OK;
}

static bool syslog_is_upper_word(uint8_t b)
{
    return (b >= 'A' && b <= 'Z') || syslog_is_digit(b) || b == '_';
}

static bool syslog_is_tag_char(uint8_t b)
{
    return (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || syslog_is_digit(b) || b == '_' ||
           b == '-' || b == '.' || b == '/';
}

static void syslog_add_text(probe_ev_buf_t *out, probe_ev_field f, const uint8_t *p, size_t n)
{
    /* Line ends and the NUL some senders append are not part of the text. */
    while (n && (p[n - 1] == '\n' || p[n - 1] == '\r' || p[n - 1] == '\0' || p[n - 1] == ' '))
        n--;
    probe_ev_add(out, f, PROBE_EV_SRC, p, n);
}

/* Length of a Cisco IOS "%FAC-SEV-MNEMONIC" token at p (without its ':'), 0 if none. */
static size_t syslog_cisco_at(const uint8_t *p, size_t n)
{
    size_t k = 1, parts = 0;
    if (n < 2 || p[0] != '%') return 0;
    for (;;) {
        size_t start = k;
        while (k < n && syslog_is_upper_word(p[k]))
            k++;
        if (k == start || k >= n) return 0;
        if (parts == 1 && (k - start != 1 || !syslog_is_digit(p[start]))) return 0;
        if (p[k] == ':') return parts == 2 ? k : 0;
        if (p[k] != '-' || ++parts > 2) return 0;
        k++;
    }
}

/* Finds a Cisco token starting a word in [p, p+n): its offset and length, false if none. */
static bool syslog_find_cisco(const uint8_t *p, size_t n, size_t *at, size_t *len)
{
    for (const uint8_t *q = p; (q = memchr(q, '%', n - (size_t)(q - p))) != NULL; q++) {
        if (q > p && q[-1] != ' ') continue;
        *at = (size_t)(q - p);
        if ((*len = syslog_cisco_at(q, n - *at)) != 0) return true;
    }
    return false;
}

/* Length of an RFC 3164 TAG at p ("su", "sshd" of "sshd[42]:"), with *skip the bytes up to
 * and including the ':'. 0 if the text does not start with one. A TAG holds a letter: "123:"
 * is a sequence number. */
static size_t syslog_tag3164_at(const uint8_t *p, size_t n, size_t *skip)
{
    size_t k = 0;
    bool letter = false;
    while (k < n && k <= SYSLOG_TAG_MAX && syslog_is_tag_char(p[k])) {
        letter |= (p[k] >= 'A' && p[k] <= 'Z') || (p[k] >= 'a' && p[k] <= 'z');
        k++;
    }
    size_t tag = k;
    if (!tag || tag > SYSLOG_TAG_MAX || !letter || k == n) return 0;
    if (p[k] == '[') {
        const uint8_t *rb = memchr(p + k, ']', n - k);
        if (!rb) return 0;
        k = (size_t)(rb - p) + 1;
    }
    if (k == n || p[k] != ':') return 0;
    *skip = k + 1;
    return tag;
}

/* The free text of a message: tag and message as the header comment describes. */
static void syslog_content(ssf_cur c, probe_ev_buf_t *out)
{
    const uint8_t *p = c.p;
    size_t n = ssf_cur_left(&c), at, len, skip;
    if (syslog_find_cisco(p, n, &at, &len)) {
        probe_ev_add(out, PROBE_EVF_SYSLOG_TAG, PROBE_EV_SRC, p + at, len);
        syslog_add_text(out, PROBE_EVF_SYSLOG_MSG, p + at + len + 1, n - at - len - 1);
        return;
    }
    if ((len = syslog_tag3164_at(p, n, &skip)) != 0) {
        probe_ev_add(out, PROBE_EVF_SYSLOG_TAG, PROBE_EV_SRC, p, len);
        p += skip;
        n -= skip;
    }
    syslog_add_text(out, PROBE_EVF_SYSLOG_MSG, p, n);
}

/* RFC 5424 STRUCTURED-DATA: "-" or one or more "[...]" (with "\]" escapes inside). False when
 * it is neither, or does not end within c. */
static bool syslog_skip_sd(ssf_cur *c)
{
    if (ssf_cur_left(c) && c->p[0] == '-') return ssf_cur_skip(c, 1);
    for (unsigned i = 0; i < SYSLOG_SD_MAX && ssf_cur_left(c) && c->p[0] == '['; i++) {
        size_t k = 1, n = ssf_cur_left(c);
        while (k < n && c->p[k] != ']')
            k += c->p[k] == '\\' ? 2 : 1;
        if (k >= n) return false;
        ssf_cur_skip(c, k + 1);
        if (!ssf_cur_left(c) || c->p[0] != '[') return true;
    }
    return false;
}

/* After an RFC 5424 HOSTNAME: APP-NAME PROCID MSGID STRUCTURED-DATA [SP MSG]. What is missing
 * or malformed ends the parse quietly: the header fields we have are kept. */
static void syslog_5424_rest(ssf_cur c, probe_ev_buf_t *out)
{
    ssf_cur app, procid, msgid;
    if (syslog_token(&c, &app) != SSF_OK) return;
    if (ssf_cur_left(&app) != 1 || app.p[0] != '-')
        probe_ev_add(out, PROBE_EVF_SYSLOG_TAG, PROBE_EV_SRC, app.p, ssf_cur_left(&app));
    if (syslog_token(&c, &procid) != SSF_OK || syslog_token(&c, &msgid) != SSF_OK) return;
    if (!syslog_skip_sd(&c) || !ssf_cur_skip(&c, 1)) return;
    static const uint8_t bom[3] = {0xEF, 0xBB, 0xBF};
    if (ssf_cur_left(&c) >= 3 && memcmp(c.p, bom, 3) == 0) ssf_cur_skip(&c, 3);
    syslog_add_text(out, PROBE_EVF_SYSLOG_MSG, c.p, ssf_cur_left(&c));
}

/* c is after "VERSION SP"; body after "<PRI>". */
static ssf_rc syslog_5424(ssf_cur c, ssf_cur body, probe_ev_buf_t *out)
{
    ssf_cur ts, host;
    ssf_rc rc = syslog_token(&c, &ts);
    if (rc != SSF_OK) return rc;
    if (!syslog_5424_timestamp(ts)) {
        /* A number and a space, then free text ("854 08/20/2013-19:05:23 CONFIG ..."). */
        syslog_content(body, out);
        return SSF_OK;
    }
    /* HOSTNAME is always a field here, even when nil ("-"). */
    if ((rc = syslog_token(&c, &host)) != SSF_OK) return rc;
    if (syslog_plausible_host(host))
        probe_ev_add(out, PROBE_EVF_SYSLOG_HOSTNAME, PROBE_EV_SRC, host.p, ssf_cur_left(&host));
    syslog_5424_rest(c, out);
    return SSF_OK;
}

ssf_rc probe_ev_syslog(const uint8_t *p, size_t n, probe_ev_buf_t *out)
{
    if (!p || !out) return SSF_EINVAL;
    ssf_cur c = ssf_cur_make(p, n);
    ssf_rc rc = syslog_pri(&c);
    if (rc != SSF_OK) return rc;
    ssf_cur body = c;
    rc = syslog_version(&c);
    if (rc == SSF_OK) return syslog_5424(c, body, out);
    if (rc == SSF_ETRUNC) return rc;
    rc = syslog_timestamp(&c);
    if (rc == SSF_EINVAL) {
        /* syslog, but no timestamp: do not guess a host; the text may still say who it is. */
        syslog_content(body, out);
        return SSF_OK;
    }
    if (rc != SSF_OK) return rc;
    if ((rc = syslog_host(&c, out)) != SSF_OK) return rc;
    syslog_content(c, out);
    return SSF_OK;
}
