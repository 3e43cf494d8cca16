/* ev_coap.c - resources a CoAP (RFC 7252) server offers, on UDP 5683.
 *
 * A request's Uri-Path options name a resource on the server it goes to (role DST); a
 * response in CoRE link format (RFC 6690, Content-Format 40), typically to a GET of
 * /.well-known/core, lists the server's resources (role SRC). The 4-byte header says which a
 * message is: code class 0 is a request, 2, 4 and 5 are responses. */
#include "evidence_internal.h"

enum {
    COAP_VERSION = 1,
    COAP_TKL_MAX = 8,
    COAP_OPT_URI_PATH = 11,
    COAP_OPT_CONTENT_FORMAT = 12,
    COAP_CF_LINK_FORMAT = 40,
    COAP_OPTS_MAX = 64,  /* options walked per message                  */
    COAP_LINKS_MAX = 8,  /* coap.resource items per response            */
    COAP_PAYLOAD = 0xff, /* payload marker                               */
    COAP_NONE = -1,      /* no Content-Format option                     */
};

typedef struct {
    probe_ev_str_t uri; /* "/a/b" built from Uri-Path options */
    bool has_path;
    long content_format;
} coap_msg_t;

/* Reads a 4-bit option field's extension (RFC 7252 section 3.1). False when cut or 15. */
static bool coap_ext(ssf_cur *c, uint8_t nib, uint32_t *v, bool *bad)
{
    uint8_t b;
    uint16_t w;
    *bad = nib == 15;
    if (*bad) return false;
    if (nib < 13)
        *v = nib;
    else if (nib == 13) {
        if (!ssf_cur_u8(c, &b)) return false;
        *v = 13u + b;
    } else {
        if (!ssf_cur_u16be(c, &w)) return false;
        *v = 269u + w;
    }
    return true;
}

static void coap_option(coap_msg_t *m, uint32_t num, const uint8_t *v, uint32_t len)
{
    if (num == COAP_OPT_URI_PATH) {
        probe_ev_str_putc(&m->uri, '/');
        probe_ev_str_put(&m->uri, v, len);
        m->has_path = true;
    } else if (num == COAP_OPT_CONTENT_FORMAT && len <= 2) {
        m->content_format = 0;
        for (uint32_t i = 0; i < len; i++)
            m->content_format = m->content_format << 8 | v[i];
    }
}

/* Walks options up to the payload marker or the end. EINVAL: reserved nibble 15, or a marker
 * with no payload after it; ETRUNC: an option runs past the data. */
static ssf_rc coap_options(ssf_cur *c, coap_msg_t *m)
{
    uint32_t num = 0;
    for (int i = 0; i < COAP_OPTS_MAX && ssf_cur_left(c); i++) {
        uint8_t b;
        bool bd, bl;
        if (!ssf_cur_u8(c, &b)) return SSF_ETRUNC;
        if (b == COAP_PAYLOAD) return ssf_cur_left(c) ? SSF_OK : SSF_ETRUNC;
        uint32_t delta, len;
        const uint8_t *v;
        if (!coap_ext(c, b >> 4, &delta, &bd)) return bd ? SSF_EINVAL : SSF_ETRUNC;
        if (!coap_ext(c, b & 15, &len, &bl)) return bl ? SSF_EINVAL : SSF_ETRUNC;
        if (!ssf_cur_bytes(c, len, &v)) return SSF_ETRUNC;
        num += delta;
        coap_option(m, num, v, len);
    }
    return SSF_OK;
}

/* Each <target> of a link-format body; '<' inside quoted attribute values does not count. */
static void coap_links(ssf_cur c, probe_ev_buf_t *out)
{
    bool quoted = false;
    int links = 0;
    for (const uint8_t *q = c.p; q < c.end && links < COAP_LINKS_MAX; q++) {
        if (*q == '"') quoted = !quoted;
        if (quoted || *q != '<') continue;
        const uint8_t *e = memchr(q + 1, '>', (size_t)(c.end - q - 1));
        if (!e) return; /* a cut link */
        probe_ev_add(out, PROBE_EVF_COAP_RESOURCE, PROBE_EV_SRC, q + 1, (size_t)(e - q - 1));
        links++;
        q = e;
    }
}

ssf_rc probe_ev_coap(const uint8_t *p, size_t n, probe_ev_buf_t *out)
{
    if (!p || !out || !n) return SSF_EINVAL;
    if (p[0] >> 6 != COAP_VERSION || (p[0] & 15) > COAP_TKL_MAX) return SSF_EINVAL;
    if (n >= 2) {
        uint8_t cls = p[1] >> 5;
        if (cls == 1 || cls == 3 || cls > 5) return SSF_EINVAL; /* reserved classes */
    }
    ssf_cur c = ssf_cur_make(p, n);
    if (!ssf_cur_skip(&c, 4u + (p[0] & 15))) return SSF_ETRUNC;
    coap_msg_t m = {.has_path = false, .content_format = COAP_NONE};
    probe_ev_str_init(&m.uri);
    ssf_rc rc = coap_options(&c, &m);
    if (rc != SSF_OK) return rc;
    uint8_t cls = p[1] >> 5;
    if (cls == 0 && p[1] != 0 && m.has_path)
        probe_ev_add_str(out, PROBE_EVF_COAP_URI, PROBE_EV_DST, &m.uri);
    if (cls == 2 && m.content_format == COAP_CF_LINK_FORMAT) coap_links(c, out);
    return SSF_OK;
}
