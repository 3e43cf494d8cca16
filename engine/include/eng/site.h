/* eng/site.h - one site's inventory: observations in, device records out.
 *
 * Observations are merged into per-endpoint host records (MAC + IP). At report time hosts are
 * grouped into devices: one device per MAC, except where a MAC carries many addresses (a
 * router or gateway), whose addresses then become devices of their own. The site is used by
 * one thread (the engine's); the OUI registry it reads is shared read-only. */
#ifndef ENG_SITE_H
#define ENG_SITE_H

#include "coll/link.h"
#include "coll/obs.h"
#include "sig/oui.h"
#include "sig/rules.h"

#include <stdatomic.h>
#include <stdio.h>

typedef struct eng_site eng_site_t;

typedef struct eng_site_stats {
    uint64_t observations; /* merged                                                */
    uint64_t refused;      /* observations whose content did not validate          */
    uint64_t hosts;        /* (MAC, IP) endpoints                                  */
    uint64_t devices;      /* after grouping                                       */
    uint64_t flows;        /* flow observations marked final                       */
    uint64_t evidence;     /* distinct evidence items                              */
    uint64_t ev_capped;    /* items past ENG_EV_PER_FIELD_MAX values of one field  */
} eng_site_stats_t;

/* oui may be NULL (no vendor names). */
eng_site_t *eng_site_new(const char *name, const sig_oui_t *oui, ssf_err *err);
void eng_site_free(eng_site_t **s);

/* The compiled signature set identity is inferred with (shared, read-only; NULL: the MAC
 * registry only). Set it before eng_site_finalize(). */
void eng_site_set_signatures(eng_site_t *s, const sig_set_t *sigs);

/* Merges one observation. SSF_EINVAL (counted as refused) when its content is invalid. */
ssf_rc eng_site_merge(eng_site_t *s, const coll_obs_t *o);

/* Receives and merges until `senders` goodbyes have arrived, or *abort becomes true. */
ssf_rc eng_site_ingest(eng_site_t *s, coll_receiver_t *rx, uint64_t senders,
                       const atomic_bool *abort);

/* Groups hosts into devices. Call once all observations are merged, before any writer. */
void eng_site_finalize(eng_site_t *s);
void eng_site_stats(const eng_site_t *s, eng_site_stats_t *out);

typedef struct eng_report_meta {
    const char *const *inputs; /* input names, for the record                          */
    size_t n_inputs;
    uint64_t packets; /* totals for the summary                              */
    uint64_t flows;
    const char *command; /* "scan", "bench"                                     */
} eng_report_meta_t;

/* inventory.json: the versioned document described in docs/inventory-schema.md. */
ssf_rc eng_site_write_json(const eng_site_t *s, FILE *f, const eng_report_meta_t *meta);
/* One device object per line, then a summary line. */
ssf_rc eng_site_write_ndjson(const eng_site_t *s, FILE *f, const eng_report_meta_t *meta);
/* The human table. width is the terminal width (0: 120). */
ssf_rc eng_site_write_table(const eng_site_t *s, FILE *f, int width);
/* The evidence trail for the devices matching an IP or MAC, naming input files from meta (may
 * be NULL); false if none matched. */
bool eng_site_write_explain(const eng_site_t *s, FILE *f, const char *ip_or_mac,
                            const eng_report_meta_t *meta);

#endif
