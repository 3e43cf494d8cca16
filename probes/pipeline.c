#include "probe/pipeline.h"

#include "pipeline_internal.h"

#include "probe/decode.h"
#include "probe/evidence.h"
#include "ssf/ring.h"

#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PL_PUBLISH_EVERY 32 /* records per ring between publishes (one cache-line handoff) */
#define PL_RELEASE_EVERY 64 /* records a worker consumes between releases                  */
#define PL_BUCKETS_LOG   14 /* buckets of the flow hash space the balanced split assigns    */
/* How the balanced split learns worker 0's share (pl_adapt): at most one step per
 * PL_ADAPT_FRAMES frames, and the frame counts it balances halve every PL_DECAY_FRAMES, so a
 * new share takes hold within a few tens of thousands of frames, however long the run. */
#define PL_ADAPT_FRAMES 1024
#define PL_DECAY_FRAMES (1u << 16)

/* A ring record: the frame's metadata and the reader's decode of it, then the frame's bytes
 * unless the caller keeps them (stable). The reader decodes every frame to pick its worker;
 * handing the summary over spares the worker a second decode. */
typedef struct {
    uint64_t ts_us;
    uint64_t frame_no;
    uint32_t caplen, wirelen;
    int32_t dlt;
    uint16_t source;
    int16_t rc;          /* probe_decode()'s ssf_rc                                        */
    const uint8_t *data; /* the caller's bytes (stable frames), or NULL: they follow       */
    probe_pkt_t pkt;     /* points into data, or into the copy that follows               */
} pl_rec;

/* A TFTP transfer the reader keeps with its request's worker. The request (to port 69) and the
 * transfer (from the server's new port to the requester's) are two flows that hash apart, and
 * only the request's worker holds the expectation that names the transfer
 * (probes/worker_expect.c). */
#define PL_EXPECT_SLOTS 32
#define PL_EXPECT_US    (60ull * 1000000) /* as the worker's: the server answers within it */
typedef struct {
    ssf_addr client, server;
    uint64_t last_us;     /* the request, then the transfer's latest packet; 0: free  */
    uint16_t client_port; /* the requester's                                          */
    uint16_t server_port; /* the transfer's, 0 until the server's first packet          */
    uint16_t vlan;
    uint8_t worker;
} pl_expect;

/* One cache line per slot at least: the reader bumps `pending` on every frame it hands over,
 * and a worker that shared that line would lose it to the reader on every record. */
typedef struct {
    _Alignas(64) probe_worker_t *w;
    ssf_ring_t *ring;
    pthread_t thread;
    bool started;
    unsigned pending;          /* records committed but not yet published */
    uint64_t recent;           /* frames dispatched to this worker, halved every PL_DECAY_FRAMES */
    struct probe_pipeline *pl; /* owner, for the thread's name */
    uint64_t cpu_ns;           /* the worker thread's CPU time */
    uint64_t idle_ns;          /* ...and the wall time it found its ring empty */
} pl_slot;

struct probe_pipeline {
    int n;
    bool stable; /* frames outlive the run: rings carry pointers, not copies */
    pl_slot *slots;
    uint32_t w0_cut; /* fixed split: flow hashes below this go to the inline worker 0 */
    uint64_t w_mult; /* ...and the rest onto workers 1..n-1 by multiply-shift         */
    /* Balanced split (the default): each bucket of the flow hash space belongs to one
     * worker, and is handed to another only when it has been silent for longer than the
     * idle timeout and the resume horizon. Every flow that hashes into it has then timed out
     * wherever it lived, and is too old to resume, so its next packet starts a new flow in any
     * worker: moving the bucket changes nothing the workers report, only who does the work. A
     * bucket that is free goes to the worker furthest below its share of the recent frames;
     * worker 0's share adapts to how the rings keep up (pl_adapt). */
    uint64_t *bucket_last; /* newest timestamp seen per bucket, 0 never seen           */
    uint8_t *bucket_worker;
    uint64_t idle_us;  /* silence that frees a bucket; 0: a bucket never moves           */
    double share;      /* worker 0's share of the frames: the balanced split's target    */
    double share_base; /* ...where it starts, and the least it adapts down to            */
    double share_peak; /* ...the most it reached                                        */
    double w0_weight;  /* 1 / worker 0's share; the others' is 1 / their equal share     */
    double wk_weight;
    uint64_t frames;       /* frames dispatched by the split, all workers               */
    uint64_t adapt_frames; /* frames at the last adaptation                          */
    uint64_t decay_frames; /* ...and at the last halving of the slots' recent counts    */
    uint64_t reader_waits;
    uint64_t reader_wait_ns; /* wall time spent in those waits */
    bool finished;
    uint64_t flow_idle_us;             /* the workers' idle timeout                   */
    pl_expect expect[PL_EXPECT_SLOTS]; /* a ring, oldest overwritten                  */
    unsigned expect_next;
    uint64_t expect_until_us; /* no expectation is live after this          */
};

static void *pl_worker_main(void *arg)
{
    pl_slot *s = arg;
    /* Read once: the loop must not go back to the slot's line, which the reader writes. */
    ssf_ring_t *ring = s->ring;
    probe_worker_t *w = s->w;
    char name[16];
    snprintf(name, sizeof name, "ssf-worker-%u", (unsigned)(s - s->pl->slots));
    pthread_setname_np(pthread_self(), name);
    struct timespec t0, t1;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
    unsigned spins = 0, consumed = 0;
    uint64_t idle_ns = 0, idle_from = 0;
    for (;;) {
        size_t len;
        bool closed;
        const pl_rec *r = ssf_ring_peek(ring, &len, &closed);
        if (!r) {
            ssf_ring_release_publish(ring);
            if (closed) break;
            if (spins == 0) {
                idle_from = ssf_now_ns();
                probe_worker_idle(w);
            }
            ssf_ring_backoff(&spins);
            continue;
        }
        if (spins) idle_ns += ssf_now_ns() - idle_from;
        spins = 0;
        /* The reader wrote these bytes on another core; start pulling the next record's lines
         * over while this one is processed. */
        for (size_t off = 0; off < 512; off += 64)
            __builtin_prefetch((const uint8_t *)(r + 1) + len + off);
        probe_frame_t f = {r->data ? r->data : (const uint8_t *)(r + 1),
                           r->caplen,
                           r->wirelen,
                           r->ts_us,
                           r->frame_no,
                           r->dlt,
                           r->source};
        probe_worker_decoded(w, &f, (ssf_rc)r->rc, &r->pkt);
        ssf_ring_release(ring);
        if (++consumed % PL_RELEASE_EVERY == 0) ssf_ring_release_publish(ring);
    }
    probe_worker_finish(w);
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t1);
    s->cpu_ns = (uint64_t)(t1.tv_sec - t0.tv_sec) * 1000000000u + (uint64_t)t1.tv_nsec -
                (uint64_t)t0.tv_nsec;
    s->idle_ns = idle_ns;
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

static void pl_weights(probe_pipeline_t *p, double share)
{
    p->share = share;
    if (share > p->share_peak) p->share_peak = share;
    p->w0_weight = 1.0 / share;
    p->wk_weight = p->n > 1 ? (p->n - 1) / (1.0 - share) : 0;
}

/* Worker 0 runs in the reader, which also decodes and dispatches every frame. Counted in
 * instructions, dispatching costs about a tenth of processing a frame (decode, hash, ring
 * record; ndpi-mix under callgrind), so the reader balances with the others when worker 0
 * takes (1 - (n-1)/10)/n of the frames: 0.45 of them with two workers. The old fixed share,
 * 1/(2n-1) = 1/3, left worker 1 with 63% of the instructions (perf/RESULTS.md). The same
 * share serves the fixed split by hash and as the balanced split's starting point. */
static void pl_split(probe_pipeline_t *p, double share)
{
    if (share <= 0 || share >= 1) {
        share = (1.0 - (p->n - 1) / 10.0) / p->n;
        if (share < 0.25 / p->n) share = 0.25 / p->n;
    }
    p->share_base = share;
    pl_weights(p, share);
    p->w0_cut = (uint32_t)(share * 4294967296.0);
    uint64_t range = ((uint64_t)1 << 32) - p->w0_cut;
    p->w_mult = p->n > 1 ? ((uint64_t)(p->n - 1) << 32) / range : 0;
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
    p->stable = cfg->frames_stable;
    p->flow_idle_us = cfg->worker.idle_timeout_us;
    if (!(p->slots = aligned_alloc(64, (size_t)p->n * sizeof *p->slots))) {
        ssf_err_set(err, SSF_ENOMEM, NULL, 0, "out of memory");
        free(p);
        return NULL;
    }
    memset(p->slots, 0, (size_t)p->n * sizeof *p->slots);
    pl_split(p, cfg->inline_share);
    if (p->n > 1 && cfg->inline_share <= 0) {
        p->bucket_last = calloc((size_t)1 << PL_BUCKETS_LOG, sizeof *p->bucket_last);
        p->bucket_worker = calloc((size_t)1 << PL_BUCKETS_LOG, 1);
        /* Past the resume horizon too: until then the worker that ended a flow may resume
         * it with the verdict it remembers, which another worker would not have. */
        p->idle_us = probe_worker_forget_us(&cfg->worker);
        if (!p->bucket_last || !p->bucket_worker) {
            ssf_err_set(err, SSF_ENOMEM, NULL, 0, "out of memory");
            probe_pipeline_free(&p);
            return NULL;
        }
    }
    if (pl_start(p, cfg, err) != SSF_OK) {
        probe_pipeline_finish(p);
        probe_pipeline_free(&p);
        return NULL;
    }
    return p;
}

static int pl_least_loaded(const probe_pipeline_t *p)
{
    int best = 0;
    double best_load = (double)p->slots[0].recent * p->w0_weight;
    for (int k = 1; k < p->n; k++) {
        double load = (double)p->slots[k].recent * p->wk_weight;
        if (load < best_load) best = k, best_load = load;
    }
    return best;
}

/* What a frame costs each thread depends on the machine and the traffic: a worker with a
 * thread pays for the ring records and frame bytes that come from the reader's core, so
 * worker 0's best share of ndpi-mix was 0.56-0.60, not 0.45 (perf/RESULTS.md). The split
 * learns it from the rings. A ring more than half full means its worker falls behind and the
 * reader will soon wait on it: worker 0 keeps more of the new flows. A ring nearly empty gives
 * them back, but the share never goes below where it started: an empty ring on a quiet link
 * says nothing about load. Only free buckets follow the share, so a flow never moves, and the
 * share moves only when a bucket is placed: a trace of a few long flows (plant-loop) places
 * them in a burst and keeps them, and a share that kept climbing while they ran (tried: to
 * 0.90) would pile the next burst on worker 0. Going below the start when the reader is busy
 * was tried too: plant-loop's share then swung from 0.05 to 0.70 and back. Which worker gets a
 * new flow depends on timing, as in Suricata's autofp scheduler (the fixed split,
 * inline_share, does not). */
double probe_pipeline_share_next(double share, double base, size_t backlog, size_t cap)
{
    const double slack = PL_ADAPT_STEP / 8; /* steps add up to base only roughly */
    if (backlog > cap / 2)
        share += PL_ADAPT_STEP;
    else if (backlog < cap / 32 && share - PL_ADAPT_STEP > base - slack)
        share -= PL_ADAPT_STEP;
    return share > PL_SHARE_MAX ? PL_SHARE_MAX : share;
}

/* When a bucket is placed, at most once per PL_ADAPT_FRAMES frames. */
static void pl_adapt(probe_pipeline_t *p)
{
    if (p->frames - p->decay_frames >= PL_DECAY_FRAMES) {
        p->decay_frames = p->frames;
        for (int k = 0; k < p->n; k++)
            p->slots[k].recent /= 2;
    }
    if (p->frames - p->adapt_frames < PL_ADAPT_FRAMES) return;
    p->adapt_frames = p->frames;
    size_t most = 0, cap = ssf_ring_capacity(p->slots[1].ring);
    for (int k = 1; k < p->n; k++) {
        size_t b = ssf_ring_backlog(p->slots[k].ring);
        if (b > most) most = b;
    }
    double share = probe_pipeline_share_next(p->share, p->share_base, most, cap);
    if (share != p->share) pl_weights(p, share);
}

static int pl_bucket(probe_pipeline_t *p, uint32_t h, uint64_t ts_us)
{
    size_t b = h >> (32 - PL_BUCKETS_LOG);
    uint64_t last = p->bucket_last[b];
    /* Strictly longer than the idle timeout, as probe_flow_get() ends an idle flow. A
     * timestamp that goes back never frees a bucket. */
    if (last == 0 || (p->idle_us && ts_us > last && ts_us - last > p->idle_us)) {
        pl_adapt(p);
        p->bucket_worker[b] = (uint8_t)pl_least_loaded(p);
    }
    if (ts_us > last) p->bucket_last[b] = ts_us;
    if (p->bucket_last[b] == 0) p->bucket_last[b] = 1; /* seen, even at time 0 */
    return p->bucket_worker[b];
}

static uint16_t pl_vlan(const probe_pkt_t *pkt)
{
    return pkt->n_vlan ? pkt->vlan[0] : 0;
}

static bool pl_addr_eq(const ssf_addr *a, const ssf_addr *b)
{
    return memcmp(a, b, sizeof *a) == 0;
}

static void pl_expect_set(probe_pipeline_t *p, const probe_pkt_t *pkt, int k)
{
    pl_expect *e = &p->expect[p->expect_next++ % PL_EXPECT_SLOTS];
    e->client = pkt->src_ip;
    e->server = pkt->dst_ip;
    e->client_port = pkt->sport;
    e->server_port = 0;
    e->vlan = pl_vlan(pkt);
    e->worker = (uint8_t)k;
    e->last_us = pkt->ts_us;
    if (pkt->ts_us + PL_EXPECT_US > p->expect_until_us)
        p->expect_until_us = pkt->ts_us + PL_EXPECT_US;
}

/* Whether the packet belongs to e's transfer; the server's first packet fixes its port. */
static bool pl_expect_match(pl_expect *e, const probe_pkt_t *pkt, uint64_t window)
{
    if (!e->last_us || pkt->ts_us - e->last_us > window || e->vlan != pl_vlan(pkt)) return false;
    if (pl_addr_eq(&pkt->src_ip, &e->server) && pl_addr_eq(&pkt->dst_ip, &e->client) &&
        pkt->dport == e->client_port && pkt->sport != 69) {
        if (!e->server_port) e->server_port = pkt->sport;
        return pkt->sport == e->server_port;
    }
    return e->server_port && pl_addr_eq(&pkt->src_ip, &e->client) &&
           pl_addr_eq(&pkt->dst_ip, &e->server) && pkt->sport == e->client_port &&
           pkt->dport == e->server_port;
}

/* The worker for a UDP packet: k, unless it is a TFTP request (remembered with k) or part of a
 * transfer one announced (its request's worker). */
static int pl_expected(probe_pipeline_t *p, const probe_pkt_t *pkt, int k)
{
    if (pkt->dport == 69 && probe_ev_tftp_opens(pkt->payload, pkt->payload_len)) {
        pl_expect_set(p, pkt, k);
        return k;
    }
    if (pkt->ts_us > p->expect_until_us) return k; /* the usual case: one compare */
    for (unsigned i = 0; i < PL_EXPECT_SLOTS; i++) {
        pl_expect *e = &p->expect[i];
        uint64_t window = e->server_port ? p->flow_idle_us : PL_EXPECT_US;
        if (!pl_expect_match(e, pkt, window)) continue;
        e->last_us = pkt->ts_us;
        if (pkt->ts_us + window > p->expect_until_us) p->expect_until_us = pkt->ts_us + window;
        return e->worker;
    }
    return k;
}

static int pl_hashed(probe_pipeline_t *p, const probe_frame_t *f, const probe_pkt_t *pkt)
{
    uint32_t h = probe_decode_flow_hash(pkt);
    if (p->bucket_worker) return pl_bucket(p, h, f->ts_us);
    if (h < p->w0_cut) return 0;
    uint32_t k = 1 + (uint32_t)(((uint64_t)(h - p->w0_cut) * p->w_mult) >> 32);
    return k < (uint32_t)p->n ? (int)k : p->n - 1;
}

/* Decodes the frame (into *pkt, *rc) to hash its flow, and picks the worker. */
static int pl_pick(probe_pipeline_t *p, const probe_frame_t *f, probe_pkt_t *pkt, ssf_rc *rc)
{
    *rc = probe_decode(f->dlt, f->data, f->caplen, f->wirelen, f->ts_us, pkt);
    if (*rc != SSF_OK) return 0;
    int k = pl_hashed(p, f, pkt);
    return pkt->l4_proto == IPPROTO_UDP ? pl_expected(p, pkt, k) : k;
}

/* Points the summary's pointers at a copy of the frame it was decoded from. */
static void pl_rebase(probe_pkt_t *pkt, const uint8_t *from, const uint8_t *to)
{
    pkt->frame = to;
    if (pkt->l3) pkt->l3 = to + (pkt->l3 - from);
    if (pkt->payload) pkt->payload = to + (pkt->payload - from);
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
    p->slots[k].recent++;
    p->frames++;
    if (k == 0) {
        probe_worker_decoded(p->slots[0].w, f, rc, &pkt);
        return;
    }
    pl_slot *s = &p->slots[k];
    pl_rec *r;
    unsigned spins = 0;
    size_t copy = p->stable ? 0 : f->caplen;
    uint64_t wait_from = 0;
    while (!(r = ssf_ring_reserve(s->ring, sizeof *r + copy))) {
        ssf_ring_publish(s->ring);
        s->pending = 0;
        if (!spins) {
            p->reader_waits++;
            wait_from = ssf_now_ns();
        }
        ssf_ring_backoff(&spins);
    }
    if (spins) p->reader_wait_ns += ssf_now_ns() - wait_from;
    r->ts_us = f->ts_us;
    r->frame_no = f->frame_no;
    r->caplen = f->caplen;
    r->wirelen = f->wirelen;
    r->dlt = f->dlt;
    r->source = f->source;
    r->rc = (int16_t)rc;
    r->data = p->stable ? f->data : NULL;
    r->pkt = pkt;
    if (copy) {
        memcpy(r + 1, f->data, copy);
        pl_rebase(&r->pkt, f->data, (const uint8_t *)(r + 1));
    }
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

void probe_pipeline_split(const probe_pipeline_t *p, probe_pipeline_split_t *out)
{
    out->start = p->share_base;
    out->end = p->share;
    out->peak = p->share_peak;
    /* Worker 0 counted the frames it was given; the split counted all it dispatched. */
    probe_worker_stats_t st;
    probe_worker_stats(p->slots[0].w, &st);
    out->taken = p->frames ? (double)st.packets / (double)p->frames : 1.0;
    out->reader_wait_ns = p->reader_wait_ns;
    out->idle_ns = 0;
    for (int k = 1; k < p->n; k++)
        out->idle_ns += p->slots[k].idle_ns;
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
    free(p->bucket_last);
    free(p->bucket_worker);
    free(p);
    *pp = NULL;
}
