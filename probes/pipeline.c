#include "probe/pipeline.h"

#include "probe/decode.h"
#include "ssf/ring.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define PL_PUBLISH_EVERY 32 /* records per ring between publishes (one cache-line handoff) */
#define PL_RELEASE_EVERY 64 /* records a worker consumes between releases                  */

typedef struct {
    uint64_t ts_us;
    uint64_t frame_no;
    uint32_t caplen, wirelen;
    int32_t dlt;
    uint16_t source;
    uint16_t pad;
} pl_rec;

typedef struct {
    probe_worker_t *w;
    ssf_ring_t *ring;
    pthread_t thread;
    bool started;
    unsigned pending;          /* records committed but not yet published */
    struct probe_pipeline *pl; /* owner, for the thread's name */
    uint64_t cpu_ns;           /* the worker thread's CPU time */
} pl_slot;

struct probe_pipeline {
    int n;
    pl_slot *slots;
    uint64_t reader_waits;
    bool finished;
};

static void *pl_worker_main(void *arg)
{
    pl_slot *s = arg;
    char name[16];
    snprintf(name, sizeof name, "ssf-worker-%u", (unsigned)(s - s->pl->slots));
    pthread_setname_np(pthread_self(), name);
    struct timespec t0, t1;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
    unsigned spins = 0, consumed = 0;
    for (;;) {
        size_t len;
        bool closed;
        const pl_rec *r = ssf_ring_peek(s->ring, &len, &closed);
        if (!r) {
            ssf_ring_release_publish(s->ring);
            if (closed) break;
            if (spins == 0) probe_worker_idle(s->w);
            ssf_ring_backoff(&spins);
            continue;
        }
        spins = 0;
        /* The reader wrote these bytes on another core; start pulling the next record's lines
         * over while this one is processed. */
        for (size_t off = 0; off < 512; off += 64)
            __builtin_prefetch((const uint8_t *)(r + 1) + len + off);
        probe_frame_t f = {(const uint8_t *)(r + 1),
                           r->caplen,
                           r->wirelen,
                           r->ts_us,
                           r->frame_no,
                           r->dlt,
                           r->source};
        probe_worker_frame(s->w, &f);
        ssf_ring_release(s->ring);
        if (++consumed % PL_RELEASE_EVERY == 0) ssf_ring_release_publish(s->ring);
    }
    probe_worker_finish(s->w);
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t1);
    s->cpu_ns = (uint64_t)(t1.tv_sec - t0.tv_sec) * 1000000000u + (uint64_t)t1.tv_nsec -
                (uint64_t)t0.tv_nsec;
    return NULL;
}

static ssf_rc pl_start(probe_pipeline_t *p, const probe_pipeline_cfg_t *cfg, ssf_err *err)
{
    size_t ring_bytes = cfg->ring_bytes ? cfg->ring_bytes : (size_t)8 << 20;
    for (int i = 0; i < p->n; i++) {
        p->slots[i].pl = p;
        probe_worker_cfg_t wc = cfg->worker;
        wc.id = (uint16_t)i;
        wc.flow_memory = cfg->flow_memory_total / (size_t)p->n;
        if (!(p->slots[i].w = probe_worker_new(&wc, err))) return err->rc;
        if (i == 0) continue; /* worker 0 runs inline in the reader's thread */
        if (!(p->slots[i].ring = ssf_ring_new(ring_bytes)))
            return ssf_err_set(err, SSF_ENOMEM, NULL, 0, "out of memory for packet rings");
    }
    for (int i = 1; i < p->n; i++) {
        if (pthread_create(&p->slots[i].thread, NULL, pl_worker_main, &p->slots[i]) != 0)
            return ssf_err_set(err, SSF_ENOMEM, NULL, 0, "cannot start worker thread %d", i);
        p->slots[i].started = true;
    }
    return SSF_OK;
}

probe_pipeline_t *probe_pipeline_new(const probe_pipeline_cfg_t *cfg, ssf_err *err)
{
    probe_pipeline_t *p = calloc(1, sizeof *p);
    if (!p || cfg->n_workers < 1) {
        ssf_err_set(err, p ? SSF_EINVAL : SSF_ENOMEM, NULL, 0,
                    p ? "need at least one worker" : "out of memory");
        free(p);
        return NULL;
    }
    p->n = cfg->n_workers;
    if (!(p->slots = calloc((size_t)p->n, sizeof *p->slots))) {
        ssf_err_set(err, SSF_ENOMEM, NULL, 0, "out of memory");
        free(p);
        return NULL;
    }
    if (pl_start(p, cfg, err) != SSF_OK) {
        probe_pipeline_finish(p);
        probe_pipeline_free(&p);
        return NULL;
    }
    return p;
}

/* Decodes the frame (into *pkt, *rc) to hash its flow, and picks the worker. */
static int pl_pick(const probe_pipeline_t *p, const probe_frame_t *f, probe_pkt_t *pkt, ssf_rc *rc)
{
    *rc = probe_decode(f->dlt, f->data, f->caplen, f->wirelen, f->ts_us, pkt);
    if (*rc != SSF_OK) return 0;
    /* The reader also dispatches every frame, so its inline worker 0 takes half a share: the
     * hash is mapped onto 2n-1 parts (multiply-shift, no division), one for worker 0 and two
     * for each other worker. */
    uint32_t parts = (uint32_t)(2 * p->n - 1);
    uint32_t part = (uint32_t)(((uint64_t)probe_decode_flow_hash(pkt) * parts) >> 32);
    return part == 0 ? 0 : (int)((part + 1) / 2);
}

void probe_pipeline_push(probe_pipeline_t *p, const probe_frame_t *f)
{
    if (p->n == 1) {
        probe_worker_frame(p->slots[0].w, f);
        return;
    }
    probe_pkt_t pkt;
    ssf_rc rc;
    int k = pl_pick(p, f, &pkt, &rc);
    if (k == 0) {
        probe_worker_decoded(p->slots[0].w, f, rc, &pkt);
        return;
    }
    pl_slot *s = &p->slots[k];
    pl_rec *r;
    unsigned spins = 0;
    while (!(r = ssf_ring_reserve(s->ring, sizeof *r + f->caplen))) {
        ssf_ring_publish(s->ring);
        s->pending = 0;
        p->reader_waits++;
        ssf_ring_backoff(&spins);
    }
    *r = (pl_rec){f->ts_us, f->frame_no, f->caplen, f->wirelen, f->dlt, f->source, 0};
    memcpy(r + 1, f->data, f->caplen);
    ssf_ring_commit(s->ring);
    if (++s->pending >= PL_PUBLISH_EVERY) {
        ssf_ring_publish(s->ring);
        s->pending = 0;
    }
}

void probe_pipeline_idle(probe_pipeline_t *p)
{
    probe_worker_idle(p->slots[0].w);
}

void probe_pipeline_finish(probe_pipeline_t *p)
{
    if (p->finished) return;
    p->finished = true;
    for (int i = 1; i < p->n; i++)
        if (p->slots[i].ring) ssf_ring_close(p->slots[i].ring);
    if (p->slots[0].w) probe_worker_finish(p->slots[0].w);
    for (int i = 1; i < p->n; i++)
        if (p->slots[i].started) pthread_join(p->slots[i].thread, NULL);
}

void probe_pipeline_stats(const probe_pipeline_t *p, probe_worker_stats_t *sum)
{
    memset(sum, 0, sizeof *sum);
    for (int i = 0; i < p->n; i++) {
        probe_worker_stats_t st;
        probe_worker_stats(p->slots[i].w, &st);
        st.thread_cpu_ns = p->slots[i].cpu_ns;
        probe_worker_stats_add(sum, &st);
    }
}

uint64_t probe_pipeline_reader_waits(const probe_pipeline_t *p)
{
    return p->reader_waits;
}

void probe_pipeline_free(probe_pipeline_t **pp)
{
    if (!pp || !*pp) return;
    probe_pipeline_t *p = *pp;
    for (int i = 0; i < p->n; i++) {
        probe_worker_free(&p->slots[i].w);
        ssf_ring_free(&p->slots[i].ring);
    }
    free(p->slots);
    free(p);
    *pp = NULL;
}
