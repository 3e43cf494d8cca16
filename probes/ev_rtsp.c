/* ev_rtsp.c - identity from RTSP/1.0 message headers (RFC 2326; RFC 7826 for 2.0).
 *
 * RTSP borrows HTTP's syntax: a request line "METHOD rtsp://... RTSP/1.0" or a status line
 * "RTSP/1.0 200 OK", then headers up to a blank line. A response's Server names the device that
 * sent it (a camera, an NVR); a request's User-Agent names the client. As in ev_http.c a header
 * cut by the end of the data is ignored. */
#include "ev_text.h"

static const char *const rtsp_methods[] = {
    "OPTIONS",       "DESCRIBE", "SETUP",  "PLAY",     "PAUSE",         "TEARDOWN",
    "GET_PARAMETER", "ANNOUNCE", "RECORD", "REDIRECT", "SET_PARAMETER",
};

/* Start line kinds. */
enum { RTSP_NONE, RTSP_REQUEST, RTSP_RESPONSE };

/* "RTSP/1.0 " or "RTSP/2.0 " then a status; or "METHOD SP URI SP RTSP/x.y". */
static int rtsp_start_line(const probe_ev_line_t *l)
{
    if (ev_text_prefix(l->p, l->len, "RTSP/1.0 ") || ev_text_prefix(l->p, l->len, "RTSP/2.0 "))
        return RTSP_RESPONSE;
    for (size_t i = 0; i < SSF_ARRAY_LEN(rtsp_methods); i++) {
        size_t k = strlen(rtsp_methods[i]);
        if (l->len <= k + 1 || memcmp(l->p, rtsp_methods[i], k) != 0 || l->p[k] != ' ') continue;
        return l->len >= 9 && memcmp(l->p + l->len - 9, " RTSP/", 6) == 0 ? RTSP_REQUEST
                                                                          : RTSP_NONE;
    }
    return RTSP_NONE;
}

/* True when the n cut bytes could still become an RTSP start line. */
static bool rtsp_could_start(const uint8_t *p, size_t n)
{
    static const char ver[] = "RTSP/";
    size_t k = n < sizeof ver - 1 ? n : sizeof ver - 1;
    if (memcmp(p, ver, k) == 0) return true;
    for (size_t i = 0; i < SSF_ARRAY_LEN(rtsp_methods); i++) {
        size_t m = strlen(rtsp_methods[i]);
        size_t c = n < m ? n : m;
        if (memcmp(p, rtsp_methods[i], c) == 0 && (n <= m || p[m] == ' ')) return true;
    }
    return false;
}

ssf_rc probe_ev_rtsp(const uint8_t *p, size_t n, probe_ev_buf_t *out)
{
    if (!p || !out || !n) return SSF_EINVAL;
    ssf_cur c = ssf_cur_make(p, n);
    probe_ev_line_t l;
    if (!probe_ev_next_line(&c, &l)) return rtsp_could_start(p, n) ? SSF_ETRUNC : SSF_EINVAL;
    int kind = rtsp_start_line(&l);
    if (kind == RTSP_NONE) return SSF_EINVAL;
    const char *name = kind == RTSP_RESPONSE ? "server" : "user-agent";
    probe_ev_field f = kind == RTSP_RESPONSE ? PROBE_EVF_RTSP_SERVER : PROBE_EVF_RTSP_UA;
    while (probe_ev_next_line(&c, &l)) {
        if (l.len == 0) return SSF_OK;
        const uint8_t *v;
        size_t vlen;
        if (ev_text_header(&l, name, &v, &vlen)) probe_ev_add(out, f, PROBE_EV_SRC, v, vlen);
    }
    return SSF_ETRUNC;
}
