/* ev_text.h - small helpers the text-protocol extractors (FTP, RTSP, SIP, HTTP bodies) share.
 * Internal to probes/; header-only so each extractor stays one translation unit. */
#ifndef PROBE_EV_TEXT_H
#define PROBE_EV_TEXT_H

#include "evidence_internal.h"

#include <strings.h>

static inline bool ev_text_prefix(const uint8_t *p, size_t n, const char *pfx)
{
    size_t k = strlen(pfx);
    return n >= k && memcmp(p, pfx, k) == 0;
}

static inline bool ev_text_iprefix(const uint8_t *p, size_t n, const char *pfx)
{
    size_t k = strlen(pfx);
    return n >= k && strncasecmp((const char *)p, pfx, k) == 0;
}

/* Case-insensitive search for needle in [p, p+n); NULL if absent. Bounded by n. */
static inline const uint8_t *ev_text_ifind(const uint8_t *p, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    int first = needle[0] | 0x20;
    for (size_t i = 0; k && i + k <= n; i++)
        if ((p[i] | 0x20) == first && strncasecmp((const char *)p + i, needle, k) == 0)
            return p + i;
    return NULL;
}

/* If line l is the header `name: value` (name case-insensitive, RFC 9110 5.1), points *v at
 * the value (untrimmed; probe_ev_add trims) and returns true. */
static inline bool ev_text_header(const probe_ev_line_t *l, const char *name, const uint8_t **v,
                                  size_t *vlen)
{
    size_t k = strlen(name);
    if (l->len <= k || l->p[k] != ':' || strncasecmp((const char *)l->p, name, k) != 0)
        return false;
    *v = l->p + k + 1;
    *vlen = l->len - k - 1;
    return true;
}

#endif
