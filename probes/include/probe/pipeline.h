/* probe/pipeline.h - the reader side fans frames out to N workers by a symmetric flow hash.
 *
 * Worker 0 runs inline in the reader's thread: its share of the frames is processed where it
 * was read, with no ring and no copy, so -j 1 is a single thread and -j N runs N busy threads,
 * not N+1 (on a 2-core machine that is the difference between scaling and not). Workers 1..N-1
 * each run in their own thread behind a bounded SPSC ring into which the reader copies frames
 * (capture buffers are only valid until the next read), or only points at them when the caller
 * promises they stay put (frames_stable). Both directions of a flow always reach
 * the same worker, so workers share nothing. */
#ifndef PROBE_PIPELINE_H
#define PROBE_PIPELINE_H

#include "probe/worker.h"

typedef struct probe_pipeline probe_pipeline_t;

typedef struct probe_pipeline_cfg {
    int n_workers;             /* >= 1                                                  */
    size_t ring_bytes;         /* per worker; 0 = 8 MiB                                  */
    probe_worker_cfg_t worker; /* template; id and flow_memory are set per worker        */
    size_t flow_memory_total;  /* split evenly across workers                            */
    /* The caller keeps every pushed frame's bytes valid and unchanged until
     * probe_pipeline_finish() returns (bench replays a capture held in memory): the rings then
     * carry a pointer to the frame instead of a copy. Capture buffers are reused at the next
     * read, so a live or file scan leaves this false. */
    bool frames_stable;
    /* With n > 1, by default the reader hands buckets of the flow hash space to workers as the
     * buckets fall idle, each to the worker furthest below its share of the recent frames.
     * Worker 0, inline in the reader, starts at (1 - (n-1)/10)/n (0.45 with two workers) and
     * takes more while another worker's ring stays over half full, so which worker gets a new
     * flow depends on how fast each keeps up. A fraction in (0, 1) instead fixes the split by
     * hash, the same on every run: worker 0 takes that share of the hash space, the others the
     * rest in equal parts. */
    double inline_share;
} probe_pipeline_cfg_t;

/* Creates the workers one after another (nDPI's set-up is not re-entrant) and starts their
 * threads. NULL and *err on failure. */
probe_pipeline_t *probe_pipeline_new(const probe_pipeline_cfg_t *cfg, ssf_err *err);
/* Hands one frame to its worker; blocks while that worker's ring is full. Reader thread only. */
void probe_pipeline_push(probe_pipeline_t *p, const probe_frame_t *f);
/* No frame is waiting (live capture is quiet): worker 0, which runs in the reader's thread,
 * sends what it has queued. Workers with threads flush themselves when idle. */
void probe_pipeline_idle(probe_pipeline_t *p);
/* End of input: workers drain, flush their flows and say goodbye; threads are joined. */
void probe_pipeline_finish(probe_pipeline_t *p);
/* Sums the workers' stats into *sum. Call after finish. */
void probe_pipeline_stats(const probe_pipeline_t *p, probe_worker_stats_t *sum);
/* Times the reader waited on a full ring. */
uint64_t probe_pipeline_reader_waits(const probe_pipeline_t *p);
/* Worker 0's share of the frames: the split's target where it started, where it ended and the
 * most it reached (all equal for one worker or a fixed split), and the share it took; and the
 * wall time the reader spent waiting on full rings, and the threaded workers together on empty
 * ones. Call after finish. */
typedef struct probe_pipeline_split {
    double start, end, peak;
    double taken;
    uint64_t reader_wait_ns, idle_ns;
} probe_pipeline_split_t;
void probe_pipeline_split(const probe_pipeline_t *p, probe_pipeline_split_t *out);
void probe_pipeline_free(probe_pipeline_t **p);

#endif
