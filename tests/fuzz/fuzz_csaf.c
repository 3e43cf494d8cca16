/* fuzz_csaf.c - libFuzzer target for the CSAF reader (signatures/csaf.c).
 *
 * The input is one advisory document: json-c parses arbitrary bytes, then the product-tree and
 * vulnerability walk runs on whatever came out. Nothing may crash, leak or read out of bounds;
 * a rejected document must say why; an accepted one is then matched against a few identities
 * and its results must be well formed. The first bytes also serve as a version range. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sig/csaf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fz_check(const sig_csaf_match_t *m, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!m[i].id || !m[i].title || !m[i].product || !m[i].versions || !m[i].cves ||
            !m[i].matched_on)
            abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sig_csaf_index_t *ix = sig_csaf_index_empty();
    if (!ix) return 0;
    const char *why = NULL;
    ssf_rc rc = sig_csaf_index_add(ix, "fuzz.json", (const char *)data, size, &why);
    if (rc != SSF_OK && !why) abort();
    static const char *const ids[][3] = {
        {"Siemens", "6ES7 211-1BE31-0XB0", "V3.0"}, {"a", "b", NULL}, {"Acme AG", "PLC-9", "1.x"}};
    sig_csaf_match_t m[4];
    /* Both paths: the pass over a vendor's products, then the token index. */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < sizeof ids / sizeof *ids; i++) {
            size_t n = sig_csaf_match(ix, ids[i][0], ids[i][1], ids[i][2], m, 4);
            fz_check(m, n < 4 ? n : 4);
        }
        if (sig_csaf_index_finish(ix) != SSF_OK) break;
    }
    sig_csaf_index_free(&ix);
    char r[128];
    size_t n = size < sizeof r - 1 ? size : sizeof r - 1;
    memcpy(r, data, n);
    r[n] = 0;
    int in = sig_csaf_version_in(r, "V3.0.1");
    if (in < -1 || in > 1) abort();
    (void)sig_csaf_model_eq(r, "6ES7 211-1BE31-0XB0");
    return 0;
}
