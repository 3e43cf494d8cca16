/* ev_http.c - identity from HTTP/1.x request and response headers (RFC 9112), and from the
 * bodies servers send: an HTML <title>, a UPnP device description (UPnP Device Architecture
 * 2.0 section 2.3).
 *
 * A header line is complete only when its LF is within n; a header cut by the end of the data
 * is ignored, since a cut User-Agent would match rules it should not. Bodies are scanned
 * without state: whatever part of one lies in the payload at hand. An element cut across two
 * TCP segments is lost; description documents are small and their identity elements come
 * first, so that is rare. */
#include "ev_cred.h"
#include "ev_text.h"

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

/* WWW-Authenticate: scheme realm="..." (RFC 9110 11.6.1): the realm often names the product
 * ("RT-AC68U", "Hikvision"). Quoted-pair escapes are undone; a token realm is taken as is. */
static void http_realm(const uint8_t *v, size_t n, probe_ev_buf_t *out)
{
    const uint8_t *r = ev_text_ifind(v, n, "realm=");
    if (!r) return;
    size_t i = (size_t)(r - v) + 6;
    probe_ev_str_t s;
    probe_ev_str_init(&s);
    if (i < n && v[i] == '"') {
        for (i++; i < n && v[i] != '"'; i++) {
            if (v[i] == '\\' && i + 1 < n) i++;
            probe_ev_str_putc(&s, (char)v[i]);
        }
    } else {
        size_t k = i;
        while (k < n && v[k] != ',' && v[k] != ' ' && v[k] != '\t')
            k++;
        probe_ev_str_put(&s, v + i, k - i);
    }
    probe_ev_add_str(out, PROBE_EVF_HTTP_REALM, PROBE_EV_SRC, &s);
}

enum {
    HTTP_BASIC_MAX = 128, /* decoded user:password bytes checked; longer is no vendor default */
};

/* One base64 digit (RFC 4648 4), or -1. */
static int http_b64(uint8_t c)
{
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* Decodes the base64 token [v, v+n) into out (room HTTP_BASIC_MAX); padding ends it. Returns
 * the decoded length, 0 when the token is malformed or too long. */
static size_t http_b64_decode(const uint8_t *v, size_t n, uint8_t *out)
{
    uint32_t acc = 0;
    size_t k = 0;
    int bits = 0;
    for (size_t i = 0; i < n && v[i] != '='; i++) {
        int d = http_b64(v[i]);
        if (d < 0) return 0;
        acc = (acc << 6 | (uint32_t)d) & 0xffffff;
        if ((bits += 6) < 8) continue;
        bits -= 8;
        if (k == HTTP_BASIC_MAX) return 0;
        out[k++] = (uint8_t)(acc >> bits);
    }
    return k;
}

/* Basic credentials (RFC 7617): base64 of "user:password", decoded on the stack and checked
 * against the default table. The decoded bytes never leave this function. */
static void http_basic(const uint8_t *v, size_t n, probe_ev_cred_t *st, probe_ev_buf_t *out)
{
    uint8_t dec[HTTP_BASIC_MAX];
    while (n && (v[0] == ' ' || v[0] == '\t'))
        v++, n--;
    while (n && (v[n - 1] == ' ' || v[n - 1] == '\t'))
        n--;
    size_t k = http_b64_decode(v, n, dec);
    const uint8_t *colon = k ? memchr(dec, ':', k) : NULL;
    if (!colon) return;
    size_t ulen = (size_t)(colon - dec);
    ev_cred_check(st, "http", "http Basic", dec, ulen, colon + 1, k - ulen - 1, out);
}

/* Authorization: scheme credentials (RFC 9110 11.6.2). Only the scheme is reported: the rest is
 * a secret (Basic is base64 of user:password) and must never reach the evidence; Basic is
 * checked against the default table. */
static void http_authorization(const uint8_t *v, size_t n, probe_ev_cred_t *st, probe_ev_buf_t *out)
{
    static const char *const schemes[] = {"Basic", "Digest", "Bearer", "NTLM", "Negotiate"};
    while (n && (v[0] == ' ' || v[0] == '\t'))
        v++, n--;
    size_t k = 0;
    while (k < n && v[k] != ' ' && v[k] != '\t')
        k++;
    for (size_t i = 0; i < SSF_ARRAY_LEN(schemes); i++)
        if (strlen(schemes[i]) == k && strncasecmp((const char *)v, schemes[i], k) == 0) {
            probe_ev_add(out, PROBE_EVF_HTTP_AUTHORIZATION, PROBE_EV_SRC, schemes[i], k);
            if (i == 0) http_basic(v + k, n - k, st, out);
            return;
        }
    if (k) probe_ev_add(out, PROBE_EVF_HTTP_AUTHORIZATION, PROBE_EV_SRC, "other", 5);
}

/* A GET whose path ends in a firmware or package extension: the client fetched an update over
 * clear HTTP (insecure_update is about the device that fetched it, so role SRC). The query is
 * dropped: it may hold tokens. */
static void http_download(const probe_ev_line_t *l, probe_ev_buf_t *out)
{
    static const char *const exts[] = {".bin", ".img", ".fw",  ".hex", ".pkg", ".deb", ".rpm",
                                       ".ipk", ".zip", ".tar", ".gz",  ".swu", ".cab", ".msi"};
    if (!http_has_prefix(l->p, l->len, "GET ")) return;
    const uint8_t *path = l->p + 4;
    size_t plen = l->len - 4 - 9; /* request line checked: ends in " HTTP/1.x" */
    const uint8_t *q = memchr(path, '?', plen);
    if (q) plen = (size_t)(q - path);
    for (size_t i = 0; i < SSF_ARRAY_LEN(exts); i++) {
        size_t k = strlen(exts[i]);
        if (plen <= k || strncasecmp((const char *)path + plen - k, exts[i], k) != 0) continue;
        probe_ev_str_t s;
        probe_ev_str_init(&s);
        probe_ev_str_put(&s, (const uint8_t *)"download ", 9);
        probe_ev_str_put(&s, path, plen);
        probe_ev_add_str(out, PROBE_EVF_HTTP_REQUEST_URI, PROBE_EV_SRC, &s);
        return;
    }
}

static void http_header(const probe_ev_line_t *l, bool is_req, probe_ev_cred_t *st,
                        probe_ev_buf_t *out)
{
    /* obs-fold continuations start with a blank; RFC 9112 lets us drop them. */
    if (!l->len || l->p[0] == ' ' || l->p[0] == '\t') return;
    const uint8_t *colon = memchr(l->p, ':', l->len);
    if (!colon) return;
    size_t nlen = (size_t)(colon - l->p);
    const uint8_t *v;
    size_t vlen;
    if (!is_req && ev_text_header(l, "www-authenticate", &v, &vlen)) {
        http_realm(v, vlen, out);
        return;
    }
    if (is_req && ev_text_header(l, "authorization", &v, &vlen)) {
        http_authorization(v, vlen, st, out);
        return;
    }
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

/* The status code of a checked status line. */
static unsigned http_status(const probe_ev_line_t *l)
{
    return (unsigned)(l->p[9] - '0') * 100 + (unsigned)(l->p[10] - '0') * 10 +
           (unsigned)(l->p[11] - '0');
}

/* The scheme of the first WWW-Authenticate challenge in the header block [p, p+n), or "". */
static const char *http_challenge(const uint8_t *p, size_t n)
{
    static const char *const schemes[] = {"Basic", "Digest", "NTLM", "Negotiate", "Bearer"};
    ssf_cur c = ssf_cur_make(p, n);
    probe_ev_line_t l;
    const uint8_t *v;
    size_t vlen;
    while (probe_ev_next_line(&c, &l) && l.len) {
        if (!ev_text_header(&l, "www-authenticate", &v, &vlen)) continue;
        while (vlen && (*v == ' ' || *v == '\t'))
            v++, vlen--;
        for (size_t i = 0; i < SSF_ARRAY_LEN(schemes); i++)
            if (ev_text_iprefix(v, vlen, schemes[i])) return schemes[i];
        return "";
    }
    return "";
}

/* A 401 or a 2xx: a refused or a taken login when the request carried an Authorization, which
 * only the worker, seeing both directions, knows; it drops the item otherwise. A 429 "Too Many
 * Requests" (RFC 6585 4) is the server rate-limiting this client, whatever the request: a
 * throttle, auth.lockout, kept either way (the engine weighs it only against that client's
 * refusals). 403 and 423 are not read: they refuse a resource, not a login pace. */
static void http_auth_result(const probe_ev_line_t *status, const uint8_t *hdrs, size_t n,
                             probe_ev_cred_t *st, probe_ev_buf_t *out)
{
    unsigned code = http_status(status);
    if (code == 401 || (code >= 200 && code < 300))
        ev_cred_answer(st, "http Basic", code != 401, out);
    probe_ev_str_t s;
    probe_ev_str_init(&s);
    if (code == 401) {
        const char *scheme = http_challenge(hdrs, n);
        probe_ev_str_put(&s, "http 401", 8);
        if (*scheme) probe_ev_str_putc(&s, ' ');
        probe_ev_str_put(&s, scheme, strlen(scheme));
        probe_ev_add_str(out, PROBE_EVF_AUTH_FAILURE, PROBE_EV_SRC, &s);
    } else if (code >= 200 && code < 300) {
        probe_ev_add(out, PROBE_EVF_AUTH_SUCCESS, PROBE_EV_SRC, "http 2xx", 8);
    } else if (code == 429) {
        probe_ev_add(out, PROBE_EVF_AUTH_LOCKOUT, PROBE_EV_SRC, "http 429", 8);
    }
}

ssf_rc probe_ev_http(const uint8_t *p, size_t n, probe_ev_buf_t *out)
{
    probe_ev_cred_t st = {{0, 0}, 0};
    return probe_ev_http_st(p, n, &st, out);
}

ssf_rc probe_ev_http_st(const uint8_t *p, size_t n, probe_ev_cred_t *st, probe_ev_buf_t *out)
{
    if (!p || !out || !st) return SSF_EINVAL;
    ssf_cur c = ssf_cur_make(p, n);
    probe_ev_line_t l;
    if (!probe_ev_next_line(&c, &l)) return http_could_start(p, n) ? SSF_ETRUNC : SSF_EINVAL;
    bool is_req = http_request_line(&l);
    if (!is_req && !http_status_line(&l)) return SSF_EINVAL;
    if (is_req) {
        st->tried = 0; /* a request without a listed default supersedes one that had it */
        http_download(&l, out);
    } else {
        http_auth_result(&l, c.p, ssf_cur_left(&c), st, out);
    }
    while (probe_ev_next_line(&c, &l)) {
        if (l.len == 0) { /* end of the header block; a response's body may follow */
            if (!is_req && ssf_cur_left(&c)) probe_ev_http_body(c.p, ssf_cur_left(&c), out);
            return SSF_OK;
        }
        http_header(&l, is_req, st, out);
    }
    return SSF_ETRUNC;
}

/* ---- bodies ---- */

enum { HTTP_ELEM_MAX = 1024 }; /* an element's text is looked for this far past its tag */

/* Appends text with runs of white space collapsed to one blank and the five XML entities
 * (XML 1.0 4.6) decoded; other references are kept as written. */
static void http_put_text(probe_ev_str_t *s, const uint8_t *p, size_t n)
{
    static const struct {
        const char *ent;
        char c;
    } ents[] = {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
    bool blank = false;
    for (size_t i = 0; i < n; i++) {
        if (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n') {
            blank = true;
            continue;
        }
        if (blank && s->n) probe_ev_str_putc(s, ' ');
        blank = false;
        size_t e = 0;
        while (p[i] == '&' && e < SSF_ARRAY_LEN(ents) && !ev_text_prefix(p + i, n - i, ents[e].ent))
            e++;
        if (p[i] == '&' && e < SSF_ARRAY_LEN(ents)) {
            probe_ev_str_putc(s, ents[e].c);
            i += strlen(ents[e].ent) - 1;
        } else {
            probe_ev_str_putc(s, (char)p[i]);
        }
    }
}

/* Elements read from bodies: the page title, and the UPnP description's identity elements
 * (UDA 2.0 2.3; the root device's come first in the document). */
typedef struct {
    const char *name;
    size_t len;
    bool attrs; /* may carry attributes: <title lang="en"> */
    probe_ev_field field;
} http_elem_t;

static const http_elem_t http_elems[] = {
    {"title", 5, true, PROBE_EVF_HTTP_TITLE},
    {"friendlyName", 12, false, PROBE_EVF_UPNP_FRIENDLY},
    {"manufacturer", 12, false, PROBE_EVF_UPNP_MANUFACTURER},
    {"modelName", 9, false, PROBE_EVF_UPNP_MODEL},
    {"modelNumber", 11, false, PROBE_EVF_UPNP_MODEL_NUMBER},
    {"serialNumber", 12, false, PROBE_EVF_UPNP_SERIAL},
    {"deviceType", 10, false, PROBE_EVF_UPNP_DEVICE_TYPE},
};

/* Adds the text from `text` to the element's closing tag, looked for within HTTP_ELEM_MAX. */
static void http_elem_text(const uint8_t *text, const uint8_t *end, const http_elem_t *e,
                           probe_ev_buf_t *out)
{
    char close[24];
    size_t k = 0;
    close[k++] = '<', close[k++] = '/';
    memcpy(close + k, e->name, e->len), k += e->len;
    close[k++] = '>', close[k] = '\0';
    size_t room = (size_t)(end - text) < HTTP_ELEM_MAX ? (size_t)(end - text) : HTTP_ELEM_MAX;
    const uint8_t *stop = ev_text_ifind(text, room, close);
    if (!stop) return;
    probe_ev_str_t s;
    probe_ev_str_init(&s);
    http_put_text(&s, text, (size_t)(stop - text));
    probe_ev_add_str(out, e->field, PROBE_EV_SRC, &s);
}

/* If the tag name at q (just after a '<') is one of ours not yet read, reads it and returns
 * its index; -1 otherwise. */
static int http_elem_at(const uint8_t *q, const uint8_t *end, uint32_t done, probe_ev_buf_t *out)
{
    for (size_t i = 0; i < SSF_ARRAY_LEN(http_elems); i++) {
        const http_elem_t *e = &http_elems[i];
        if ((done >> i) & 1 || (size_t)(end - q) <= e->len ||
            (q[0] | 0x20) != (e->name[0] | 0x20) ||
            strncasecmp((const char *)q, e->name, e->len) != 0)
            continue;
        const uint8_t *t = q + e->len;
        if (*t != '>' && !(e->attrs && *t == ' ')) continue;
        const uint8_t *gt = memchr(t, '>', (size_t)(end - t));
        if (!gt) return -1;
        http_elem_text(gt + 1, end, e, out);
        return (int)i;
    }
    return -1;
}

/* One pass over the body: every '<' is checked against the few element names we read, and the
 * first occurrence of each is taken. A body is scanned once whatever it holds, so a large page
 * costs one memchr sweep, not one search per element. */
ssf_rc probe_ev_http_body(const uint8_t *p, size_t n, probe_ev_buf_t *out)
{
    if (!p || !out || !n) return SSF_EINVAL;
    const uint32_t all = (1u << SSF_ARRAY_LEN(http_elems)) - 1;
    uint32_t done = 0;
    const uint8_t *end = p + n;
    for (const uint8_t *q = p; done != all && (q = memchr(q, '<', (size_t)(end - q)));) {
        int i = http_elem_at(++q, end, done, out);
        if (i >= 0) done |= 1u << i;
    }
    return SSF_OK;
}
