/* Whole worker path on arbitrary frames: decode, flow table, nDPI, identity extractors and
 * observation encoding. The input is a sequence of frames, each a 1-byte link-type selector,
 * a 2-byte length and that many bytes. The worker lives across inputs so flows, TLS
 * reassembly and eviction carry state from one input to the next, as on a real link. */
#include "probe/worker.h"

#include "coll/link.h"

#include <stdlib.h>
#include <zmq.h>

static const int dlts[] = {1, 113, 276, 12, 0, 108, 228, 229};

static probe_worker_t *fuzz_worker(void)
{
    static probe_worker_t *w;
    static coll_receiver_t *rx;
    if (w) return w;
    void *zctx = zmq_ctx_new();
    ssf_err err = {0};
    rx = coll_receiver_new(zctx, "inproc://fuzz", &err);
    /* A small table so eviction runs often; observations are batched and never read, which
     * the receiver's high-water mark absorbs for a fuzzing session. */
    probe_worker_cfg_t cfg = {.flow_memory = 1 << 20,
                              .idle_timeout_us = 5000000,
                              .abs_timeout_us = 60000000,
                              .report_every_us = 1000000,
                              .zctx = zctx,
                              .endpoint = "inproc://fuzz"};
    if (!rx || !(w = probe_worker_new(&cfg, &err))) abort();
    return w;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint64_t ts = 1700000000000000ull;
    probe_worker_t *w = fuzz_worker();
    ssf_cur c = ssf_cur_make(data, size);
    uint8_t sel;
    uint16_t len;
    const uint8_t *frame;
    while (ssf_cur_u8(&c, &sel) && ssf_cur_u16be(&c, &len) && ssf_cur_bytes(&c, len, &frame)) {
        ts += 1000u * (sel >> 4); /* time moves, so timeouts fire too */
        probe_frame_t f = {frame, len, len, ts, 1, dlts[sel & 7], 0};
        probe_worker_frame(w, &f);
    }
    return 0;
}
