/* ev_telnet.c - what a Telnet server prints before login (RFC 854, RFC 855).
 *
 * Option negotiation (IAC DO/DONT/WILL/WONT opt, IAC SB ... IAC SE, two-byte IAC commands) is
 * dropped; IAC IAC is a literal 255 and so not text. The remaining bytes are cut into lines.
 * The first complete non-empty line is the banner ("OpenBSD/i386 (oof) (ttyp2)"); a short line
 * ending in ':' that asks for a user or a password is a prompt, whether or not a newline ends
 * it (servers leave the cursor after "login: "). Lines without their newline are otherwise
 * ignored: in character mode a server echoes what is typed one byte per segment. A short line
 * such as "Login incorrect" is a refused login (auth.failure), never the banner.
 *
 * Only the server's bytes may come here: the client's are keystrokes, passwords among them.
 * The worker sees to that. */
#include "ev_text.h"

enum {
    TN_IAC = 255,
    TN_SE = 240,
    TN_SB = 250,
    TN_WILL = 251,
    TN_DONT = 254,
    TN_LINE_MAX = PROBE_EV_VALUE_MAX - 1, /* longer lines are cut to this                */
    TN_PROMPT_MAX = 40,                   /* a prompt is short                            */
    TN_FAIL_MAX = 64, /* so is a refusal: a longer line is session output that mentions one */
};

/* The text of a payload is built one line at a time in here. */
typedef struct {
    uint8_t s[TN_LINE_MAX];
    size_t n;
    bool banner_done;
    probe_ev_buf_t *out;
} tn_line;

static bool tn_is_prompt(const uint8_t *s, size_t n)
{
    while (n && s[n - 1] == ' ')
        n--;
    if (!n || n > TN_PROMPT_MAX || s[n - 1] != ':') return false;
    static const char *const words[] = {"login", "user", "password", "passwd", "name"};
    for (size_t i = 0; i < SSF_ARRAY_LEN(words); i++)
        if (ev_text_ifind(s, n, words[i])) return true;
    return false;
}

/* What servers print when they refuse a login (util-linux login, BusyBox, Cisco IOS, embedded
 * shells). A refusal is never a banner: it is only on the wire because someone just failed. */
static const char *tn_failure(const uint8_t *s, size_t n)
{
    static const struct {
        const char *text, *value;
    } fails[] = {
        {"login incorrect", "telnet login incorrect"},
        {"login invalid", "telnet login invalid"},
        {"login failed", "telnet login failed"},
        {"authentication failed", "telnet authentication failed"},
        {"access denied", "telnet access denied"},
        {"incorrect password", "telnet incorrect password"},
        {"invalid password", "telnet invalid password"},
        {"bad password", "telnet bad password"},
    };
    if (n > TN_FAIL_MAX) return NULL;
    for (size_t i = 0; i < SSF_ARRAY_LEN(fails); i++)
        if (ev_text_ifind(s, n, fails[i].text)) return fails[i].value;
    return NULL;
}

/* A line ended (complete) or the payload did (not complete). */
static void tn_flush(tn_line *l, bool complete)
{
    size_t n = l->n;
    l->n = 0;
    while (n && (l->s[n - 1] == ' ' || l->s[n - 1] == '\t'))
        n--;
    if (!n) return;
    if (tn_is_prompt(l->s, n)) {
        probe_ev_add(l->out, PROBE_EVF_TELNET_PROMPT, PROBE_EV_SRC, l->s, n);
        return;
    }
    const char *fail = tn_failure(l->s, n);
    if (fail) {
        probe_ev_add(l->out, PROBE_EVF_AUTH_FAILURE, PROBE_EV_SRC, fail, strlen(fail));
        return;
    }
    if (!complete || l->banner_done) return;
    probe_ev_add(l->out, PROBE_EVF_TELNET_BANNER, PROBE_EV_SRC, l->s, n);
    l->banner_done = true;
}

/* One data byte. CR LF, CR NUL and a bare LF end a line (RFC 854 "NVT"). */
static bool tn_data(tn_line *l, uint8_t b)
{
    if (b == '\r' || b == '\n') {
        tn_flush(l, true);
        return true;
    }
    if (b == 0 || b == 7 || b == 8 || b == 0x1b || b == 0x7f) return true; /* NUL BEL BS ESC DEL */
    /* Bytes >= 0x80 are kept: probe_ev_add shows them as '.', and UTF-8 banners exist. */
    if (b == '\t' || b >= 0x20) {
        if (l->n < sizeof l->s) l->s[l->n++] = b;
        return true;
    }
    return false; /* binary: not an NVT text stream */
}

/* Skips the command at p[0] == IAC. Returns bytes used, 0 if cut. */
static size_t tn_command(const uint8_t *p, size_t n)
{
    if (n < 2) return 0;
    if (p[1] >= TN_WILL && p[1] <= TN_DONT) return n < 3 ? 0 : 3;
    if (p[1] != TN_SB) return 2;
    for (size_t i = 2; i + 1 < n; i++)
        if (p[i] == TN_IAC && p[i + 1] == TN_SE) return i + 2;
    return 0;
}

ssf_rc probe_ev_telnet(const uint8_t *p, size_t n, probe_ev_buf_t *out)
{
    if (!p || !out || !n) return SSF_EINVAL;
    tn_line l = {.n = 0, .banner_done = false, .out = out};
    for (size_t i = 0; i < n;) {
        if (p[i] == TN_IAC && !(i + 1 < n && p[i + 1] == TN_IAC)) {
            size_t k = tn_command(p + i, n - i);
            if (!k) {
                tn_flush(&l, false);
                return SSF_ETRUNC;
            }
            i += k;
            continue;
        }
        if (p[i] == TN_IAC) {
            i += 2; /* IAC IAC: a data byte 255, never text */
            continue;
        }
        if (!tn_data(&l, p[i++])) return SSF_EINVAL;
    }
    tn_flush(&l, false);
    return SSF_OK;
}
