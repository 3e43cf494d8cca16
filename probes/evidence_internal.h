/* evidence_internal.h - helpers shared by the ev_*.c extractors and their unit tests. Not part
 * of the public API: nothing outside probes/ and tests/ includes this. */
#ifndef PROBE_EVIDENCE_INTERNAL_H
#define PROBE_EVIDENCE_INTERNAL_H

#include "probe/evidence.h"

/* A fixed-size string builder for values that are rendered rather than copied (hex client ids,
 * option lists, DNs). It never overflows: once full, further text is cut, and `cut` says so. */
typedef struct {
    size_t n;                   /* bytes used, excluding the NUL                */
    bool cut;                   /* some text did not fit                        */
    char s[PROBE_EV_VALUE_MAX]; /* always NUL-terminated                        */
} probe_ev_str_t;

static inline void probe_ev_str_init(probe_ev_str_t *s)
{
    s->n = 0;
    s->cut = false;
    s->s[0] = '\0';
}
/* True if k more bytes fit whole; lists use it to cut at an entry boundary, not mid-entry. */
static inline bool probe_ev_str_fits(const probe_ev_str_t *s, size_t k)
{
    return k <= sizeof s->s - 1 - s->n;
}
void probe_ev_str_put(probe_ev_str_t *s, const void *p, size_t len);
void probe_ev_str_putc(probe_ev_str_t *s, char c);
void probe_ev_str_u64(probe_ev_str_t *s, uint64_t v);
void probe_ev_str_hex(probe_ev_str_t *s, uint8_t b); /* two lowercase digits */

/* Appends a comma list of names[i] for each bit i set in bits (i < count; higher bits have no
 * name and are left out). Cuts at a name boundary, setting s->cut. */
void probe_ev_str_bits(probe_ev_str_t *s, const char *const *names, size_t count, uint32_t bits);

/* Adds an IPv4 (len 4) or IPv6 (len 16) address as text. NULL for other lengths, as
 * probe_ev_add otherwise. */
probe_ev_t *probe_ev_add_ip(probe_ev_buf_t *buf, probe_ev_field f, probe_ev_role role,
                            const uint8_t *a, size_t len);

/* Adds a built string as an item: probe_ev_add on s->s. */
probe_ev_t *probe_ev_add_str(probe_ev_buf_t *buf, probe_ev_field f, probe_ev_role role,
                             const probe_ev_str_t *s);

/* Adds "name" when a registry table had one for a number, else "<prefix><v>" (role SRC):
 * vendor and device-type ids from CIP and BACnet. */
void probe_ev_add_named(probe_ev_buf_t *out, probe_ev_field f, const char *name, const char *prefix,
                        uint64_t v);

/* One line of an HTTP-like text message (HTTP, SSDP), without its CR LF or bare LF. */
typedef struct {
    const uint8_t *p; /* line start */
    size_t len;
} probe_ev_line_t;

/* Splits the next LF-terminated line off c. False when no LF is left: a cut line. */
bool probe_ev_next_line(ssf_cur *c, probe_ev_line_t *l);

/* Parses one DER X.509 certificate and, only if its tbsCertificate is well formed up to the
 * subjectPublicKeyInfo, adds tls.cert_subject, tls.cert_issuer, tls.cert_not_before,
 * tls.cert_not_after and tls.cert_key (role SRC). SSF_EINVAL on any DER error (indefinite or
 * over-long lengths, lengths beyond n, wrong tags, multi-byte tags). Reads only [der, der+n). */
ssf_rc probe_ev_x509(const uint8_t *der, size_t n, probe_ev_buf_t *out);

#endif
