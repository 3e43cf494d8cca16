/* ev_dhcpv6.c - client identity from DHCPv6 (RFC 8415) client messages on UDP 546/547.
 *
 * Client messages (Solicit, Request, Confirm, Renew, Rebind, Release, Decline,
 * Information-request) carry the client's DUID and, depending on the stack, an FQDN
 * (RFC 4704), a vendor class and vendor options naming the maker, and an option request list
 * whose order fingerprints the OS, much like DHCPv4 option 55. All are about the sender.
 * Server and relay messages are DHCPv6 too but say nothing about a client here. */
#include "evidence_internal.h"

enum {
    D6_OPT_CLIENTID = 1,
    D6_OPT_ORO = 6,
    D6_OPT_VENDOR_CLASS = 16,
    D6_OPT_VENDOR_OPTS = 17,
    D6_OPT_FQDN = 39,
    D6_MSG_MAX = 36,    /* highest message type assigned (RFC 8156 and later)   */
    D6_OPTS_MAX = 64,   /* options walked per message                           */
    D6_LABELS_MAX = 32, /* labels read from one FQDN                            */
    D6_ORO_MAX = 48,    /* option codes rendered from one request list          */
    D6_VC_DATA_MAX = 4, /* vendor-class data items joined                       */
};

/* Message types whose options describe the sender, a client. */
static bool d6_from_client(uint8_t type)
{
    return type == 1 || type == 3 || type == 4 || type == 5 || type == 6 || type == 8 ||
           type == 9 || type == 11;
}

static void d6_duid(const uint8_t *v, uint16_t len, probe_ev_buf_t *out)
{
    probe_ev_str_t s;
    probe_ev_str_init(&s);
    for (uint16_t i = 0; i < len && probe_ev_str_fits(&s, 2); i++)
        probe_ev_str_hex(&s, v[i]);
    probe_ev_add_str(out, PROBE_EVF_DHCPV6_DUID, PROBE_EV_SRC, &s);
}

static void d6_oro(ssf_cur c, probe_ev_buf_t *out)
{
    probe_ev_str_t s;
    probe_ev_str_init(&s);
    uint16_t code;
    for (int i = 0; i < D6_ORO_MAX && ssf_cur_u16be(&c, &code); i++) {
        if (!probe_ev_str_fits(&s, 6)) break; /* cut at an entry, not inside a number */
        if (i) probe_ev_str_putc(&s, ',');
        probe_ev_str_u64(&s, code);
    }
    probe_ev_add_str(out, PROBE_EVF_DHCPV6_FINGERPRINT, PROBE_EV_SRC, &s);
}

/* "enterprise:data", the data items (each u16 length + bytes) joined by ','. */
static void d6_vendor_class(ssf_cur c, probe_ev_buf_t *out)
{
    uint32_t ent;
    if (!ssf_cur_u32be(&c, &ent)) return;
    probe_ev_str_t s;
    probe_ev_str_init(&s);
    probe_ev_str_u64(&s, ent);
    probe_ev_str_putc(&s, ':');
    uint16_t len;
    const uint8_t *d;
    for (int i = 0; i < D6_VC_DATA_MAX && ssf_cur_u16be(&c, &len) && ssf_cur_bytes(&c, len, &d);
         i++) {
        if (i) probe_ev_str_putc(&s, ',');
        probe_ev_str_put(&s, d, len);
    }
    probe_ev_add_str(out, PROBE_EVF_DHCPV6_VENDOR, PROBE_EV_SRC, &s);
}

static void d6_enterprise(ssf_cur c, probe_ev_buf_t *out)
{
    uint32_t ent;
    if (!ssf_cur_u32be(&c, &ent)) return;
    probe_ev_str_t s;
    probe_ev_str_init(&s);
    probe_ev_str_u64(&s, ent);
    probe_ev_add_str(out, PROBE_EVF_DHCPV6_ENTERPRISE, PROBE_EV_SRC, &s);
}

/* Flags octet, then a DNS wire name without compression (RFC 4704 section 4.2); a partial
 * name simply lacks the root label. */
static void d6_fqdn(ssf_cur c, probe_ev_buf_t *out)
{
    uint8_t flags, len;
    const uint8_t *l;
    if (!ssf_cur_u8(&c, &flags)) return;
    probe_ev_str_t s;
    probe_ev_str_init(&s);
    for (int i = 0; i < D6_LABELS_MAX && ssf_cur_u8(&c, &len) && len; i++) {
        if (len > 63 || !ssf_cur_bytes(&c, len, &l)) break; /* pointers are not allowed */
        if (i) probe_ev_str_putc(&s, '.');
        probe_ev_str_put(&s, l, len);
    }
    probe_ev_add_str(out, PROBE_EVF_DHCPV6_FQDN, PROBE_EV_SRC, &s);
}

static void d6_option(uint16_t code, ssf_cur v, probe_ev_buf_t *out)
{
    switch (code) {
    case D6_OPT_CLIENTID:
        d6_duid(v.p, (uint16_t)ssf_cur_left(&v), out);
        break;
    case D6_OPT_ORO:
        d6_oro(v, out);
        break;
    case D6_OPT_VENDOR_CLASS:
        d6_vendor_class(v, out);
        break;
    case D6_OPT_VENDOR_OPTS:
        d6_enterprise(v, out);
        break;
    case D6_OPT_FQDN:
        d6_fqdn(v, out);
        break;
    default:
        break;
    }
}

ssf_rc probe_ev_dhcpv6(const uint8_t *p, size_t n, probe_ev_buf_t *out)
{
    if (!p || !out || !n) return SSF_EINVAL;
    if (p[0] == 0 || p[0] > D6_MSG_MAX) return SSF_EINVAL;
    ssf_cur c = ssf_cur_make(p, n);
    if (!ssf_cur_skip(&c, 4)) return SSF_ETRUNC;
    /* Relay messages have a 34-byte header instead; their options are not the client's. */
    if (!d6_from_client(p[0])) return SSF_OK;
    for (int i = 0; i < D6_OPTS_MAX && ssf_cur_left(&c); i++) {
        uint16_t code, len;
        ssf_cur v;
        if (!ssf_cur_u16be(&c, &code) || !ssf_cur_u16be(&c, &len) || !ssf_cur_sub(&c, len, &v))
            return SSF_ETRUNC;
        d6_option(code, v, out);
    }
    return SSF_OK;
}
