/* Engine checks that weigh a device's peers against the site policy (docs/findings.md):
 *
 * internet_exposed: an OT device (by its inferred type, or because it serves an industrial
 * protocol) has flows with public addresses, and no `internet` line of the policy covers it.
 *
 * programming_from_unexpected_host: a controller whose unauth_ics_program finding (raised by
 * the rules) shows who programmed it, where that host is not an engineering workstation: not
 * covered by a `workstation` line, or, when the policy names none, not typed
 * engineering_workstation by identity.
 *
 * Both read only finalized devices; neither allocates more than the findings they raise. */
#include "site_internal.h"

#include "eng/policy.h"

#include <netinet/in.h>
#include <stdio.h>
#include <strings.h>

#define CHECK_INTERNET  "exposure.internet"
#define CHECK_PROGRAM   "exposure.programming"
#define CHECK_PROG_TYPE "exposure.programming_by_type"

/* Device types of the identity vocabulary (iotssf_placement.tsv) that are operational
 * technology: they run, protect, meter or supervise a physical process or a building. The
 * engineering workstation and the historian are in: on the control network they hold the
 * projects and the process data, and a remote session into one reaches the controllers. The
 * UPS/PDU and medical devices are in because a remote reach into them stops power or care.
 * Routers, switches, firewalls, servers and office or consumer devices are not. */
static const char *const ot_types[] = {
    "plc",
    "rtu",
    "safety_controller",
    "protection_relay",
    "hmi",
    "engineering_workstation",
    "historian",
    "scada_server",
    "opc_server",
    "industrial_gateway",
    "industrial_switch",
    "bms_controller",
    "hvac_controller",
    "lighting_controller",
    "access_control",
    "fire_alarm_panel",
    "elevator_controller",
    "ev_charger",
    "smart_meter",
    "inverter",
    "ups_pdu",
    "medical_device",
};

/* Industrial protocols a device may serve: an nDPI 4.2 name (prefix, any case) or the
 * protocol's registered port. A server of any of these is OT whatever its type says, so an
 * unidentified Modbus server counts. */
static const struct {
    const char *name; /* nDPI app name prefix, NULL: by port only */
    uint8_t l4;
    uint16_t port;
} ot_services[] = {
    {"Modbus", IPPROTO_TCP, 502},       {"s7comm", IPPROTO_TCP, 102},
    {"EthernetIP", IPPROTO_TCP, 44818}, {NULL, IPPROTO_UDP, 2222}, /* CIP I/O       */
    {"BACnet", IPPROTO_UDP, 47808},     {"DNP3", IPPROTO_TCP, 20000},
    {NULL, IPPROTO_UDP, 20000},         {"IEC60870", IPPROTO_TCP, 2404},
    {"OPC", IPPROTO_TCP, 4840},         {NULL, IPPROTO_UDP, 34964}, /* PROFINET CM   */
    {NULL, IPPROTO_UDP, 5094},                                      /* HART-IP       */
    {NULL, IPPROTO_TCP, 5094},          {NULL, IPPROTO_UDP, 9600},  /* Omron FINS    */
    {NULL, IPPROTO_TCP, 48898},                                     /* Beckhoff ADS  */
    {NULL, IPPROTO_UDP, 3671},                                      /* KNXnet/IP     */
    {NULL, IPPROTO_TCP, 1911},                                      /* Niagara Fox   */
    {NULL, IPPROTO_TCP, 18245},                                     /* GE SRTP       */
    {NULL, IPPROTO_TCP, 5007},                                      /* MELSEC        */
};

bool eng_type_is_ot(const char *type)
{
    for (size_t i = 0; type && i < SSF_ARRAY_LEN(ot_types); i++)
        if (!strcmp(type, ot_types[i])) return true;
    return false;
}

static bool v4_in(const uint8_t *v, uint8_t a, uint8_t b, uint8_t mask_b)
{
    return v[0] == a && (v[1] & mask_b) == b;
}

bool eng_addr_is_public(const ssf_addr *a)
{
    if (ssf_addr_is_local(a)) return false;
    if (!ssf_addr_is_v4(a)) return (a->b[0] & 0xe0) == 0x20; /* 2000::/3, global unicast */
    const uint8_t *v = a->b + 12;
    /* 198.18/15 is for benchmarking labs and 192.0.0/24 for protocol assignments (RFC 6890):
     * neither is a host on the Internet. */
    if (v4_in(v, 198, 18, 0xfe)) return false;
    return !(v[0] == 192 && v[1] == 0 && v[2] == 0);
}

/* ---- who is who --------------------------------------------------------------------------- */

static const char *device_type(const eng_device_t *d)
{
    const eng_cand_t *c = eng_identity_top(d, SIG_OUT_TYPE);
    return c ? c->value : NULL;
}

/* A type guessed from less than this (one protocol a client used, weight 25: a port scanner
 * "uses" DNP3 when it knocks on 20000) does not make a device OT for internet_exposed. S7comm
 * use alone (40) does: a host that programs PLCs and talks to the Internet is the way in. */
#define OT_TYPE_MIN_CONFIDENCE 40

static bool typed_ot(const eng_device_t *d)
{
    const eng_cand_t *c = eng_identity_top(d, SIG_OUT_TYPE);
    return c && c->confidence >= OT_TYPE_MIN_CONFIDENCE && eng_type_is_ot(c->value);
}

static bool serves_ot(const eng_device_t *d)
{
    for (size_t i = 0; i < d->hosts.n; i++)
        for (size_t k = 0; k < d->hosts.v[i]->served.n; k++) {
            const eng_proto_t *p = &d->hosts.v[i]->served.v[k];
            for (size_t j = 0; j < SSF_ARRAY_LEN(ot_services); j++) {
                const char *n = ot_services[j].name;
                if ((p->l4 == ot_services[j].l4 && p->port == ot_services[j].port) ||
                    (n && !strncasecmp(p->name, n, strlen(n))))
                    return true;
            }
        }
    return false;
}

static bool device_is_ot(const eng_device_t *d)
{
    return typed_ot(d) || serves_ot(d);
}

/* The device one of whose addresses is a; NULL when no device of the site has it. */
/* The first entry of kind k covering one of d's hosts (or, with d NULL, the address ip). */
static const eng_policy_entry_t *policy_covers(const eng_policy_t *p, eng_pol_kind k,
                                               const eng_device_t *d, const ssf_addr *ip)
{
    for (size_t i = 0; p && i < eng_policy_count(p, k); i++) {
        const eng_policy_entry_t *e = eng_policy_entry(p, k, i);
        if (!d) {
            eng_policy_host_t ph = {.ip = ip};
            if (eng_policy_match(p, e, &ph)) return e;
            continue;
        }
        for (size_t h = 0; h < d->hosts.n; h++) {
            const eng_host_t *x = d->hosts.v[h];
            eng_policy_host_t ph = {.mac = x->has_mac ? x->mac : NULL,
                                    .ip = x->has_ip ? &x->ip : NULL,
                                    .vlans = x->vlans,
                                    .n_vlans = x->n_vlans};
            if (eng_policy_match(p, e, &ph)) return e;
        }
    }
    return NULL;
}

/* ---- internet_exposed ---------------------------------------------------------------------- */

/* A "public" peer that answered ARP on the capture's own segment is the site's: some plants
 * number their networks from public ranges they own. An Internet host never ARPs here; it is
 * seen behind a router's MAC, or without any MAC in raw captures. */
static bool peer_is_onsite(const eng_site_t *s, const ssf_addr *a)
{
    const eng_device_t *p = eng_device_of_ip(s, a);
    for (size_t i = 0; p && !p->router && i < p->hosts.n; i++)
        if (p->hosts.v[i]->arp_owned && !memcmp(&p->hosts.v[i]->ip, a, sizeof *a)) return true;
    return false;
}

static void raise_pubflow(eng_device_t *d, const eng_host_t *h, const eng_pubflow_t *p)
{
    char a[SSF_ADDR_STRLEN], b[SSF_ADDR_STRLEN], value[COLL_VALUE_MAX];
    ssf_addr_str(&h->ip, a, sizeof a);
    ssf_addr_str(&p->peer, b, sizeof b);
    /* The initiator first, as a flow reads; an inbound flow is the Internet reaching in. The
     * ports are the earliest flow's, whose first packet the item cites: later ones to the same
     * service only add to the count. */
    const char *src = p->inbound ? b : a, *dst = p->inbound ? a : b;
    unsigned sport = p->inbound ? p->peer_port : p->host_port;
    unsigned dport = p->inbound ? p->host_port : p->peer_port;
    snprintf(value, sizeof value, "%s %s:%u -> %s:%u (%s, %llu flow%s, %s)", eng_l4_name(p->l4),
             src, sport, dst, dport, p->app[0] ? p->app : "Unknown", (unsigned long long)p->flows,
             p->flows == 1 ? "" : "s", p->inbound ? "inbound" : "outbound");
    /* The frame is the first packet of the earliest such flow: the one that shows the
     * exposure began (0 when live, which prints as no frame). */
    eng_ev_t ev = {.count = p->flows,
                   .first_us = p->first_us,
                   .last_us = p->last_us,
                   .frame = p->frame,
                   .input = p->input,
                   .peer = p->peer,
                   .l4 = p->l4,
                   .sport = p->host_port,
                   .dport = p->peer_port};
    ssf_strlcpy(ev.source, "flow", sizeof ev.source);
    ssf_strlcpy(ev.value, value, sizeof ev.value);
    eng_finding_raise(d, &(eng_check_hit_t){.kind = "internet_exposed",
                                            .check = CHECK_INTERNET,
                                            .field = "flow.public_peer",
                                            .value = value,
                                            .host = h,
                                            .ev = &ev});
}

static void check_internet(const eng_site_t *s, eng_device_t *d)
{
    /* A router's MAC carries other hosts' traffic to the Internet by design; its own flows
     * are the edge's, and the hosts behind it are judged as devices of their own. */
    if (d->router || !device_is_ot(d)) return;
    const eng_policy_entry_t *allow = policy_covers(s->policy, ENG_POL_INTERNET, d, NULL);
    /* Inbound first: the Internet reaching a controller is worse than the reverse. */
    for (int inbound = 1; inbound >= 0; inbound--)
        for (size_t i = 0; i < d->hosts.n; i++) {
            const eng_host_t *h = d->hosts.v[i];
            for (size_t k = 0; k < h->pub.n; k++) {
                const eng_pubflow_t *p = &h->pub.v[k];
                if (p->inbound != inbound || peer_is_onsite(s, &p->peer)) continue;
                if (!allow) {
                    raise_pubflow(d, h, p);
                    continue;
                }
                snprintf(d->internet_allowed, sizeof d->internet_allowed, "%s:%u (internet %s)",
                         eng_policy_file(s->policy), allow->line, allow->name);
                d->internet_allowed_flows += p->flows;
            }
        }
}

/* ---- programming_from_unexpected_host ------------------------------------------------------ */

/* Who sent the programming request behind one item of unauth_ics_program: an `on peer`
 * rule's item names it (via); otherwise the item is the controller's reply, whose peer is the
 * requester. *ip is set whenever an address is known, even when no device has it. */
static const eng_device_t *programmer_of(const eng_site_t *s, const eng_fev_t *e, ssf_addr *ip,
                                         bool *has_ip)
{
    *has_ip = false;
    if (e->via) {
        const eng_device_t *v = e->via;
        if (v->hosts.n && v->hosts.v[0]->has_ip) *ip = v->hosts.v[0]->ip, *has_ip = true;
        return v;
    }
    if (!e->ev || ssf_addr_is_zero(&e->ev->peer)) return NULL;
    *ip = e->ev->peer, *has_ip = true;
    return eng_device_of_ip(s, ip);
}

typedef struct {
    const eng_site_t *s;
    eng_device_t *d;
    const eng_fev_t *e;
    const eng_device_t *who;
    const char *who_ip;
} prog_item;

static void raise_program(const prog_item *x, const char *check, const char *policy,
                          const char *why)
{
    char value[COLL_VALUE_MAX];
    /* A long function value is cut rather than the requester's address: the address is the
     * point, and the value stays in the unauth_ics_program item. */
    int n = snprintf(value, sizeof value, "from %s (%s): %s", x->who_ip, why, x->e->value);
    if (n < 0) return;
    eng_finding_raise(x->d, &(eng_check_hit_t){.kind = "programming_from_unexpected_host",
                                               .check = check,
                                               .policy = policy,
                                               .field = x->e->field,
                                               .value = value,
                                               .host = x->e->host,
                                               .ev = x->e->ev,
                                               .via = x->who});
}

static void judge_programmer(const prog_item *x, const ssf_addr *ip)
{
    const eng_policy_t *p = x->s->policy;
    if (p && eng_policy_count(p, ENG_POL_WORKSTATION)) {
        if (policy_covers(p, ENG_POL_WORKSTATION, x->who, ip)) return;
        raise_program(x, CHECK_PROGRAM, eng_policy_file(p), "no workstation line covers it");
        return;
    }
    const char *type = x->who ? device_type(x->who) : NULL;
    if (type && !strcmp(type, "engineering_workstation")) return;
    char why[160];
    int n =
        snprintf(why, sizeof why, "type %s; no workstation in the policy; judged by device type",
                 type ? type : "unknown");
    if (n < 0) return;
    raise_program(x, CHECK_PROG_TYPE, NULL, why);
}

static void check_programming(const eng_site_t *s, eng_device_t *d)
{
    const sig_weak_kind_t *k = sig_weak_kind("unauth_ics_program");
    const eng_finding_t *f = NULL;
    for (size_t i = 0; i < d->findings.n && !f; i++)
        if (d->findings.v[i].kind == k) f = &d->findings.v[i];
    if (!f) return;
    /* Items are indexed, not pointed to: raising a finding may move d->findings. */
    size_t fi = (size_t)(f - d->findings.v), n = f->ev.n;
    for (size_t i = 0; i < n; i++) {
        const eng_fev_t *e = &d->findings.v[fi].ev.v[i];
        ssf_addr ip;
        bool has_ip;
        char ipstr[SSF_ADDR_STRLEN];
        const eng_device_t *who = programmer_of(s, e, &ip, &has_ip);
        if (!has_ip || who == d) continue; /* nobody to judge */
        eng_fev_t item = *e;               /* a copy: the vector may grow under us */
        prog_item x = {s, d, &item, who, ssf_addr_str(&ip, ipstr, sizeof ipstr)};
        judge_programmer(&x, &ip);
    }
}

void eng_exposure_checks(eng_site_t *s)
{
    for (size_t i = 0; i < s->devices.n; i++) {
        check_internet(s, s->devices.v[i]);
        check_programming(s, s->devices.v[i]);
    }
}
