/* ev_ssdp.c - identity from SSDP (UPnP Device Architecture 2.0 s1: HTTP over UDP).
 *
 * Three start lines are SSDP: "NOTIFY * HTTP/1.x" (an announcement), "M-SEARCH * HTTP/1.x" (a
 * search, which says nothing about the searcher's identity and yields nothing) and
 * "HTTP/1.x 200 ..." (a unicast search response). A line is complete only when its LF is
 * within n; a header cut by the end of the data is ignored, as a cut value would mislead
 * rules. Folded lines are dropped (RFC 9112 s5.2). */
#include "evidence_internal.h"

#include <strings.h>

enum {
    SSDP_MAX_LINES = 64, /* header lines read per message; real ones have < 15 */
};

typedef enum { SSDP_NOTIFY, SSDP_SEARCH, SSDP_RESPONSE, SSDP_NONE } ssdp_kind;

static const struct {
    const char *line; /* start line prefix, exact case                          */
    ssdp_kind kind;
} ssdp_starts[] = {
    {"NOTIFY * HTTP/1.", SSDP_NOTIFY},
    {"M-SEARCH * HTTP/1.", SSDP_SEARCH},
    {"HTTP/1.", SSDP_RESPONSE},
};

/* Headers we report; `kind` limits one to NOTIFY or responses, SSDP_NONE means both. NT names
 * what a NOTIFY announces, ST what a response answers: both go to ssdp.nt. */
static const struct {
    const char *name;
    ssdp_kind kind;
    probe_ev_field field;
} ssdp_hdrs[] = {
    {"server", SSDP_NONE, PROBE_EVF_SSDP_SERVER},     {"usn", SSDP_NONE, PROBE_EVF_SSDP_USN},
    {"nt", SSDP_NOTIFY, PROBE_EVF_SSDP_NT},           {"st", SSDP_RESPONSE, PROBE_EVF_SSDP_NT},
    {"location", SSDP_NONE, PROBE_EVF_SSDP_LOCATION},
};

static bool ssdp_digit(uint8_t b)
{
    return b >= '0' && b <= '9';
}

/* The kind of a complete start line. Requests end right after the version digit; a response
 * is "HTTP/1.x 200" followed by the end or a space and a reason. */
static ssdp_kind ssdp_start(const probe_ev_line_t *l)
{
    for (size_t i = 0; i < SSF_ARRAY_LEN(ssdp_starts); i++) {
        size_t k = strlen(ssdp_starts[i].line);
        if (l->len <= k || memcmp(l->p, ssdp_starts[i].line, k) || !ssdp_digit(l->p[k])) continue;
        const uint8_t *rest = l->p + k + 1;
        size_t left = l->len - k - 1;
        if (ssdp_starts[i].kind != SSDP_RESPONSE) return left ? SSDP_NONE : ssdp_starts[i].kind;
        if (left < 4 || memcmp(rest, " 200", 4) || (left > 4 && rest[4] != ' ')) return SSDP_NONE;
        return SSDP_RESPONSE;
    }
    return SSDP_NONE;
}

/* True if p[0..n) is a cut start of one of the start lines: worth calling truncated. */
static bool ssdp_could_start(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < SSF_ARRAY_LEN(ssdp_starts); i++) {
        size_t k = strlen(ssdp_starts[i].line);
        if (n && !memcmp(p, ssdp_starts[i].line, n < k ? n : k)) return true;
    }
    return false;
}

/* One header line. `seen` has a bit per ssdp_hdrs entry: the first occurrence wins. */
static void ssdp_header(const probe_ev_line_t *l, ssdp_kind kind, unsigned *seen,
                        probe_ev_buf_t *out)
{
    if (!l->len || l->p[0] == ' ' || l->p[0] == '\t') return; /* obs-fold continuation */
    const uint8_t *colon = memchr(l->p, ':', l->len);
    if (!colon) return;
    size_t nlen = (size_t)(colon - l->p);
    /* Some stacks write "ST :"; the name itself never contains a blank. */
    while (nlen && (l->p[nlen - 1] == ' ' || l->p[nlen - 1] == '\t'))
        nlen--;
    for (size_t i = 0; i < SSF_ARRAY_LEN(ssdp_hdrs); i++) {
        if (ssdp_hdrs[i].kind != SSDP_NONE && ssdp_hdrs[i].kind != kind) continue;
        if (strlen(ssdp_hdrs[i].name) != nlen || (*seen & 1u << i)) continue;
        if (strncasecmp((const char *)l->p, ssdp_hdrs[i].name, nlen) != 0) continue;
        *seen |= 1u << i;
        probe_ev_add(out, ssdp_hdrs[i].field, PROBE_EV_SRC, colon + 1,
                     (size_t)(l->p + l->len - colon - 1));
        return;
    }
}

ssf_rc probe_ev_ssdp(const uint8_t *p, size_t n, probe_ev_buf_t *out)
{
    if (!p || !out) return SSF_EINVAL;
    ssf_cur c = ssf_cur_make(p, n);
    probe_ev_line_t l;
    if (!probe_ev_next_line(&c, &l)) return ssdp_could_start(p, n) ? SSF_ETRUNC : SSF_EINVAL;
    ssdp_kind kind = ssdp_start(&l);
    if (kind == SSDP_NONE) return SSF_EINVAL;
    if (kind == SSDP_SEARCH) return SSF_OK;
    unsigned seen = 0;
    for (size_t i = 0; i < SSDP_MAX_LINES; i++) {
        if (!probe_ev_next_line(&c, &l)) return SSF_ETRUNC; /* no blank line: cut short */
        if (l.len == 0) return SSF_OK;                      /* end of the header block */
        ssdp_header(&l, kind, &seen, out);
    }
    return SSF_OK;
}
