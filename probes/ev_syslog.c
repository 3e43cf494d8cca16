/* ev_syslog.c - identity from syslog over UDP 514: the HOSTNAME a device puts in its messages.
 *
 *   RFC 3164: "<PRI>Mmm dd hh:mm:ss HOSTNAME TAG: msg"
 *   RFC 5424: "<PRI>VERSION TIMESTAMP HOSTNAME APP-NAME PROCID MSGID ..."
 *
 * Both start with "<PRI>" (1-3 digits, at most 191); bytes without it are not syslog. RFC 3164
 * is only a description of practice, and many senders leave the timestamp or the hostname
 * out ("<189>123: *Mar  1 00:00:00: %LINK-5-CHANGED ..." from Cisco IOS, "<13>su: ..."), so a
 * hostname is taken only right after a well-formed "Mmm dd hh:mm:ss " timestamp, and only if
 * it looks like a host and not like a TAG. The name is the originator's, which is the sender
 * unless a relay forwarded the message; role SRC follows the sender rule of all extractors. */
#include "evidence_internal.h"

enum {
    SYSLOG_PRI_MAX = 191,      /* facility 23 * 8 + severity 7                  */
    SYSLOG_PRI_DIGITS = 3,     /* "<191>"                                       */
    SYSLOG_VERSION_DIGITS = 3, /* RFC 5424: NONZERO-DIGIT 0*2DIGIT              */
    SYSLOG_HOST_MAX = 255,     /* RFC 5424 HOSTNAME is 1*255PRINTUSASCII         */
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

static ssf_rc syslog_host(ssf_cur *c, probe_ev_buf_t *out)
{
    ssf_cur tok;
    ssf_rc rc = syslog_token(c, &tok);
    if (rc != SSF_OK) return rc;
    if (syslog_plausible_host(tok))
        probe_ev_add(out, PROBE_EVF_SYSLOG_HOSTNAME, PROBE_EV_SRC, tok.p, ssf_cur_left(&tok));
    return SSF_OK;
}

ssf_rc probe_ev_syslog(const uint8_t *p, size_t n, probe_ev_buf_t *out)
{
    if (!p || !out) return SSF_EINVAL;
    ssf_cur c = ssf_cur_make(p, n), ts;
    ssf_rc rc = syslog_pri(&c);
    if (rc != SSF_OK) return rc;
    rc = syslog_version(&c);
    if (rc == SSF_OK) {
        /* RFC 5424: TIMESTAMP is one token (possibly "-"), HOSTNAME the next. */
        if ((rc = syslog_token(&c, &ts)) != SSF_OK) return rc;
        return syslog_5424_timestamp(ts) ? syslog_host(&c, out) : SSF_OK;
    }
    if (rc == SSF_ETRUNC) return rc;
    rc = syslog_timestamp(&c);
    if (rc == SSF_EINVAL) return SSF_OK; /* syslog, but no timestamp: do not guess a host */
    if (rc != SSF_OK) return rc;
    return syslog_host(&c, out);
}
