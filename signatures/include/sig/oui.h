/* sig/oui.h - MAC address vendor registry loaded from the IEEE lists that Debian's ieee-data
 * package installs (oui.txt, mam.txt, oui36.txt, iab.txt).
 *
 * The registry is immutable once sig_oui_new() returns: any number of threads may call the
 * lookup and query functions on one registry at the same time without locking. */
#ifndef SIG_OUI_H
#define SIG_OUI_H

#include "ssf/common.h"

#include <stddef.h>
#include <stdint.h>

typedef struct sig_oui sig_oui_t; /* fields in oui.c */

/* Why a lookup returned what it did. */
typedef enum {
    SIG_OUI_FOUND = 0,     /* a registry block covers the address               */
    SIG_OUI_UNKNOWN = 1,   /* universally administered, but no block covers it  */
    SIG_OUI_LOCAL = 2,     /* U/L bit (0x02 of byte 0) set: no vendor by design */
    SIG_OUI_MULTICAST = 3, /* I/G bit (0x01 of byte 0) set, broadcast included  */
} sig_oui_kind;

/* Load-time counters, so the CLI can tell the user what was skipped. */
typedef struct {
    size_t l24;                 /* MA-L (24-bit) blocks kept                       */
    size_t m28;                 /* MA-M (28-bit) blocks kept                       */
    size_t s36;                 /* MA-S and IAB (36-bit) blocks kept               */
    size_t malformed;           /* "(hex)"/"(base 16)" lines that did not parse     */
    size_t duplicates;          /* blocks listed again; the first listing is kept   */
    const char *first_bad_file; /* "oui.txt" etc. (static string), NULL if none     */
    unsigned first_bad_line;    /* 1-based line of the first malformed line         */
} sig_oui_stats_t;

/* Loads dir/oui.txt (required) and dir/mam.txt, dir/oui36.txt, dir/iab.txt when they exist.
 * Lines that carry a "(hex)" or "(base 16)" tag but do not parse are skipped and counted in
 * sig_oui_stats(); everything else (addresses, headers, blank lines) is ignored.
 * Returns a new registry, freed with sig_oui_free(). On failure returns NULL and sets *err:
 * SSF_EIO when oui.txt is missing or a file cannot be read (the message names the file and says
 * how to install ieee-data), SSF_ENOMEM, or SSF_EINVAL when dir is NULL. */
sig_oui_t *sig_oui_new(const char *dir, ssf_err *err);

/* NULL-safe; sets *o to NULL. Invalidates every name returned by the lookups. */
void sig_oui_free(sig_oui_t **o);

/* Vendor name for mac, or NULL. The most specific block wins: 36-bit, then 28-bit, then 24-bit.
 * Returns NULL for multicast/broadcast (I/G bit) and locally administered (U/L bit) addresses
 * even when the registry lists their first three bytes (a few legacy blocks such as DEC's
 * AA-00-04 have those bits set): such an address names no manufacturer. Use sig_oui_lookup_ex()
 * to tell those cases from "unknown".
 * The name is the registry's spelling with trailing whitespace removed. It points into the
 * registry and stays valid until sig_oui_free(). */
const char *sig_oui_lookup(const sig_oui_t *o, const uint8_t mac[6]);

/* As sig_oui_lookup(), and writes why into *kind when kind is not NULL. */
const char *sig_oui_lookup_ex(const sig_oui_t *o, const uint8_t mac[6], sig_oui_kind *kind);

/* Number of blocks held (24-, 28- and 36-bit together). */
size_t sig_oui_count(const sig_oui_t *o);

/* Copies the load counters into *out. */
void sig_oui_stats(const sig_oui_t *o, sig_oui_stats_t *out);

#endif
