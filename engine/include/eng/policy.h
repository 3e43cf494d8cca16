/* eng/policy.h - a site policy file: zones, placement overrides, allowed engineering
 * workstations, hosts allowed on the Internet, systems. Format: docs/iotssf.md.
 *
 * Placement overrides, zones and systems take effect in engine/placement.c (systems placed as
 * one, and ranked in engine/posture.c); workstations and internet hosts in the checks of
 * engine/exposure.c (programming_from_unexpected_host, internet_exposed). */
#ifndef ENG_POLICY_H
#define ENG_POLICY_H

#include "ssf/common.h"

#include <stddef.h>
#include <stdint.h>

typedef struct eng_policy eng_policy_t;

typedef enum {
    ENG_POL_ZONE = 0,    /* "zone NAME: ..."        a part of the site             */
    ENG_POL_DEVICE,      /* "device MAC|IP: ..."    one device                     */
    ENG_POL_WORKSTATION, /* "workstation NAME: ..." may program controllers        */
    ENG_POL_INTERNET,    /* "internet NAME: ..."    may talk to public addresses   */
    ENG_POL_SYSTEM,      /* "system NAME: ..."      devices placed as one          */
    ENG_POL_KIND_COUNT
} eng_pol_kind;

typedef enum {
    ENG_SEL_SUBNET = 0, /* addr/prefix (prefix counted in the v4-mapped 128-bit space) */
    ENG_SEL_VLAN,
    ENG_SEL_MAC,
    ENG_SEL_IP,
    ENG_SEL_ZONE, /* a zone named elsewhere in the file                                  */
} eng_sel_kind;

#define ENG_POL_NAME_MAX 64

/* Which hosts an entry covers. A plain value. */
typedef struct eng_policy_sel {
    eng_sel_kind kind;
    ssf_addr addr;
    uint8_t prefix;
    uint16_t vlan;
    uint8_t mac[6];
    char zone[ENG_POL_NAME_MAX];
} eng_policy_sel_t;

/* One line of the file. human and economic are 1..4, 0 where the line leaves the axis alone. */
typedef struct eng_policy_entry {
    eng_pol_kind kind;
    char name[ENG_POL_NAME_MAX];
    unsigned line;
    uint8_t human, economic;
    const eng_policy_sel_t *sel;
    size_t n_sel;
} eng_policy_entry_t;

/* Called once per problem, in line order; e->file and e->line name it. */
typedef void (*eng_policy_diag_fn)(void *ud, const ssf_err *e);

/* Parses text (len bytes, need not be NUL-terminated) named `file` in messages. Every problem
 * goes to diag (may be NULL); on any problem the result is NULL and *err holds the first. */
eng_policy_t *eng_policy_parse(const char *file, const char *text, size_t len,
                               eng_policy_diag_fn diag, void *ud, ssf_err *err);
/* Reads and parses a file; SSF_EIO in *err when it cannot be read. */
eng_policy_t *eng_policy_load(const char *path, eng_policy_diag_fn diag, void *ud, ssf_err *err);
void eng_policy_free(eng_policy_t **p);

const char *eng_policy_file(const eng_policy_t *p);
size_t eng_policy_count(const eng_policy_t *p, eng_pol_kind k);
/* The i-th entry of a kind in file order; NULL past the end. */
const eng_policy_entry_t *eng_policy_entry(const eng_policy_t *p, eng_pol_kind k, size_t i);
/* The zone entry with this name, NULL if none. */
const eng_policy_entry_t *eng_policy_zone(const eng_policy_t *p, const char *name);

/* One endpoint as the engine sees it: mac and ip may be NULL. */
typedef struct eng_policy_host {
    const uint8_t *mac;
    const ssf_addr *ip;
    const uint16_t *vlans;
    size_t n_vlans;
} eng_policy_host_t;

/* How specifically e covers h: 0 not at all; a device line's own MAC or IP 300; a MAC or IP
 * named in another entry 200; a subnet 2 + its prefix length in the 128-bit space (v4 /24 =
 * 122); a VLAN 1. A "zone Z" selector scores what zone Z scores. */
unsigned eng_policy_match(const eng_policy_t *p, const eng_policy_entry_t *e,
                          const eng_policy_host_t *h);

#endif
