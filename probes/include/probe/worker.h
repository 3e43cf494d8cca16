/* probe/worker.h - one packet-processing worker: decode, flow table, nDPI, identity evidence.
 *
 * A worker owns everything it touches on the packet path (flow table, nDPI module, TLS
 * reassembly buffers, dedup cache), all allocated by probe_worker_new(); processing a frame
 * allocates nothing of ours (nDPI's internal allocations are counted in the stats). It sends
 * observations to the engine through a coll/link.h sender. Create workers one at a time:
 * nDPI's module set-up must not run in parallel. Afterwards a worker is used by one thread. */
#ifndef PROBE_WORKER_H
#define PROBE_WORKER_H

#include "probe/capture.h"
#include "probe/decode.h"

typedef struct probe_worker probe_worker_t;

typedef struct probe_worker_cfg {
    uint16_t id;              /* probe id carried in observations                       */
    size_t flow_memory;       /* bytes for this worker's flow table                     */
    uint64_t idle_timeout_us; /* flow idle timeout                                      */
    uint64_t abs_timeout_us;  /* flow absolute timeout                                  */
    uint64_t report_every_us; /* long flows report counters this often (capture time)   */
    void *zctx;               /* ZeroMQ context                                         */
    const char *endpoint;     /* where the engine's receiver is bound                   */
    bool stage_timing;        /* measure per-stage cycles (bench)                       */
} probe_worker_cfg_t;

enum { PROBE_STAGE_DECODE, PROBE_STAGE_FLOW, PROBE_STAGE_DPI, PROBE_STAGE_IDENT, PROBE_STAGE_N };

/* How long after its last packet an idle-ended conversation may still resume (see
 * worker_resume.c). Hosts give up on a silent TCP connection within hours (Linux keepalive:
 * 2 h idle, then 9 probes); a day bounds how stale a remembered verdict can be while still
 * covering PLCs polled every few hours. bench spaces its loops further apart than this. */
#define PROBE_RESUME_HORIZON_US (24ull * 3600 * 1000000)

/* How long a flow key must stay silent before a worker keeps nothing of it: neither the flow
 * (idle timeout) nor a conversation to resume (horizon), whichever lasts longer. */
static inline uint64_t probe_worker_forget_us(const probe_worker_cfg_t *cfg)
{
    uint64_t idle = cfg->idle_timeout_us;
    return idle > PROBE_RESUME_HORIZON_US ? idle : PROBE_RESUME_HORIZON_US;
}

typedef struct probe_worker_stats {
    uint64_t packets, bytes; /* frames handed to the worker, wire bytes             */
    uint64_t truncated;      /* frames too short for their link header             */
    uint64_t non_ip;         /* frames without IP (ARP included)                   */
    uint64_t arp;
    uint64_t frag_first, frag_later; /* IP fragments: first ones are used, later skipped   */
    uint64_t anomalies[32];          /* per PROBE_ANOM_* bit                              */
    uint64_t flows_created, flows_evicted, flows_expired, flows_active_peak;
    uint64_t flow_capacity;
    uint64_t flows_resumed;               /* flows that resumed an idle-ended conversation     */
    uint64_t dpi_packets;                 /* packets given to nDPI                              */
    uint64_t dpi_skipped_acks;            /* empty TCP ACKs not given to nDPI                   */
    uint64_t dpi_detected;                /* flows nDPI classified                              */
    uint64_t dpi_giveup;                  /* flows nDPI gave up on                              */
    uint64_t dpi_allocs;                  /* allocations nDPI made internally                   */
    uint64_t ident_packets;               /* payloads given to identity extractors             */
    uint64_t evidence;                    /* evidence observations sent                         */
    uint64_t evidence_dedup;              /* evidence already sent, suppressed                  */
    uint64_t tls_reasm_nobuf;             /* TLS streams not reassembled: buffer pool empty    */
    uint64_t tls_reasm_gap;               /* TLS streams abandoned: out-of-order segment        */
    uint64_t obs_sent, obs_failed;        /* observations to the engine                         */
    uint64_t stage_cycles[PROBE_STAGE_N]; /* with stage_timing                             */
    uint64_t thread_cpu_ns;               /* CPU time of the worker's own thread (if it has one) */
} probe_worker_stats_t;

probe_worker_t *probe_worker_new(const probe_worker_cfg_t *cfg, ssf_err *err);
void probe_worker_free(probe_worker_t **w);

/* Processes one frame. */
void probe_worker_frame(probe_worker_t *w, const probe_frame_t *f);
/* The same for a frame the caller has already decoded (rc and pkt from probe_decode()), so
 * the reader does not decode a frame twice when it keeps it for its own inline worker. */
void probe_worker_decoded(probe_worker_t *w, const probe_frame_t *f, ssf_rc rc,
                          const probe_pkt_t *pkt);
/* Sends queued observations now; call when no frames are waiting. */
void probe_worker_idle(probe_worker_t *w);
/* Ends every flow (reporting each), then says goodbye to the engine. */
void probe_worker_finish(probe_worker_t *w);
void probe_worker_stats(const probe_worker_t *w, probe_worker_stats_t *out);

/* Adds b into a (all counters; peaks take the max). */
void probe_worker_stats_add(probe_worker_stats_t *a, const probe_worker_stats_t *b);

#endif
