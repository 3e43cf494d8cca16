/* probe/pipeline.h - the reader side fans frames out to N workers by a symmetric flow hash.
 *
 * With one worker the reader calls it directly: a single thread, no ring, no copy. With more,
 * each worker runs in its own thread behind a bounded SPSC ring into which the reader copies
 * frames (capture buffers are only valid until the next read). Both directions of a flow
 * always reach the same worker, so workers share nothing. */
#ifndef PROBE_PIPELINE_H
#define PROBE_PIPELINE_H

#include "probe/worker.h"

typedef struct probe_pipeline probe_pipeline_t;

typedef struct probe_pipeline_cfg {
    int n_workers;               /* >= 1                                                  */
    size_t ring_bytes;           /* per worker; 0 = 8 MiB                                  */
    probe_worker_cfg_t worker;   /* template; id and flow_memory are set per worker        */
    size_t flow_memory_total;    /* split evenly across workers                            */
} probe_pipeline_cfg_t;

/* Creates the workers one after another (nDPI's set-up is not re-entrant) and starts their
 * threads. NULL and *err on failure. */
probe_pipeline_t *probe_pipeline_new(const probe_pipeline_cfg_t *cfg, ssf_err *err);
/* Hands one frame to its worker; blocks while that worker's ring is full. Reader thread only. */
void probe_pipeline_push(probe_pipeline_t *p, const probe_frame_t *f);
/* End of input: workers drain, flush their flows and say goodbye; threads are joined. */
void probe_pipeline_finish(probe_pipeline_t *p);
/* Sums the workers' stats into *sum. Call after finish. */
void probe_pipeline_stats(const probe_pipeline_t *p, probe_worker_stats_t *sum);
/* Times the reader waited on a full ring. */
uint64_t probe_pipeline_reader_waits(const probe_pipeline_t *p);
void probe_pipeline_free(probe_pipeline_t **p);

#endif
