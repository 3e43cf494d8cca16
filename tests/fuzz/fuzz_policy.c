/* fuzz_policy.c - libFuzzer target for the site policy parser.
 *
 * The input is a policy file. Whatever it holds, parsing must not crash, leak or read out of
 * bounds; every diagnostic must be one short line naming FILE:LINE within the input; a file
 * that parses must have entries whose selectors all match without fault. */
#include <stdio.h>
#include <stdlib.h>

#include "eng/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct {
    size_t n, lines;
} fz_ctx_t;

static void fz_diag(void *ud, const ssf_err *e)
{
    fz_ctx_t *c = ud;
    if (!e->file || strcmp(e->file, "fuzz.policy") || e->line == 0 || e->line > c->lines ||
        strlen(e->msg) >= sizeof e->msg || strchr(e->msg, '\n') ||
        strncmp(e->msg, "fuzz.policy:", 12))
        abort();
    c->n++;
}

static void fz_walk(const eng_policy_t *p)
{
    static const uint8_t mac[6] = {0x00, 0x0e, 0x8c, 0x10, 0x20, 0x30};
    static const uint16_t vlans[2] = {100, 7};
    ssf_addr ip;
    if (!ssf_addr_parse("10.20.1.5", &ip)) abort();
    eng_policy_host_t h = {mac, &ip, vlans, 2};
    for (int k = 0; k < ENG_POL_KIND_COUNT; k++)
        for (size_t i = 0; i < eng_policy_count(p, (eng_pol_kind)k); i++) {
            const eng_policy_entry_t *e = eng_policy_entry(p, (eng_pol_kind)k, i);
            if (!e || e->human > 4 || e->economic > 4 || !memchr(e->name, 0, ENG_POL_NAME_MAX))
                abort();
            if (eng_policy_match(p, e, &h) > 300) abort();
        }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_ctx_t c = {0, 1};
    for (size_t i = 0; i < size; i++)
        c.lines += data[i] == '\n';
    ssf_err err = {0};
    eng_policy_t *p = eng_policy_parse("fuzz.policy", (const char *)data, size, fz_diag, &c, &err);
    if (!p != (c.n > 0)) abort();
    if (p) fz_walk(p);
    eng_policy_free(&p);
    return 0;
}
