/* probe/evidence.h - identity evidence: what a packet says about who a device is.
 *
 * An extractor reads one protocol's bytes and appends items to a fixed-size buffer; nothing is
 * allocated. Each item names a field (from a table that later issues extend), the end of the
 * packet the fact is about (its sender or its receiver), and a printable value. The field names
 * are the ones signature rules match on ("http.server", "dhcp.vendor_class" ...). */
#ifndef PROBE_EVIDENCE_H
#define PROBE_EVIDENCE_H

#include "ssf/common.h"

typedef enum {
    PROBE_EVF_NONE = 0,
    PROBE_EVF_DHCP_HOSTNAME,    /* dhcp.hostname     option 12                             */
    PROBE_EVF_DHCP_VENDOR,      /* dhcp.vendor_class option 60                             */
    PROBE_EVF_DHCP_CLIENT_ID,   /* dhcp.client_id    option 61, hex                        */
    PROBE_EVF_DHCP_FINGERPRINT, /* dhcp.fingerprint  option 55 as "1,3,6,15"               */
    PROBE_EVF_HTTP_SERVER,      /* http.server       Server: header                        */
    PROBE_EVF_HTTP_UA,          /* http.user_agent   User-Agent: header                    */
    PROBE_EVF_HTTP_HOST,        /* http.host         Host: header (names the server)       */
    PROBE_EVF_SSH_BANNER,       /* ssh.banner        "SSH-2.0-OpenSSH_8.4p1 Debian-5"       */
    PROBE_EVF_TLS_SNI,          /* tls.sni           server_name from the ClientHello       */
    PROBE_EVF_TLS_SUBJECT,      /* tls.cert_subject  leaf certificate subject, RFC 4514-ish */
    PROBE_EVF_TLS_ISSUER,       /* tls.cert_issuer   leaf certificate issuer                */
    PROBE_EVF_COUNT
} probe_ev_field;

/* Which end of the packet the fact describes. */
typedef enum { PROBE_EV_SRC = 0, PROBE_EV_DST = 1 } probe_ev_role;

#define PROBE_EV_VALUE_MAX 192 /* longer values are truncated (banners, DNs)            */
#define PROBE_EV_BUF_ITEMS 16  /* items one packet can yield; extra items are dropped   */

typedef struct probe_ev {
    uint16_t field;                   /* probe_ev_field                                   */
    uint8_t role;                     /* probe_ev_role                                    */
    uint8_t has_mac;                  /* mac below overrides the packet's L2 address      */
    uint8_t mac[6];                   /* e.g. DHCP chaddr, which survives relays          */
    uint16_t len;                     /* strlen(value)                                     */
    char value[PROBE_EV_VALUE_MAX];   /* printable ASCII, NUL-terminated                   */
} probe_ev_t;

typedef struct probe_ev_buf {
    size_t n;                         /* items used                                        */
    size_t dropped;                   /* items that did not fit                            */
    probe_ev_t items[PROBE_EV_BUF_ITEMS];
} probe_ev_buf_t;

/* The dotted name of a field ("http.server"), or "?" */
const char *probe_ev_field_name(probe_ev_field f);
/* Looks a dotted name up; PROBE_EVF_NONE if unknown. */
probe_ev_field probe_ev_field_by_name(const char *name);

/* Appends an item. The value is copied with control and non-ASCII bytes replaced by '.', and
 * leading/trailing blanks trimmed; an empty result is not added. Returns the item (so a caller
 * can set has_mac/mac), or NULL when the value was empty or the buffer is full (dropped++). */
probe_ev_t *probe_ev_add(probe_ev_buf_t *buf, probe_ev_field f, probe_ev_role role,
                         const void *value, size_t len);

/* Extractors. Each reads one L4 payload (or, for TLS, a contiguous stream of TLS records from
 * one direction) and appends what it finds. They return SSF_OK when the bytes were this
 * protocol (even if they held no identity), SSF_EINVAL when they are not, SSF_ETRUNC when the
 * bytes are this protocol but stop early (TLS: feed more of the stream). None reads beyond n. */
ssf_rc probe_ev_dhcp(const uint8_t *p, size_t n, probe_ev_buf_t *out);
ssf_rc probe_ev_http(const uint8_t *p, size_t n, probe_ev_buf_t *out);
ssf_rc probe_ev_ssh(const uint8_t *p, size_t n, probe_ev_buf_t *out);
ssf_rc probe_ev_tls(const uint8_t *p, size_t n, probe_ev_buf_t *out);

#endif
