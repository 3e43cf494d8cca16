/* site_internal.h - the records behind eng/site.h, shared by site.c, devices.c, report.c. */
#ifndef ENG_SITE_INTERNAL_H
#define ENG_SITE_INTERNAL_H

#include "eng/risk.h"
#include "eng/site.h"

#include "sig/rules.h"

#include "ssf/json.h"

#include <czmq.h>

#define ENG_PEERS_MAX 64 /* peers listed per device; more are only counted          */
/* Distinct values kept per host and field. A syslog sender or an HTTP client says something
 * new in every message; past this many the rest are only counted. */
#define ENG_EV_PER_FIELD_MAX 16
/* A MAC is a router's when it carries more IPv4 addresses than this, or two IPv4 addresses
 * of which one is public, or more global IPv6 addresses than a host's privacy extensions
 * would plausibly rotate through in a capture. */
#define ENG_ROUTER_MIN_V4 4
#define ENG_ROUTER_MIN_V6 16

typedef struct eng_proto {
    char name[COLL_NAME_MAX]; /* nDPI name, "HTTP"                                   */
    uint8_t l4;               /* IPPROTO_*                                           */
    uint16_t port;            /* server port (served) or 0 (used)                    */
    uint64_t flows;
} eng_proto_t;

typedef struct eng_ev {
    uint16_t field; /* probe_ev_field                                      */
    char value[COLL_VALUE_MAX];
    char source[COLL_SOURCE_MAX];
    uint64_t
        count; /* sightings: sum of the observations' counts (refused logins for auth.failure) */
    uint64_t first_us, last_us;
    uint64_t frame; /* frame number of the first sighting                 */
    uint16_t input; /* which input file that frame is in                   */
    ssf_addr peer;  /* the other end of that packet                      */
    uint16_t sport, dport;
    uint8_t l4;
} eng_ev_t;

/* A growable array; n used, cap allocated. */
#define ENG_VEC(T)                                                                                 \
    struct {                                                                                       \
        T *v;                                                                                      \
        size_t n, cap;                                                                             \
    }

/* Public-peer flows kept per host (exposure.c); further distinct ones are only counted. */
#define ENG_PUBFLOWS_MAX 8

/* Flows between a host and one public address, merged per (peer, l4, server port, side). */
typedef struct eng_pubflow {
    ssf_addr peer;              /* the public address                               */
    uint8_t l4;                 /* IPPROTO_*                                        */
    uint16_t server_port;       /* the server's port, the key                       */
    uint16_t host_port;         /* the host's port in the first such flow (earliest
                                   first packet, not first reported)               */
    uint16_t peer_port;         /* the peer's port in the first such flow           */
    bool inbound;               /* the public side initiated: worse than outbound   */
    uint64_t first_us, last_us; /* first packet of the first flow, last of the last */
    uint64_t frame;             /* that first packet's frame number, 0 live         */
    uint16_t input;             /* the input file it is in                          */
    uint64_t flows;             /* final flow observations merged                   */
    char app[COLL_NAME_MAX];    /* nDPI app name of the first flow                  */
} eng_pubflow_t;

typedef struct eng_host {
    bool has_mac;
    uint8_t mac[6];
    bool has_ip;
    ssf_addr ip;
    bool arp_owned;    /* the MAC claimed this IP in ARP                      */
    uint16_t vlans[4]; /* first VLANs seen                                    */
    uint8_t n_vlans;
    uint64_t pkts_tx, pkts_rx, bytes_tx, bytes_rx;
    uint64_t first_us, last_us;
    uint64_t risk_server, risk_client; /* nDPI risk bitmaps                          */
    uint64_t n_peers_total;
    ENG_VEC(eng_proto_t) served;
    ENG_VEC(eng_proto_t) used;
    ENG_VEC(ssf_addr) peers;
    ENG_VEC(eng_ev_t) ev;
    ENG_VEC(eng_pubflow_t) pub; /* flows with public peers, ENG_PUBFLOWS_MAX at most    */
    uint64_t n_pub_total;       /* distinct public-peer flows, kept or not              */
    struct eng_device *dev;     /* set by finalize                                     */
} eng_host_t;

/* One reason behind an identity candidate: a rule that matched a value, or the raw registry
 * name of the MAC when no rule claims it (rule == NULL). */
typedef struct eng_why {
    const sig_rule_t *rule;
    const eng_host_t *host; /* the host whose evidence matched, NULL for pseudo-fields */
    const eng_ev_t *ev;     /* the evidence item, NULL for pseudo-fields              */
    const char *field;      /* "http.server", "mac.vendor", "service.served" ...       */
    char value[COLL_VALUE_MAX];
    unsigned weight; /* 1..100                                                 */
} eng_why_t;

#define ENG_AKA_MAX 4 /* other spellings kept per candidate ("Siemens AG")       */

/* A value one identity output may take, with everything that supports it. */
typedef struct eng_cand {
    char value[SIG_OUT_MAX];
    char key[SIG_OUT_MAX]; /* grouping key: case, punctuation and suffixes folded */
    char aka[ENG_AKA_MAX][SIG_OUT_MAX];
    uint8_t n_aka;
    unsigned best;       /* highest single weight, which picks the spelling shown    */
    unsigned confidence; /* 0..100 from all distinct rules together           */
    ENG_VEC(eng_why_t) why;
} eng_cand_t;

/* Candidates per output, best first once resolved. */
typedef struct eng_identity {
    ENG_VEC(eng_cand_t) c[SIG_OUT_COUNT];
} eng_identity_t;

typedef struct eng_device {
    char id[64]; /* "mac:..." or "ip:..."                               */
    bool has_mac;
    uint8_t mac[6];
    bool router;     /* its MAC carries many addresses                     */
    bool via_router; /* seen behind a router: MAC is the router's          */
    bool local;      /* any address is not public                          */
    ENG_VEC(eng_host_t *) hosts;
    eng_identity_t ident;
    /* @placement-fields */
    /* IoT-SSF placement (placement.c); human 0: not placed (the tables did not load). */
    struct {
        uint8_t human, economic, strength; /* 1..4                                       */
        unsigned perspectives;             /* ENG_PERSP_* bits                           */
        const char *category;
        const struct eng_iotssf_type *row;    /* default placement of the device type      */
        const struct eng_policy_entry *by[2]; /* policy line that set human, economic; NULL:
                                               * the row                                   */
        unsigned cell_line;                   /* row in iotssf_categories.tsv               */
    } place;
    /* The policy system the map places it in (placement.c): the first `system` line covering
     * any of its addresses; NULL: none. */
    const struct eng_policy_entry *system;
    /* @findings-fields */
    ENG_VEC(struct eng_finding) findings; /* one per kind, worst first (findings.c) */
    /* exposure.c: "FILE:LINE (internet NAME)", the policy line that allows the device's public
     * flows ("": none, or it has none), and how many; --explain says so, as it raises nothing. */
    char internet_allowed[192];
    uint64_t internet_allowed_flows;
    /* @advisories-fields: the advisories the device matches (advisories.c), NULL: none. */
    struct eng_adv_list *advisories;
} eng_device_t;

struct eng_site {
    char name[64];
    const sig_oui_t *oui;
    const sig_set_t *sigs;           /* NULL: identity from the MAC registry only              */
    const struct eng_policy *policy; /* site policy for placement (placement.c), or NULL */
    zhashx_t *hosts;                 /* key "mac|ip" -> eng_host_t*                        */
    /* advisories.c: the --advisories index (NULL: none) and the time matching took. */
    const struct sig_csaf_index *csaf;
    uint64_t csaf_ns;
    size_t csaf_devices;
    ENG_VEC(eng_device_t *) devices;
    eng_site_stats_t st;
    bool finalized;
};

/* Grows a vector to hold one more element; false on allocation failure. */
bool eng_vec_grow(void **v, size_t *cap, size_t n, size_t elem);
#define ENG_VEC_PUSH(vec, ptr_out)                                                                 \
    (eng_vec_grow((void **)&(vec).v, &(vec).cap, (vec).n, sizeof *(vec).v)                         \
         ? ((ptr_out) = &(vec).v[(vec).n++], memset((ptr_out), 0, sizeof *(ptr_out)), true)        \
         : false)

/* values.c: every value rules match on for one host: its evidence items under their field
 * names (ev set), then service.served / service.used ("S7Comm tcp/102") and risk.as_server /
 * risk.as_client (nDPI risk names), with ev NULL. */
typedef void (*eng_value_fn)(void *ud, const eng_host_t *h, const char *field, const char *value,
                             const eng_ev_t *ev);
void eng_host_values(const eng_host_t *h, eng_value_fn fn, void *ud);
/* "tcp", "udp", "icmp", "icmpv6", else "ip": the transport as every output names it. */
const char *eng_l4_name(uint8_t l4);

/* identity.c */
void eng_identity_build(eng_site_t *s);
void eng_identity_free(eng_device_t *d);
/* The chosen candidate of an output, NULL when there is none. */
const eng_cand_t *eng_identity_top(const eng_device_t *d, sig_out o);

/* placement.c: places every device; after eng_identity_build(). */
void eng_placement_build(eng_site_t *s);
struct ssf_json;
/* The "placement" member of a device object (null when unplaced), then its "system". */
void eng_placement_json(struct ssf_json *j, const eng_site_t *s, const eng_device_t *d);
/* The explain lines: both axes, category and strength, and the table row or policy line
 * behind each. */
void eng_placement_explain(FILE *f, const eng_site_t *s, const eng_device_t *d);
/* findings.c: weak points raised by rules with a `finding` output (docs/findings.md). */
/* One evidence item behind a finding: the value a rule matched, or an engine check found, and
 * where it was seen. */
typedef struct eng_fev {
    const sig_rule_t *rule; /* NULL: an engine check raised it (check names it)       */
    const char *check;      /* "exposure.internet" ...; NULL for a rule's item          */
    char policy[96];        /* "FILE:LINE" of the policy line the check applied, or ""  */
    const eng_host_t *host; /* NULL never: pseudo-fields name their host too          */
    const eng_ev_t *ev;     /* NULL for the pseudo-fields service.served/used       */
    eng_ev_t *owned;        /* a check's own record of where (ev points here); freed
                             * with the finding                                       */
    const char *field;
    const struct eng_device *via; /* `on peer` rules: the device that carried the evidence */
    char value[COLL_VALUE_MAX];
} eng_fev_t;

typedef struct eng_finding {
    const sig_weak_kind_t *kind;
    const sig_rule_t *rule; /* the first rule that raised it; NULL: an engine check      */
    const char *check;      /* the first check that raised it, when rule is NULL       */
    uint64_t first_us, last_us;
    ENG_VEC(eng_fev_t) ev; /* distinct (field, value) items: the finding's count    */
} eng_finding_t;

void eng_findings_build(eng_site_t *s);
void eng_findings_free(eng_device_t *d);

/* Engine checks: weak points that no single evidence value shows, so no rule can raise them (a
 * peer's address weighed against the site policy, a count of failed logins). A check runs from
 * eng_findings_build() and reports each item it finds with eng_finding_raise(). */
typedef struct eng_check_hit {
    const char *kind;       /* a kind of weak_points.tsv                                         */
    const char *check;      /* the check's name, "exposure.internet": a static string            */
    const char *policy;     /* "FILE:LINE" of the policy line the check applied, NULL: none      */
    const char *field;      /* what the item is, "flow.public_peer"                              */
    const char *value;      /* the item itself, printable, secrets already masked                */
    const eng_host_t *host; /* the device's host the item is about                     */
    const eng_ev_t *ev;     /* where it was seen: copied; NULL when no one packet shows it */
    const struct eng_device *via; /* the other device involved, NULL: none                   */
} eng_check_hit_t;
/* Adds the item to d's finding of hit->kind, raising it when new; an item already there (same
 * field and value) is not added twice. False on an unknown kind or allocation failure. */
bool eng_finding_raise(eng_device_t *d, const eng_check_hit_t *hit);
/* exposure.c: the checks internet_exposed and programming_from_unexpected_host
 * (docs/findings.md), called from eng_findings_build() after the rules. */
void eng_exposure_checks(eng_site_t *s);
/* A host on the public Internet: not RFC 1918, CGNAT, loopback, link-local, multicast,
 * broadcast, benchmarking (198.18/15), IETF protocol (192.0.0/24) or unspecified; for IPv6 only
 * global unicast 2000::/3. Documentation ranges count as public (docs/findings.md). */
bool eng_addr_is_public(const ssf_addr *a);
/* Whether a device type of the identity vocabulary is operational technology. */
bool eng_type_is_ot(const char *type);

/* The device's finding kinds, worst first, comma separated (the table's RISKS column). */
void eng_findings_kinds(const eng_device_t *d, char *buf, size_t len);
void eng_findings_json(ssf_json_t *j, const eng_device_t *d, const eng_report_meta_t *m);
void eng_findings_explain(FILE *f, const eng_device_t *d, const eng_report_meta_t *m);

/* advisories.c: after eng_findings_build(). The JSON is the device's "advisories" member;
 * kinds, json, explain and free are called from the findings.c functions of the same names. */
void eng_advisories_build(eng_site_t *s);
void eng_advisories_free(eng_device_t *d);
bool eng_advisories_any(const eng_device_t *d);
void eng_advisories_json(ssf_json_t *j, const eng_device_t *d);
void eng_advisories_explain(FILE *f, const eng_device_t *d);

/* bruteforce.c: the check bruteforce_no_lockout, from the probes' counted auth.failure items. */
void eng_bruteforce_check(eng_site_t *s);

/* report.c */
const char *eng_input_name(const eng_report_meta_t *m, uint16_t input);
/* "tcp 192.168.10.30:80 <-> 192.168.10.50:51000": the host's address and port, then the
 * peer's, of the packet an evidence item came from; false when the host has no address. */
bool eng_ev_packet(const eng_host_t *h, const eng_ev_t *e, char *buf, size_t len);

/* placement.c: a policy system placed as one (docs/iotssf.md, "Systems"): on each axis the
 * entry's level, else the highest among its members; the cell as for a device. human 0: not
 * placed (no member placed and no level given). */
typedef struct eng_system_place {
    uint8_t human, economic, strength;
    unsigned perspectives;
    const char *category;
    unsigned cell_line;
} eng_system_place_t;
void eng_system_place(const eng_site_t *s, const struct eng_policy_entry *e,
                      eng_system_place_t *out);
/* The device's "system" member: its system's name, or null. */
void eng_system_json(struct ssf_json *j, const eng_device_t *d);
/* The system's "placement" member, as a device's; source "policy:FILE:LINE" when the line set
 * an axis, else "members". */
void eng_system_place_json(struct ssf_json *j, const eng_site_t *s,
                           const struct eng_policy_entry *e, const eng_system_place_t *sp);

/* posture.c: a device's posture (docs/risk-schema.md). Kept apart from eng_device_t because
 * only the risk writers need it, and the rank is a property of the whole site. */
struct eng_sys_posture;
typedef struct eng_posture {
    const eng_device_t *d;
    size_t idx;                        /* its index in the site's devices                         */
    eng_posture_key_t key;             /* required strength (0 unplaced), gap, worst severity, id */
    unsigned assurance;                /* 1..4                                                    */
    bool no_evidence;                  /* no findings and nothing inspected: assurance is a guess */
    unsigned rank;                     /* 1: fix first; a member's is its system's                */
    const struct eng_sys_posture *sys; /* its system, NULL: a mark of its own         */
} eng_posture_t;

/* A system's posture: the weakest member decides (lowest assurance, worst severity). */
typedef struct eng_sys_posture {
    const struct eng_policy_entry *e;
    char id[80]; /* "system:NAME", the rank's last tie-break                          */
    eng_system_place_t place;
    size_t n_members;
    eng_posture_key_t key;
    unsigned assurance; /* 1..4; 0 with no member                                   */
    bool no_evidence;   /* every member has no evidence                             */
    unsigned rank;      /* 1: fix first; 0: no member seen, so not on the map      */
    unsigned n_sev[5];  /* the members' findings by severity rank (1 low..4 critical) */
} eng_sys_posture_t;

/* The site's marks in one fix-first order: every system with a member, and every device in
 * no system. Devices are in rank order (a system's members together, each by its own key);
 * systems in rank order, the ones without members last. */
typedef struct eng_site_posture {
    eng_posture_t *dev;
    size_t n_dev;
    eng_sys_posture_t *sys;
    size_t n_sys;
    size_t n_marks;
} eng_site_posture_t;
/* NULL on allocation failure. */
eng_site_posture_t *eng_site_posture_new(const eng_site_t *s);
void eng_site_posture_free(eng_site_posture_t **p);

/* devices.c */
void eng_devices_build(eng_site_t *s);
void eng_devices_free(eng_site_t *s);
const char *eng_device_vendor(const eng_site_t *s, const eng_device_t *d);
/* The device one of whose addresses is a; NULL when no device of the site has it. */
eng_device_t *eng_device_of_ip(const eng_site_t *s, const ssf_addr *a);
/* The name the device gives itself (LLDP/SNMP system name, station name, DHCP host name ...),
 * as an evidence item; NULL when it names itself nowhere. */
const eng_ev_t *eng_device_name(const eng_device_t *d);

#endif
