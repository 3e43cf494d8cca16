/* fuzz_sig_rules.c - libFuzzer target for the rule parser, compiler and matcher.
 *
 * The input is a rules file. Whatever it holds, loading, compiling, checking examples and
 * matching must not crash, leak or read out of bounds, every diagnostic must be a short
 * NUL-terminated line, and every expanded output must be NUL-terminated within SIG_OUT_MAX. */
#include <stdlib.h>

#include "sig/rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const fz_fields[] = {"http.server", "snmp.sysdescr", "mac.vendor",
                                        "service.served"};

static void fz_diag(void *ud, const char *file, unsigned line, const char *msg)
{
    (void)line;
    size_t *n = ud;
    if (!file || !msg || strlen(msg) >= 512 || strchr(msg, '\n')) abort();
    (*n)++;
}

static void fz_each(void *ud, const sig_rule_t *r)
{
    size_t *n = ud;
    if (sig_rule_weight(r) < 1 || sig_rule_weight(r) > 100 || !*sig_rule_id(r)) abort();
    *n += strlen(sig_rule_fields(r)) + strlen(sig_rule_desc(r));
    for (int o = 0; o < SIG_OUT_COUNT; o++)
        *n += strlen(sig_rule_output(r, (sig_out)o));
}

static void fz_match(const sig_set_t *s, sig_scratch_t *sc, const char *v, size_t len)
{
    sig_match_t m[4];
    for (size_t f = 0; f < SSF_ARRAY_LEN(fz_fields); f++) {
        size_t n = sig_set_match(s, sc, fz_fields[f], v, len, m, 4);
        if (n > 4) abort();
        for (size_t i = 0; i < n; i++)
            for (int o = 0; o < SIG_OUT_COUNT; o++)
                if (!memchr(m[i].out[o], 0, SIG_OUT_MAX)) abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 8192) return 0; /* Hyperscan compile time grows with pattern size, not bugs */
    size_t diags = 0;
    sig_set_t *s = sig_set_new(fz_fields, SSF_ARRAY_LEN(fz_fields));
    if (!s) return 0;
    sig_set_add_text(s, "fuzz.rules", (const char *)data, size, fz_diag, &diags);
    if (sig_set_compile(s, fz_diag, &diags) != SSF_ENOMEM) {
        size_t n = 0, sum = 0;
        sig_set_check_examples(s, fz_diag, &diags, &n);
        sig_set_each(s, fz_each, &sum);
        sig_set_stats_t st = sig_set_stats(s);
        if (n > st.examples) abort();
        sig_scratch_t *sc = sig_scratch_new(s);
        if (sc) {
            /* the input itself, and its tail, as values: patterns often match their own text */
            fz_match(s, sc, (const char *)data, size < 192 ? size : 192);
            if (size > 64) fz_match(s, sc, (const char *)data + size - 64, 64);
            sig_scratch_free(&sc);
        }
    }
    sig_set_free(&s);
    return 0;
}
