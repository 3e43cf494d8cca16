/* ev_ftp.c - the FTP server greeting (RFC 959 section 4.2): "220 text" or a multi-line reply
 * "220-text" ... "220 text", where the lines between may carry any text.
 *
 * Both directions of port 21 come here. A reply starts with three digits and SP or '-', a
 * command with letters; either is FTP, but only a 220 reply says who the server is. A greeting
 * is reported only once its last line is complete, so a cut one never yields a partial
 * banner. The client's USER and PASS commands and the server's 230/530 replies say that a
 * login crossed the wire in clear and whether it worked; the names and passwords are never
 * reported. The stateful form checks them against the default credential table (ev_cred.h):
 * USER's argument is kept as a hash, PASS's is compared in place. A 530 counts as a failed
 * attempt (auth.failure), a 421 that closes the session as a lockout (auth.lockout), RETR/STOR
 * name the file moved. */
#include "ev_cred.h"
#include "ev_text.h"

enum {
    FTP_MAX_LINES = 32, /* lines of one multi-line greeting we walk: bounds the work */
};

static bool ftp_is_digit(uint8_t c)
{
    return c >= '0' && c <= '9';
}

/* "DDD" followed by SP, '-' or the line end; k bytes are present. Returns false when the k
 * bytes cannot start a reply; *whole says whether the 4 bytes were all there to judge. */
static bool ftp_reply_start(const uint8_t *p, size_t k, bool *whole)
{
    *whole = k >= 4;
    for (size_t i = 0; i < 3 && i < k; i++)
        if (!ftp_is_digit(p[i])) return false;
    return k < 4 || p[3] == ' ' || p[3] == '-' || p[3] == '\r' || p[3] == '\n';
}

/* A command: 3 or 4 letters then SP or CR LF (RFC 959 5.3.1). */
static bool ftp_command(const uint8_t *p, size_t n)
{
    size_t i = 0;
    while (i < n && i < 4 && ((p[i] | 0x20) >= 'a' && (p[i] | 0x20) <= 'z'))
        i++;
    return i >= 3 && i < n && (p[i] == ' ' || p[i] == '\r' || p[i] == '\n');
}

/* Appends one greeting line's text (after "220-" / "220 ", or the whole of a middle line). */
static void ftp_put_text(probe_ev_str_t *s, const probe_ev_line_t *l, bool coded)
{
    const uint8_t *t = l->p + (coded ? 4 : 0);
    size_t len = coded ? (l->len > 4 ? l->len - 4 : 0) : l->len;
    while (len && (*t == ' ' || *t == '\t'))
        t++, len--;
    if (!len) return;
    if (s->n) probe_ev_str_putc(s, ' ');
    probe_ev_str_put(s, t, len);
}

/* The greeting from its first line on: lines until "220 " (or a lone "220"). */
static ssf_rc ftp_greeting(ssf_cur c, probe_ev_buf_t *out)
{
    probe_ev_str_t s;
    probe_ev_str_init(&s);
    probe_ev_line_t l;
    for (int i = 0; i < FTP_MAX_LINES; i++) {
        if (!probe_ev_next_line(&c, &l)) return SSF_ETRUNC;
        bool coded = l.len >= 3 && memcmp(l.p, "220", 3) == 0 &&
                     (l.len == 3 || l.p[3] == ' ' || l.p[3] == '-');
        ftp_put_text(&s, &l, coded);
        if (coded && (l.len == 3 || l.p[3] == ' ')) {
            probe_ev_add_str(out, PROBE_EVF_FTP_BANNER, PROBE_EV_SRC, &s);
            return SSF_OK;
        }
    }
    /* An endless multi-line greeting: report what we walked. */
    probe_ev_add_str(out, PROBE_EVF_FTP_BANNER, PROBE_EV_SRC, &s);
    return SSF_OK;
}

/* The argument's length, up to the CR or LF that ends the command line; 0 for a line cut by
 * the end of the payload, whose argument could be a prefix of a longer one. */
static size_t ftp_arg_len(const uint8_t *p, size_t n)
{
    size_t k = 0;
    while (k < n && p[k] != '\r' && p[k] != '\n')
        k++;
    return k < n ? k : 0;
}

/* A client's login commands (RFC 959 4.1.1): only that one was sent, never its argument.
 * Without state a PASS says a user name came first, so it reads "user+password". An anonymous
 * USER is told apart: its "password" is by custom an e-mail address, not a secret. */
static void ftp_login(const uint8_t *p, size_t n, probe_ev_cred_t *st, probe_ev_buf_t *out)
{
    if (ev_text_iprefix(p, n, "PASS ") || ev_text_iprefix(p, n, "PASS\r")) {
        probe_ev_add(out, PROBE_EVF_FTP_LOGIN, PROBE_EV_SRC, "user+password", 13);
        ev_cred_check(st, "ftp", "ftp", NULL, 0, p + 5, ftp_arg_len(p + 5, n - 5), out);
    } else if (ev_text_iprefix(p, n, "USER ")) {
        ev_cred_user(st, p + 5, ftp_arg_len(p + 5, n - 5));
        bool anon =
            ev_text_iprefix(p + 5, n - 5, "anonymous\r") || ev_text_iprefix(p + 5, n - 5, "ftp\r");
        const char *v = anon ? "anonymous" : "user";
        probe_ev_add(out, PROBE_EVF_FTP_LOGIN, PROBE_EV_SRC, v, strlen(v));
    }
}

/* 230 "User logged in" / 530 "Not logged in" (RFC 959 4.2.2): whether the server took it. A
 * 530 is also a failed login attempt (auth.failure), unless it only asks for a login first
 * ("530 Please login with USER and PASS" to a command sent before one): that refuses no
 * credential. A 230 is a success the worker reports only after failures. */
static void ftp_login_result(const uint8_t *p, size_t n, probe_ev_cred_t *st, probe_ev_buf_t *out)
{
    bool ok = memcmp(p, "230", 3) == 0;
    if (ok || memcmp(p, "530", 3) == 0) ev_cred_answer(st, "ftp", ok, out);
    if (ok) {
        probe_ev_add(out, PROBE_EVF_FTP_LOGIN_RESULT, PROBE_EV_SRC, "accepted", 8);
        probe_ev_add(out, PROBE_EVF_AUTH_SUCCESS, PROBE_EV_SRC, "ftp 230", 7);
    } else if (memcmp(p, "530", 3) == 0) {
        probe_ev_add(out, PROBE_EVF_FTP_LOGIN_RESULT, PROBE_EV_SRC, "refused", 7);
        const uint8_t *eol = memchr(p, '\n', n);
        size_t len = eol ? (size_t)(eol - p) : n;
        if (!ev_text_ifind(p, len, "please log") && !ev_text_ifind(p, len, "login with"))
            probe_ev_add(out, PROBE_EVF_AUTH_FAILURE, PROBE_EV_SRC, "ftp 530", 7);
    }
}

/* 421 "Service not available, closing control connection" (RFC 959 4.2.1, 5.4): the server
 * ends the session on its own. After refused logins that is how FTP servers enforce a login
 * limit (ProFTPD MaxLoginAttempts, TIBCO's maxLoginFailures "connection is closed") or a ban
 * (ProFTPD mod_ban BanOnEvent MaxLoginAttempts), and what a banned client's next connection
 * gets instead of a greeting: auth.lockout. The other 421s say why, and it is not the login:
 * an idle or login timeout, or a shutdown. Whether a guesser is really kept out, or merely
 * reconnects, is for the engine to read from what follows (engine/bruteforce.c). */
static void ftp_closing(const uint8_t *p, size_t n, probe_ev_buf_t *out)
{
    static const char *const other[] = {"timeout",  "timed out",     "idle",
                                        "shutdown", "shutting down", "inactiv"};
    const uint8_t *eol = memchr(p, '\n', n);
    size_t len = eol ? (size_t)(eol - p) : n;
    for (size_t i = 0; i < SSF_ARRAY_LEN(other); i++)
        if (ev_text_ifind(p, len, other[i])) return;
    probe_ev_add(out, PROBE_EVF_AUTH_LOCKOUT, PROBE_EV_SRC, "ftp 421", 7);
}

/* RETR / STOR path (RFC 959 4.1.3): the file a client fetched or sent. A firmware image
 * fetched over clear FTP is an insecure update (signatures/rules/weakpoints.rules). */
static void ftp_transfer(const uint8_t *p, size_t n, probe_ev_buf_t *out)
{
    probe_ev_field f = ev_text_iprefix(p, n, "RETR ")   ? PROBE_EVF_FTP_RETR
                       : ev_text_iprefix(p, n, "STOR ") ? PROBE_EVF_FTP_STOR
                                                        : PROBE_EVF_NONE;
    if (f == PROBE_EVF_NONE) return;
    size_t k = 5;
    while (k < n && p[k] != '\r' && p[k] != '\n')
        k++;
    probe_ev_add(out, f, PROBE_EV_SRC, p + 5, k - 5);
}

ssf_rc probe_ev_ftp(const uint8_t *p, size_t n, probe_ev_buf_t *out)
{
    probe_ev_cred_t st = {{0, 0}, 0};
    return probe_ev_ftp_st(p, n, &st, out);
}

ssf_rc probe_ev_ftp_st(const uint8_t *p, size_t n, probe_ev_cred_t *st, probe_ev_buf_t *out)
{
    if (!p || !out || !n || !st) return SSF_EINVAL;
    bool whole;
    if (ftp_reply_start(p, n, &whole)) {
        if (!whole) return SSF_ETRUNC;
        if (memcmp(p, "421", 3) == 0) {
            ftp_closing(p, n, out);
            return SSF_OK;
        }
        if (memcmp(p, "220", 3) != 0) { /* another reply: FTP, no identity */
            ftp_login_result(p, n, st, out);
            return SSF_OK;
        }
        return ftp_greeting(ssf_cur_make(p, n), out);
    }
    if (!ftp_command(p, n)) return SSF_EINVAL;
    ftp_login(p, n, st, out);
    ftp_transfer(p, n, out);
    return SSF_OK;
}
