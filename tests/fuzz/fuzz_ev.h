/* fuzz_ev.h - the contract every identity extractor is fuzzed against: any bytes, never a read
 * past n (ASan), a known return code, and an item list within its bounds, NUL-terminated and
 * printable. Each fuzz_ev_<proto>.c defines FUZZ_EV_FN and includes this. */
#ifndef FUZZ_EV_H
#define FUZZ_EV_H

#include "probe/evidence.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    probe_ev_buf_t out = {0};
    ssf_rc rc = FUZZ_EV_FN(data, size, &out);
    if (rc != SSF_OK && rc != SSF_EINVAL && rc != SSF_ETRUNC) abort();
    if (out.n > PROBE_EV_BUF_ITEMS) abort();
    for (size_t i = 0; i < out.n; i++) {
        const probe_ev_t *it = &out.items[i];
        if (!it->len || it->len >= PROBE_EV_VALUE_MAX || it->value[it->len]) abort();
        for (size_t k = 0; k < it->len; k++)
            if (it->value[k] < 0x20 || it->value[k] >= 0x7f) abort();
    }
    return 0;
}

#endif
