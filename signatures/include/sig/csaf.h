/* sig/csaf.h - CSAF 2.0 security advisories: an index of affected products, matched against a
 * device's inferred vendor, model (or order number) and firmware (docs/advisories.md). */
#ifndef SIG_CSAF_H
#define SIG_CSAF_H

#include "ssf/common.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct sig_csaf_index sig_csaf_index_t;

/* Called once per file that cannot be used, with the reason; the file is skipped. */
typedef void (*sig_csaf_diag_fn)(void *ud, const char *file, const char *reason);

/* Loads every *.json under dir (recursively). NULL only when dir cannot be read at all or
 * memory runs out (*err says which); bad files go to diag and are skipped. */
sig_csaf_index_t *sig_csaf_index_new(const char *dir, sig_csaf_diag_fn diag, void *ud,
                                     ssf_err *err);
/* An empty index, for callers that add documents themselves (tests, the fuzzer). */
sig_csaf_index_t *sig_csaf_index_empty(void);
/* Adds one advisory document held in memory; SSF_EINVAL (with *reason) when it is not a
 * CSAF document this reader can use. */
ssf_rc sig_csaf_index_add(sig_csaf_index_t *ix, const char *name, const char *buf, size_t len,
                          const char **reason);
/* Builds the token index after sig_csaf_index_add calls (sig_csaf_index_new does it itself);
 * without it matching still works, by a pass over the vendor's products. */
ssf_rc sig_csaf_index_finish(sig_csaf_index_t *ix);
void sig_csaf_index_free(sig_csaf_index_t **ix);
size_t sig_csaf_index_advisories(const sig_csaf_index_t *ix);
size_t sig_csaf_index_products(const sig_csaf_index_t *ix);

/* One affected product of one advisory that a device matches. Strings belong to the index. */
typedef struct sig_csaf_match {
    const char *id, *title, *file;
    const char *vendor, *product, *versions; /* as the advisory writes them; versions may be "" */
    const char *matched_on;                  /* "model number", "product name", "family"      */
    const char *cves;                        /* "CVE-2019-10943, CVE-..."                      */
    double score;                            /* highest CVSS v3 base score, -1 when none       */
    const char *remediation, *url;           /* first vendor_fix; NULL when none               */
} sig_csaf_match_t;

/* Fills up to max matches (one per advisory: its first matching product) and returns how many
 * there are in all. vendor and model are required; firmware may be NULL, and then only
 * products listed for all versions match. */
size_t sig_csaf_match(const sig_csaf_index_t *ix, const char *vendor, const char *model,
                      const char *firmware, sig_csaf_match_t *out, size_t max);

/* The pieces, exposed for tests. */
/* 1 inside, 0 outside, -1 when the range text cannot be read. */
int sig_csaf_version_in(const char *range, const char *version);
/* Order or model numbers: spaces ignored, case folded, trailing '*' or x's in the pattern are
 * wildcards ("6ES7 211-1*", "6ES7211-1BE31-0XB0"). */
bool sig_csaf_model_eq(const char *pattern, const char *model);
/* Vendor names folded: case, punctuation and legal suffixes ("Siemens AG" ~ "siemens"). */
bool sig_csaf_vendor_eq(const char *a, const char *b);

#endif
