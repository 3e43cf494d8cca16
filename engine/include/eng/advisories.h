/* eng/advisories.h - CSAF advisories matched against the site's devices (docs/advisories.md). */
#ifndef ENG_ADVISORIES_H
#define ENG_ADVISORIES_H

#include "eng/site.h"
#include "sig/csaf.h"

/* The advisory index finalize matches devices against; NULL (the default): none. The index
 * must outlive the site's reports. */
void eng_site_set_advisories(eng_site_t *s, const sig_csaf_index_t *ix);

/* Nanoseconds spent matching, and devices matched (with vendor and model), in finalize. */
void eng_site_advisory_stats(const eng_site_t *s, uint64_t *ns, size_t *devices);

#endif
