/* fuzz_ev_watch.c - libFuzzer target for the plant protocols' watch predicates
 * (probe_ev_<proto>_watch): any bytes, never a read past n (ASan), and the same answer twice.
 * A predicate that says true must also leave the extractor within its contract, since the
 * worker runs it on exactly those payloads. */
#include "probe/evidence.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct {
    bool (*watch)(const uint8_t *p, size_t n);
    ssf_rc (*extract)(const uint8_t *p, size_t n, probe_ev_buf_t *out);
} fuzz_watch_row;

static const fuzz_watch_row rows[] = {
    {probe_ev_modbus_watch, probe_ev_modbus}, {probe_ev_s7_watch, probe_ev_s7},
    {probe_ev_dnp3_watch, probe_ev_dnp3},     {probe_ev_iec104_watch, probe_ev_iec104},
    {probe_ev_enip_watch, probe_ev_enip},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        bool w = rows[i].watch(data, size);
        if (rows[i].watch(data, size) != w) abort();
        if (!w) continue;
        probe_ev_buf_t out = {0};
        ssf_rc rc = rows[i].extract(data, size, &out);
        if (rc != SSF_OK && rc != SSF_EINVAL && rc != SSF_ETRUNC) abort();
        if (out.n > PROBE_EV_BUF_ITEMS) abort();
    }
    return 0;
}
