/* ev_sip.c - identity from SIP message headers (RFC 3261).
 *
 * A SIP message is a request line "METHOD sip:... SIP/2.0" or a status line "SIP/2.0 200 OK",
 * then headers up to a blank line. User-Agent (requests, and some responses) and Server
 * (responses) name the software of the sender, so both are role SRC whichever message carries
 * them. Over UDP one datagram is one message; over TCP a header cut by the segment end is
 * ignored. */
#include "ev_text.h"

enum { SIP_MAX_HEADERS = 64 }; /* header lines read per message: bounds the work */

/* "SIP/2.0 DDD" or a token method followed by SP, a URI and " SIP/2.0". */
static bool sip_start_line(const probe_ev_line_t *l)
{
    if (ev_text_prefix(l->p, l->len, "SIP/2.0 ")) return true;
    size_t m = 0;
    while (m < l->len && l->p[m] >= 'A' && l->p[m] <= 'Z')
        m++;
    if (m < 3 || m >= l->len || l->p[m] != ' ') return false;
    return l->len >= m + 1 + 4 + 8 && memcmp(l->p + l->len - 8, " SIP/2.0", 8) == 0 &&
           (ev_text_iprefix(l->p + m + 1, l->len - m - 1, "sip:") ||
            ev_text_iprefix(l->p + m + 1, l->len - m - 1, "sips:") ||
            ev_text_iprefix(l->p + m + 1, l->len - m - 1, "tel:"));
}

/* True when the n cut bytes could still become a SIP start line. */
static bool sip_could_start(const uint8_t *p, size_t n)
{
    static const char ver[] = "SIP/2.0 ";
    size_t k = n < sizeof ver - 1 ? n : sizeof ver - 1;
    if (memcmp(p, ver, k) == 0) return true;
    size_t m = 0;
    while (m < n && p[m] >= 'A' && p[m] <= 'Z')
        m++;
    return m == n || (m >= 3 && p[m] == ' ');
}

ssf_rc probe_ev_sip(const uint8_t *p, size_t n, probe_ev_buf_t *out)
{
    if (!p || !out || !n) return SSF_EINVAL;
    ssf_cur c = ssf_cur_make(p, n);
    probe_ev_line_t l;
    if (!probe_ev_next_line(&c, &l)) return sip_could_start(p, n) ? SSF_ETRUNC : SSF_EINVAL;
    if (!sip_start_line(&l)) return SSF_EINVAL;
    for (int i = 0; i < SIP_MAX_HEADERS; i++) {
        if (!probe_ev_next_line(&c, &l)) return SSF_ETRUNC;
        if (l.len == 0) return SSF_OK;
        const uint8_t *v;
        size_t vlen;
        if (ev_text_header(&l, "user-agent", &v, &vlen))
            probe_ev_add(out, PROBE_EVF_SIP_UA, PROBE_EV_SRC, v, vlen);
        else if (ev_text_header(&l, "server", &v, &vlen))
            probe_ev_add(out, PROBE_EVF_SIP_SERVER, PROBE_EV_SRC, v, vlen);
    }
    return SSF_OK;
}
