/* oui_bench - load time and lookup cost of the MAC vendor registry (sig_oui).
 *
 * Usage: oui_bench [IEEE_DIR] [--loads N] [--lookups N]
 * Loads the registry N times and reports the median load, then times lookups over a fixed mix
 * of known, nested-block and unknown addresses. */
#include "sig/oui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Median of n load times, in ns. Returns 0 on a load failure after printing why. */
static uint64_t median_load_ns(const char *dir, int n)
{
    uint64_t *t = calloc((size_t)n, sizeof *t);
    uint64_t med = 0;
    if (!t) return 0;
    for (int i = 0; i < n; i++) {
        ssf_err err = {0};
        uint64_t t0 = ssf_now_ns();
        sig_oui_t *o = sig_oui_new(dir, &err);
        t[i] = ssf_now_ns() - t0;
        if (!o) {
            fprintf(stderr, "oui_bench: %s\n", err.msg);
            goto out_free_times;
        }
        sig_oui_free(&o);
    }
    qsort(t, (size_t)n, sizeof *t, cmp_u64);
    med = t[n / 2];
out_free_times:
    free(t);
    return med;
}

/* Addresses spread over the key space: a cheap LCG keeps them out of the cache's favour. */
static void make_macs(uint8_t (*macs)[6], size_t n)
{
    static const uint8_t fixed[][3] = {
        {0x00, 0x0e, 0x8c}, {0x00, 0x40, 0x8c}, {0x70, 0xb3, 0xd5}, {0x00, 0x50, 0xc2}};
    uint32_t x = 12345;
    for (size_t i = 0; i < n; i++) {
        x = x * 1103515245u + 12345u;
        for (int b = 0; b < 6; b++)
            macs[i][b] = (uint8_t)(x >> (b * 4));
        macs[i][0] &= 0xfc; /* universally administered, unicast: the path that searches */
        if (i % 4 == 0) memcpy(macs[i], fixed[(i / 4) % SSF_ARRAY_LEN(fixed)], 3);
    }
}

int main(int argc, char **argv)
{
    const char *dir = SSF_IEEE_DIR;
    int loads = 21;
    long lookups = 10000000;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--loads") == 0 && i + 1 < argc)
            loads = atoi(argv[++i]);
        else if (strcmp(argv[i], "--lookups") == 0 && i + 1 < argc)
            lookups = atol(argv[++i]);
        else
            dir = argv[i];
    }
    if (loads < 1 || lookups < 1) return 2;
    uint64_t load_ns = median_load_ns(dir, loads);
    if (!load_ns) return 1;

    ssf_err err = {0};
    sig_oui_t *o = sig_oui_new(dir, &err);
    enum { NMAC = 4096 };
    static uint8_t macs[NMAC][6];
    make_macs(macs, NMAC);
    size_t found = 0;
    uint64_t t0 = ssf_now_ns();
    for (long i = 0; i < lookups; i++)
        found += sig_oui_lookup(o, macs[i & (NMAC - 1)]) != NULL;
    uint64_t dt = ssf_now_ns() - t0;
    sig_oui_stats_t st;
    sig_oui_stats(o, &st);
    printf("blocks=%zu (24-bit %zu, 28-bit %zu, 36-bit %zu) malformed=%zu duplicates=%zu\n",
           sig_oui_count(o), st.l24, st.m28, st.s36, st.malformed, st.duplicates);
    printf("load_ms=%.2f (median of %d)\n", (double)load_ns / 1e6, loads);
    printf("lookup_ns=%.1f (%ld lookups, %.0f%% found)\n", (double)dt / (double)lookups, lookups,
           100.0 * (double)found / (double)lookups);
    sig_oui_free(&o);
    return 0;
}
