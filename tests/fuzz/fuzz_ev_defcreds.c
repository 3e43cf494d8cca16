/* fuzz_ev_defcreds.c - libFuzzer target for the stateful login extractors (issue 4, default
 * credentials): one flow's payloads in turn, sharing one probe_ev_cred_t, as the worker feeds
 * them. The first byte picks the extractor; then each payload is a length byte and that many
 * bytes. Contract: that of fuzz_ev.h for every payload, and a remembered row within the table. */
#include "probe/evidence.h"
#include "sig/defcreds.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef ssf_rc (*fuzz_st_fn)(const uint8_t *p, size_t n, probe_ev_cred_t *st, probe_ev_buf_t *out);

static void fuzz_check(ssf_rc rc, const probe_ev_buf_t *out, const probe_ev_cred_t *st)
{
    if (rc != SSF_OK && rc != SSF_EINVAL && rc != SSF_ETRUNC) abort();
    if (out->n > PROBE_EV_BUF_ITEMS || st->tried > sig_defcred_count()) abort();
    for (size_t i = 0; i < out->n; i++) {
        const probe_ev_t *it = &out->items[i];
        if (!it->len || it->len >= PROBE_EV_VALUE_MAX || it->value[it->len]) abort();
        for (size_t k = 0; k < it->len; k++)
            if (it->value[k] < 0x20 || it->value[k] >= 0x7f) abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const fuzz_st_fn fns[] = {probe_ev_http_st, probe_ev_ftp_st, probe_ev_pop_st,
                                     probe_ev_imap_st, probe_ev_mqtt_st};
    if (size < 1) return 0;
    fuzz_st_fn fn = fns[data[0] % (sizeof fns / sizeof *fns)];
    probe_ev_cred_t st = {{0, 0}, 0};
    size_t at = 1;
    while (at < size) {
        size_t n = data[at++];
        if (n > size - at) n = size - at;
        /* An exact-size copy, so ASan sees a read past n. */
        uint8_t *p = malloc(n ? n : 1);
        if (!p) return 0;
        for (size_t i = 0; i < n; i++)
            p[i] = data[at + i];
        probe_ev_buf_t out = {0};
        ssf_rc rc = fn(p, n, &st, &out);
        free(p);
        fuzz_check(rc, &out, &st);
        at += n;
    }
    return 0;
}
