/* ev_mail.c - clear-text mail logins: POP3 (RFC 1939, AUTH from RFC 5034) on TCP 110 and IMAP4
 * (RFC 9051 / RFC 3501) on TCP 143.
 *
 * Only which login command a client sent is reported, never its arguments: USER/PASS and IMAP
 * LOGIN carry the password itself, APOP a replayable digest, AUTH/AUTHENTICATE name a SASL
 * mechanism (whose exchange follows in later lines we do not read). Server replies that refuse
 * or accept a login yield auth.failure / auth.success, a POP3 login delay auth.lockout (role SRC
 * = server); their text is read
 * only for words, never copied. The stateful forms check USER/PASS and LOGIN against the
 * default credential table (ev_cred.h) in place. */
#include "ev_cred.h"
#include "ev_text.h"

enum {
    MAIL_TAG_MAX = 32,    /* an IMAP tag longer than this is not one a client would send */
    MAIL_MECH_MAX = 20,   /* SASL mechanism names are at most 20 characters (RFC 4422 3.1) */
    MAIL_REPLY_MAX = 200, /* reply text read for what it refused: the words come early */
    MAIL_ARG_MAX = 128,   /* a LOGIN argument longer than this is no vendor default        */
};

/* The argument's length, up to the CR or LF that ends the line; 0 for a line cut by the end of
 * the payload, whose argument could be a prefix of a longer one. */
static size_t mail_arg_len(const uint8_t *p, size_t n)
{
    size_t k = 0;
    while (k < n && p[k] != '\r' && p[k] != '\n')
        k++;
    return k < n ? k : 0;
}

static bool mail_alpha(uint8_t c)
{
    return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

/* SASL mechanism name charset (RFC 4422 3.1): upper-case letters, digits, '-' and '_'. */
static bool mail_mech_char(uint8_t c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
}

/* Adds "<prefix><MECH>" from the mechanism at p; an empty or over-long one as "<prefix>?". */
static void mail_mech(probe_ev_field f, const char *prefix, const uint8_t *p, size_t n,
                      probe_ev_buf_t *out)
{
    size_t k = 0;
    while (k < n && k <= MAIL_MECH_MAX && mail_mech_char(p[k]))
        k++;
    probe_ev_str_t s;
    probe_ev_str_init(&s);
    probe_ev_str_put(&s, prefix, strlen(prefix));
    if (k == 0 || k > MAIL_MECH_MAX) {
        probe_ev_str_putc(&s, '?');
    } else {
        for (size_t i = 0; i < k; i++)
            probe_ev_str_putc(&s, (char)(p[i] >= 'a' && p[i] <= 'z' ? p[i] - 32 : p[i]));
    }
    probe_ev_add_str(out, f, PROBE_EV_SRC, &s);
}

/* A keyword of 3 or 4 letters ending in SP or CR/LF: a POP3 command (RFC 1939 3). */
static bool pop_command(const uint8_t *p, size_t n)
{
    size_t i = 0;
    while (i < n && i < 4 && mail_alpha(p[i]))
        i++;
    return i >= 3 && i < n && (p[i] == ' ' || p[i] == '\r' || p[i] == '\n');
}

/* True if the first line of p (at most MAIL_REPLY_MAX bytes of it) holds one of words. */
static bool mail_says(const uint8_t *p, size_t n, const char *const *words, size_t count)
{
    const uint8_t *eol = memchr(p, '\n', n < MAIL_REPLY_MAX ? n : MAIL_REPLY_MAX);
    size_t len = eol ? (size_t)(eol - p) : (n < MAIL_REPLY_MAX ? n : MAIL_REPLY_MAX);
    for (size_t i = 0; i < count; i++)
        if (ev_text_ifind(p, len, words[i])) return true;
    return false;
}

/* A POP3 reply carries no tag naming its command, so what a -ERR refused is read from its
 * text: servers word a refused PASS/APOP/AUTH as an authentication, password or login failure
 * (RFC 3206's [AUTH] code among them), other -ERRs ("no such message") never do. Two response
 * codes say the credentials were not what failed. [LOGIN-DELAY] (RFC 2449 8.1.1) refuses a
 * login that came sooner than the server's minimum interval allows; GNU Mailutils pop3d sends
 * it only after a valid password: a throttle, auth.lockout. [SYS/TEMP] and [SYS/PERM] (RFC 3206
 * 4) blame the server's own systems, "Temporary authentication failure" included: neither a
 * refusal nor a lockout. */
static void pop_reply(const uint8_t *p, size_t n, probe_ev_cred_t *st, probe_ev_buf_t *out)
{
    /* The reply that follows a checked PASS is its answer: POP3 does not pipeline a login. */
    if (!ev_text_prefix(p, n, "+ ")) ev_cred_answer(st, "pop3", ev_text_prefix(p, n, "+OK"), out);
    static const char *const fail[] = {"[auth]", "authenticat", "password", "login",
                                       "logon",  "credential",  "denied",   "invalid user"};
    static const char *const ok[] = {"logged in", "maildrop", "mailbox", "authenticat"};
    static const char *const delay[] = {"[login-delay]"}, *const sys[] = {"[sys/"};
    bool err = ev_text_prefix(p, n, "-ERR");
    if (err && mail_says(p, n, delay, 1))
        probe_ev_add(out, PROBE_EVF_AUTH_LOCKOUT, PROBE_EV_SRC, "pop -ERR [LOGIN-DELAY]", 22);
    else if (err && !mail_says(p, n, sys, 1) && mail_says(p, n, fail, SSF_ARRAY_LEN(fail)))
        probe_ev_add(out, PROBE_EVF_AUTH_FAILURE, PROBE_EV_SRC, "pop -ERR", 8);
    else if (ev_text_prefix(p, n, "+OK") && mail_says(p, n, ok, SSF_ARRAY_LEN(ok)))
        probe_ev_add(out, PROBE_EVF_AUTH_SUCCESS, PROBE_EV_SRC, "pop +OK", 7);
}

ssf_rc probe_ev_pop(const uint8_t *p, size_t n, probe_ev_buf_t *out)
{
    probe_ev_cred_t st = {{0, 0}, 0};
    return probe_ev_pop_st(p, n, &st, out);
}

ssf_rc probe_ev_pop_st(const uint8_t *p, size_t n, probe_ev_cred_t *st, probe_ev_buf_t *out)
{
    if (!p || !out || !n || !st) return SSF_EINVAL;
    if (ev_text_prefix(p, n, "+OK") || ev_text_prefix(p, n, "-ERR") || ev_text_prefix(p, n, "+ ")) {
        pop_reply(p, n, st, out);
        return SSF_OK;
    }
    if (!pop_command(p, n)) {
        /* Up to four letters could still become a command once more bytes come. */
        bool letters = n < 5;
        for (size_t i = 0; letters && i < n; i++)
            letters = mail_alpha(p[i]);
        return letters ? SSF_ETRUNC : SSF_EINVAL;
    }
    /* PASS needs a USER before it (RFC 1939 7), so it stands for both. */
    if (ev_text_iprefix(p, n, "USER ")) {
        probe_ev_add(out, PROBE_EVF_POP_LOGIN, PROBE_EV_SRC, "user", 4);
        ev_cred_user(st, p + 5, mail_arg_len(p + 5, n - 5));
    } else if (ev_text_iprefix(p, n, "PASS ")) {
        probe_ev_add(out, PROBE_EVF_POP_LOGIN, PROBE_EV_SRC, "user+password", 13);
        ev_cred_check(st, "pop3", "pop3", NULL, 0, p + 5, mail_arg_len(p + 5, n - 5), out);
    } else if (ev_text_iprefix(p, n, "APOP "))
        probe_ev_add(out, PROBE_EVF_POP_LOGIN, PROBE_EV_SRC, "apop", 4);
    else if (ev_text_iprefix(p, n, "AUTH "))
        mail_mech(PROBE_EVF_POP_LOGIN, "auth ", p + 5, n - 5, out);
    return SSF_OK;
}

/* Length of the run of tag characters at p: ASTRING-CHARs without '+' (RFC 9051 9), here
 * letters, digits and '.', '-', '_', which is what clients use. Stops past MAIL_TAG_MAX. */
static size_t imap_tag_chars(const uint8_t *p, size_t n)
{
    size_t i = 0;
    while (i < n && i <= MAIL_TAG_MAX && (mail_mech_char(p[i]) || p[i] == '.'))
        i++;
    return i;
}

/* A tagged NO/BAD/OK (RFC 9051 7.1) names no command either: a refused LOGIN or AUTHENTICATE
 * says so in its code ([AUTHENTICATIONFAILED], RFC 5530) or text; a NO to SELECT does not. */
static bool imap_status(const uint8_t *c, size_t n, probe_ev_cred_t *st, probe_ev_buf_t *out)
{
    static const char *const auth[] = {"authenticat", "login",      "logon",
                                       "password",    "credential", "logged in"};
    bool no = ev_text_iprefix(c, n, "NO "), bad = ev_text_iprefix(c, n, "BAD ");
    bool ok = ev_text_iprefix(c, n, "OK ");
    if (!no && !bad && !ok) return false;
    /* A client waits for LOGIN's tagged answer before its next command: the next tagged
     * status after a checked LOGIN is that answer, whatever its text says. */
    ev_cred_answer(st, "imap", ok, out);
    /* RFC 5530 3: [UNAVAILABLE] ("Temporary authentication failure" from a server whose
     * password database is down) and [SERVERBUG] blame the server, not the credentials. */
    static const char *const sys[] = {"[unavailable]", "[serverbug]"};
    if (!mail_says(c, n, auth, SSF_ARRAY_LEN(auth)) || mail_says(c, n, sys, SSF_ARRAY_LEN(sys)))
        return true;
    if (ok)
        probe_ev_add(out, PROBE_EVF_AUTH_SUCCESS, PROBE_EV_SRC, "imap OK LOGIN", 13);
    else
        probe_ev_add(out, PROBE_EVF_AUTH_FAILURE, PROBE_EV_SRC,
                     no ? "imap NO LOGIN" : "imap BAD LOGIN", no ? 13 : 14);
    return true;
}

/* One LOGIN argument (RFC 9051 9: astring): an atom up to SP/CR/LF, or a quoted string whose
 * quoted-pair escapes are undone into buf. Literals ({n}) are not read: false. *rest moves
 * past the argument. */
static bool imap_astring(const uint8_t **rest, const uint8_t *end, uint8_t *buf, size_t *len)
{
    const uint8_t *q = *rest;
    size_t k = 0;
    if (q < end && *q == '"') {
        for (q++; q < end && *q != '"' && *q != '\r' && *q != '\n'; q++) {
            if (*q == '\\' && q + 1 < end) q++;
            if (k == MAIL_ARG_MAX) return false;
            buf[k++] = *q;
        }
        if (q == end || *q != '"') return false;
        q++;
    } else {
        for (; q < end && *q != ' ' && *q != '\r' && *q != '\n'; q++) {
            if (*q == '{' || k == MAIL_ARG_MAX) return false;
            buf[k++] = *q;
        }
    }
    *rest = q;
    *len = k;
    return k > 0;
}

/* "LOGIN user password" CRLF: both arguments checked against the default table. */
static void imap_login_check(const uint8_t *a, size_t n, probe_ev_cred_t *st, probe_ev_buf_t *out)
{
    uint8_t user[MAIL_ARG_MAX], pass[MAIL_ARG_MAX];
    size_t ulen, plen, line = mail_arg_len(a, n);
    const uint8_t *q = a, *end = a + line;
    st->tried = 0;
    if (!line || !imap_astring(&q, end, user, &ulen) || q == end || *q++ != ' ' ||
        !imap_astring(&q, end, pass, &plen) || q != end)
        return;
    ev_cred_check(st, "imap", "imap", user, ulen, pass, plen, out);
}

ssf_rc probe_ev_imap(const uint8_t *p, size_t n, probe_ev_buf_t *out)
{
    probe_ev_cred_t st = {{0, 0}, 0};
    return probe_ev_imap_st(p, n, &st, out);
}

ssf_rc probe_ev_imap_st(const uint8_t *p, size_t n, probe_ev_cred_t *st, probe_ev_buf_t *out)
{
    if (!p || !out || !n || !st) return SSF_EINVAL;
    if (ev_text_prefix(p, n, "* ") || ev_text_prefix(p, n, "+ ") || ev_text_prefix(p, n, "+\r"))
        return SSF_OK;
    size_t t = imap_tag_chars(p, n);
    if (t == n && n <= MAIL_TAG_MAX) return SSF_ETRUNC; /* a tag cut before its SP */
    if (!t || t > MAIL_TAG_MAX || p[t] != ' ') return SSF_EINVAL;
    const uint8_t *c = p + t + 1;
    size_t left = n - t - 1;
    if (imap_status(c, left, st, out)) return SSF_OK;
    if (ev_text_iprefix(c, left, "LOGIN ")) {
        probe_ev_add(out, PROBE_EVF_IMAP_LOGIN, PROBE_EV_SRC, "user+password", 13);
        imap_login_check(c + 6, left - 6, st, out);
    } else if (ev_text_iprefix(c, left, "AUTHENTICATE "))
        mail_mech(PROBE_EVF_IMAP_LOGIN, "authenticate ", c + 13, left - 13, out);
    else if (left == 0 || !mail_alpha(c[0]))
        return SSF_EINVAL; /* neither a command nor a tagged status */
    return SSF_OK;
}
