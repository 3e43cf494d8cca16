/* ev_http.c - identity from HTTP/1.x request and response headers (RFC 9112).
 *
 * Only the start line and the header block are read. A line is complete only when its LF is
 * within n; a header cut by the end of the data is ignored, since a cut User-Agent would
 * match rules it should not. */
#include "evidence_internal.h"

#include <strings.h>

static bool http_has_prefix(const uint8_t *p, size_t n, const char *pfx)
{
    size_t k = strlen(pfx);
    return n >= k && memcmp(p, pfx, k) == 0;
}

/* "HTTP/1.x" at p; exactly 8 bytes. */
static bool http_version_ok(const uint8_t *p, size_t n)
{
    return n >= 8 && http_has_prefix(p, n, "HTTP/1.") && p[7] >= '0' && p[7] <= '9';
}

static const char *const http_methods[] = {"GET",     "POST",    "HEAD",  "PUT",  "DELETE",
                                           "OPTIONS", "CONNECT", "TRACE", "PATCH"};

/* Length of the method token at the start of p followed by SP, or 0. */
static size_t http_method_len(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < SSF_ARRAY_LEN(http_methods); i++) {
        size_t k = strlen(http_methods[i]);
        if (n > k && memcmp(p, http_methods[i], k) == 0 && p[k] == ' ') return k;
    }
    return 0;
}

/* METHOD SP request-target SP HTTP/1.x, with a target free of spaces. */
static bool http_request_line(const probe_ev_line_t *l)
{
    size_t m = http_method_len(l->p, l->len);
    if (!m || l->len < m + 1 + 1 + 1 + 8) return false;
    const uint8_t *ver = l->p + l->len - 8;
    if (ver[-1] != ' ' || !http_version_ok(ver, 8)) return false;
    const uint8_t *target = l->p + m + 1;
    return target < ver - 1 && memchr(target, ' ', (size_t)(ver - 1 - target)) == NULL;
}

/* HTTP/1.x SP 3DIGIT [SP reason] */
static bool http_status_line(const probe_ev_line_t *l)
{
    const uint8_t *p = l->p;
    if (l->len < 12 || !http_version_ok(p, l->len) || p[8] != ' ') return false;
    for (int i = 9; i < 12; i++)
        if (p[i] < '0' || p[i] > '9') return false;
    return l->len == 12 || p[12] == ' ';
}

/* Headers we report. is_req says which kind of message the header counts in. */
static const struct {
    const char *name;
    bool is_req;
    probe_ev_field field;
    probe_ev_role role;
} http_hdrs[] = {
    {"user-agent", true, PROBE_EVF_HTTP_UA, PROBE_EV_SRC},
    /* Host names the server, i.e. the receiver of the request. */
    {"host", true, PROBE_EVF_HTTP_HOST, PROBE_EV_DST},
    {"server", false, PROBE_EVF_HTTP_SERVER, PROBE_EV_SRC},
};

static void http_header(const probe_ev_line_t *l, bool is_req, probe_ev_buf_t *out)
{
    /* obs-fold continuations start with a blank; RFC 9112 lets us drop them. */
    if (!l->len || l->p[0] == ' ' || l->p[0] == '\t') return;
    const uint8_t *colon = memchr(l->p, ':', l->len);
    if (!colon) return;
    size_t nlen = (size_t)(colon - l->p);
    for (size_t i = 0; i < SSF_ARRAY_LEN(http_hdrs); i++) {
        if (http_hdrs[i].is_req != is_req || strlen(http_hdrs[i].name) != nlen) continue;
        if (strncasecmp((const char *)l->p, http_hdrs[i].name, nlen) != 0) continue;
        probe_ev_add(out, http_hdrs[i].field, http_hdrs[i].role, colon + 1, l->len - nlen - 1);
        return;
    }
}

/* True if the cut start line could still become an HTTP/1.x one: worth feeding more. */
static bool http_could_start(const uint8_t *p, size_t n)
{
    static const char ver[] = "HTTP/1.";
    if (n < sizeof ver - 1) return n && memcmp(p, ver, n) == 0;
    return http_has_prefix(p, n, ver) || http_method_len(p, n) != 0;
}

ssf_rc probe_ev_http(const uint8_t *p, size_t n, probe_ev_buf_t *out)
{
    if (!p || !out) return SSF_EINVAL;
    ssf_cur c = ssf_cur_make(p, n);
    probe_ev_line_t l;
    if (!probe_ev_next_line(&c, &l)) return http_could_start(p, n) ? SSF_ETRUNC : SSF_EINVAL;
    bool is_req = http_request_line(&l);
    if (!is_req && !http_status_line(&l)) return SSF_EINVAL;
    while (probe_ev_next_line(&c, &l)) {
        if (l.len == 0) return SSF_OK; /* end of the header block */
        http_header(&l, is_req, out);
    }
    return SSF_ETRUNC;
}
