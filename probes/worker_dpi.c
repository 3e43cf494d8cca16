/* nDPI 4.2 classification: each flow is offered to nDPI until it has named the application
 * and has nothing more to dissect, or until it gives up; after that the flow only counts. */
#include "worker_internal.h"

#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

/* nDPI allocates internally (host names, certificates). Counting per thread lets the bench
 * report how often that happens on the packet path, which is not ours to prevent. */
static _Thread_local uint64_t dpi_allocs;

static void *dpi_malloc(size_t n)
{
    dpi_allocs++;
    return malloc(n);
}

size_t wk_dpi_flow_size(void)
{
    return ndpi_detection_get_sizeof_ndpi_flow_struct();
}

ssf_rc wk_dpi_init(probe_worker_t *w, ssf_err *err)
{
    set_ndpi_malloc(dpi_malloc);
    set_ndpi_flow_malloc(dpi_malloc);
    w->ndpi = ndpi_init_detection_module(ndpi_no_prefs);
    if (!w->ndpi) return ssf_err_set(err, SSF_ENOMEM, NULL, 0, "nDPI initialisation failed");
    NDPI_PROTOCOL_BITMASK all;
    NDPI_BITMASK_SET_ALL(all);
    ndpi_set_protocol_detection_bitmask2(w->ndpi, &all);
    ndpi_finalize_initialization(w->ndpi);
    return SSF_OK;
}

void wk_dpi_free(probe_worker_t *w)
{
    if (w->ndpi) ndpi_exit_detection_module(w->ndpi);
    w->ndpi = NULL;
}

static bool dpi_named(const ndpi_protocol *p)
{
    return p->app_protocol != NDPI_PROTOCOL_UNKNOWN || p->master_protocol != NDPI_PROTOCOL_UNKNOWN;
}

/* An empty TCP segment that opens or closes nothing teaches a dissector nothing; nDPI still
 * spends ~100 ns on it. Handshake and teardown segments are kept for its state tracking. */
static bool dpi_worthless(const probe_pkt_t *pkt)
{
    return pkt->l4_proto == IPPROTO_TCP && pkt->payload_len == 0 && !(pkt->tcp_flags & 0x07);
}

void wk_dpi_packet(probe_worker_t *w, probe_flow_t *f, const probe_pkt_t *pkt)
{
    wk_flow_t *wf = wk_flow(f);
    if (dpi_worthless(pkt)) {
        w->st.dpi_skipped_acks++;
        return;
    }
    struct ndpi_flow_struct *nf = wk_ndpi_flow(f);
    uint64_t before = dpi_allocs;
    /* nDPI takes a 16-bit length; an IP packet cannot be longer anyway. */
    uint16_t len = pkt->l3_len > 0xffff ? 0xffff : (uint16_t)pkt->l3_len;
    wf->proto = ndpi_detection_process_packet(w->ndpi, nf, pkt->l3, len, pkt->ts_us / 1000);
    w->st.dpi_packets++;
    wf->dpi_pkts++;
    if (dpi_named(&wf->proto) && !wf->dpi_detected) {
        wf->dpi_detected = 1;
        w->st.dpi_detected++;
    }
    if ((wf->dpi_detected && !ndpi_extra_dissection_possible(w->ndpi, nf)) ||
        wf->dpi_pkts >= WK_DPI_EXTRA_MAX)
        wf->dpi_done = 1;
    else if (!wf->dpi_detected && wf->dpi_pkts >= WK_DPI_MAX_PKTS)
        wk_dpi_end(w, f);
    wf->risk |= nf->risk;
    w->st.dpi_allocs += dpi_allocs - before;
}

void wk_dpi_end(probe_worker_t *w, probe_flow_t *f)
{
    wk_flow_t *wf = wk_flow(f);
    struct ndpi_flow_struct *nf = wk_ndpi_flow(f);
    if (wf->dpi_final) return;
    wf->dpi_final = 1;
    wf->dpi_done = 1;
    if (!wf->dpi_detected) {
        uint8_t guessed = 0;
        wf->proto = ndpi_detection_giveup(w->ndpi, nf, 1, &guessed);
        w->st.dpi_giveup++;
    }
    wf->risk |= nf->risk;
}

void wk_dpi_release(probe_flow_t *f)
{
    ndpi_free_flow_data(wk_ndpi_flow(f));
}

#if NDPI_MAJOR == 4 && NDPI_MINOR == 2
/* nDPI 4.2 offers each packet to every dissector after two calls of this helper (declared in
 * ndpi_main.h): is the dissector excluded for the flow, does it apply to what is detected so
 * far. Its body walks the two 64-byte masks 32 bits at a time, ~44 instructions a call, and
 * ndpi-mix makes 1.3 million calls per pass: 13% of the one-thread packet path. libndpi calls
 * it through its PLT, so this definition preempts the library's, as jemalloc's malloc preempts
 * libc's: same contract (non-zero when the masks share a bit), 64 bits a step. The version
 * guard keeps it off any other nDPI; tests/unit/test_dpi.c checks it against libndpi's own. */
int NDPI_BITMASK_COMPARE(NDPI_PROTOCOL_BITMASK a, NDPI_PROTOCOL_BITMASK b)
{
    _Static_assert(sizeof a.fds_bits % 8 == 0, "mask is whole 64-bit words");
    uint64_t acc = 0;
#pragma GCC unroll 8
    for (size_t i = 0; i < sizeof a.fds_bits / 8; i++) {
        uint64_t x, y;
        memcpy(&x, (const uint8_t *)a.fds_bits + 8 * i, 8);
        memcpy(&y, (const uint8_t *)b.fds_bits + 8 * i, 8);
        acc |= x & y;
    }
    return acc != 0;
}
#endif
