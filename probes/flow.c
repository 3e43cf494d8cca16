/* flow.c - the per-worker flow table (see probe/flow.h for the contracts).
 *
 * Layout: one array of flow records, one array of user areas (slot i's area at i * user_stride),
 * one array of bucket heads. Everything links by uint32 index, not by pointer: a hash chain
 * link, two LRU links and a bucket head cost 16 bytes per flow instead of 32, which lets the
 * key and every link share the record's first cache line and halves the bucket array; 2^31 flows
 * per worker is far above any budget we will see. FLOW_NIL marks the end of a list.
 *
 * Lists: the hash chains are singly linked (chains average below one flow, so finding the
 * predecessor on removal is cheap); free slots reuse the chain link as a LIFO free list, so a
 * slot just ended is the next one taken while it is still in cache; the LRU list is doubly
 * linked, head = most recently used, tail = least. */
#include "probe/flow.h"

#include <assert.h>
#include <stdlib.h>
#include <sys/random.h>

#define FLOW_NIL       UINT32_MAX
#define FLOW_MAX_CAP   (UINT32_C(1) << 31)
#define FLOW_BUCKET_SZ sizeof(uint32_t)

_Static_assert(sizeof(probe_flow_key_t) == 40, "key must have no implicit padding");
_Static_assert(sizeof(probe_flow_key_t) % 8 == 0, "key is hashed as 8-byte words");
_Static_assert(sizeof(struct probe_flow) == 128, "flow record is two cache lines");
_Static_assert(offsetof(struct probe_flow, last_us) == 56, "hit path fields in the first line");

struct probe_flow_table {
    probe_flow_cfg_t cfg;  /* copy of the caller's configuration                */
    probe_flow_t *flows;   /* capacity records, 64-byte aligned                 */
    uint8_t *user_area;    /* capacity * user_stride bytes, NULL if user_size 0 */
    size_t user_stride;    /* user_size rounded up to PROBE_FLOW_USER_ALIGN     */
    uint32_t *buckets;     /* bucket heads, FLOW_NIL when empty                 */
    uint32_t bucket_mask;  /* number of buckets - 1 (a power of two - 1)        */
    uint32_t capacity;     /* number of flow records                            */
    uint32_t free_head;    /* first free slot, chained through hnext_           */
    uint32_t lru_head;     /* most recently used live flow                      */
    uint32_t lru_tail;     /* least recently used live flow                     */
    uint64_t seed;         /* per-table hash seed, so chains differ per worker  */
    probe_flow_stats_t st; /* counters; active/capacity/peak kept current       */
};

/* ---- key ------------------------------------------------------------------------------- */

/* memcmp()'s order of two addresses, from two big-endian 64-bit compares: a call to memcmp
 * was a sixth of building the key. */
static inline uint64_t load_be64(const uint8_t *p)
{
    return (uint64_t)p[0] << 56 | (uint64_t)p[1] << 48 | (uint64_t)p[2] << 40 |
           (uint64_t)p[3] << 32 | (uint64_t)p[4] << 24 | (uint64_t)p[5] << 16 |
           (uint64_t)p[6] << 8 | p[7];
}

static inline int addr_cmp(const ssf_addr *a, const ssf_addr *b)
{
    for (int i = 0; i < 16; i += 8) {
        uint64_t x = load_be64(a->b + i), y = load_be64(b->b + i);
        if (x != y) return x < y ? -1 : 1;
    }
    return 0;
}

bool probe_flow_key_make(const probe_pkt_t *pkt, probe_flow_key_t *k, uint8_t *dir)
{
    memset(k, 0, sizeof *k);
    if (pkt->ip_ver != 4 && pkt->ip_ver != 6) return false;
    int c = addr_cmp(&pkt->src_ip, &pkt->dst_ip);
    uint8_t d = c > 0 || (c == 0 && pkt->sport > pkt->dport);
    k->lo_ip = d ? pkt->dst_ip : pkt->src_ip;
    k->hi_ip = d ? pkt->src_ip : pkt->dst_ip;
    k->lo_port = d ? pkt->dport : pkt->sport;
    k->hi_port = d ? pkt->sport : pkt->dport;
    k->vlan = pkt->n_vlan ? pkt->vlan[0] : 0;
    k->proto = pkt->l4_proto;
    if (dir) *dir = d;
    return true;
}

/* ---- hash ------------------------------------------------------------------------------ */

static inline uint64_t rotl64(uint64_t x, int r)
{
    return x << r | x >> (64 - r);
}

/* murmur3's fmix64 finaliser: every input bit affects every output bit. */
static inline uint64_t fmix64(uint64_t h)
{
    h ^= h >> 33;
    h *= UINT64_C(0xff51afd7ed558ccd);
    h ^= h >> 33;
    h *= UINT64_C(0xc4ceb9fe1a85ec53);
    h ^= h >> 33;
    return h;
}

/* Five 8-byte words, each folded in with an xxhash64-style round, then fmix64. Roughly 15
 * multiplies, no branches, no table: a few ns. The seed is random per table, which makes
 * crafting colliding keys from the wire harder but does not make the hash a keyed PRF. */
static inline uint64_t key_hash(const probe_flow_key_t *k, uint64_t seed)
{
    const uint64_t p1 = UINT64_C(0x9e3779b185ebca87), p2 = UINT64_C(0xc2b2ae3d27d4eb4f);
    const uint8_t *b = (const uint8_t *)k;
    uint64_t h = seed ^ sizeof *k;
    for (size_t i = 0; i < sizeof *k; i += 8) {
        uint64_t w;
        memcpy(&w, b + i, 8);
        h ^= rotl64(w * p2, 31) * p1;
        h = rotl64(h, 27) * p1 + UINT64_C(0x85ebca77c2b2ae63);
    }
    return fmix64(h);
}

/* ---- list plumbing --------------------------------------------------------------------- */

static inline uint32_t idx_of(const probe_flow_table_t *t, const probe_flow_t *f)
{
    return (uint32_t)(f - t->flows);
}

static void lru_unlink(probe_flow_table_t *t, probe_flow_t *f)
{
    if (f->lru_prev_ != FLOW_NIL)
        t->flows[f->lru_prev_].lru_next_ = f->lru_next_;
    else
        t->lru_head = f->lru_next_;
    if (f->lru_next_ != FLOW_NIL)
        t->flows[f->lru_next_].lru_prev_ = f->lru_prev_;
    else
        t->lru_tail = f->lru_prev_;
}

static void lru_push_head(probe_flow_table_t *t, probe_flow_t *f)
{
    uint32_t i = idx_of(t, f);
    f->lru_prev_ = FLOW_NIL;
    f->lru_next_ = t->lru_head;
    if (t->lru_head != FLOW_NIL)
        t->flows[t->lru_head].lru_prev_ = i;
    else
        t->lru_tail = i;
    t->lru_head = i;
}

static void hash_unlink(probe_flow_table_t *t, probe_flow_t *f)
{
    uint32_t i = idx_of(t, f);
    uint32_t *link = &t->buckets[f->hash_ & t->bucket_mask];
    while (*link != i) {
        assert(*link != FLOW_NIL);
        link = &t->flows[*link].hnext_;
    }
    *link = f->hnext_;
}

/* Reports the flow, takes it out of the hash and LRU lists and pushes its slot on the free
 * list. Its user area is left as on_end left it; it is zeroed when the slot is taken. */
static void flow_end(probe_flow_table_t *t, probe_flow_t *f, probe_flow_end why)
{
    assert(f->live_);
    switch (why) {
    case PROBE_FLOW_END_IDLE:
        t->st.expired_idle++;
        break;
    case PROBE_FLOW_END_ABSOLUTE:
        t->st.expired_abs++;
        break;
    case PROBE_FLOW_END_EVICTED:
        t->st.evicted++;
        break;
    case PROBE_FLOW_END_FLUSH:
        t->st.flushed++;
        break;
    case PROBE_FLOW_END_CLOSED:
        t->st.closed++;
        break;
    }
    if (t->cfg.on_end) t->cfg.on_end(f, why, t->cfg.ctx);
    hash_unlink(t, f);
    lru_unlink(t, f);
    f->live_ = 0;
    f->hnext_ = t->free_head;
    t->free_head = idx_of(t, f);
    t->st.active--;
}

/* The reason a flow should end at now_us, or -1 if it is still fresh. now_us older than the
 * flow's last packet counts as equal to it, so nothing underflows. */
static int flow_stale(const probe_flow_table_t *t, const probe_flow_t *f, uint64_t now_us)
{
    uint64_t now = now_us < f->last_us ? f->last_us : now_us;
    if (t->cfg.idle_timeout_us && now - f->last_us > t->cfg.idle_timeout_us)
        return PROBE_FLOW_END_IDLE;
    if (t->cfg.abs_timeout_us && now - f->first_us > t->cfg.abs_timeout_us)
        return PROBE_FLOW_END_ABSOLUTE;
    return -1;
}

/* ---- create / free --------------------------------------------------------------------- */

static size_t pow2ceil(size_t n)
{
    size_t p = 1;
    while (p < n)
        p <<= 1;
    return p;
}

/* The largest n with n * per_flow + pow2ceil(n) * 4 <= mem, capped at FLOW_MAX_CAP. Tries
 * every bucket count b: with b buckets, n can be at most b and at most (mem - 4b) / per_flow. */
static size_t capacity_for(size_t mem, size_t per_flow)
{
    size_t best = 0;
    for (size_t b = 1; b <= FLOW_MAX_CAP && b * FLOW_BUCKET_SZ < mem; b <<= 1) {
        size_t n = (mem - b * FLOW_BUCKET_SZ) / per_flow;
        if (n > b) n = b;
        if (n > best) best = n;
    }
    return best;
}

static void table_reset_lists(probe_flow_table_t *t)
{
    memset(t->buckets, 0xff, ((size_t)t->bucket_mask + 1) * FLOW_BUCKET_SZ);
    for (uint32_t i = 0; i < t->capacity; i++) {
        probe_flow_t *f = &t->flows[i];
        memset(f, 0, sizeof *f);
        f->user = t->user_area ? t->user_area + (size_t)i * t->user_stride : NULL;
        f->hnext_ = i + 1 < t->capacity ? i + 1 : FLOW_NIL;
        f->lru_prev_ = f->lru_next_ = FLOW_NIL;
    }
    if (t->user_area) memset(t->user_area, 0, (size_t)t->capacity * t->user_stride);
    t->free_head = 0;
    t->lru_head = t->lru_tail = FLOW_NIL;
}

static uint64_t make_seed(const void *salt)
{
    uint64_t s = 0;
    if (getrandom(&s, sizeof s, GRND_NONBLOCK) != (ssize_t)sizeof s)
        s = ssf_now_ns() ^ (uint64_t)(uintptr_t)salt;
    return fmix64(s);
}

probe_flow_table_t *probe_flow_table_new(const probe_flow_cfg_t *cfg, ssf_err *err)
{
    if (!cfg) {
        ssf_err_set(err, SSF_EINVAL, NULL, 0, "flow table: no configuration");
        return NULL;
    }
    const size_t align = PROBE_FLOW_USER_ALIGN;
    if (cfg->user_size > cfg->memory_bytes) {
        ssf_err_set(err, SSF_EINVAL, NULL, 0,
                    "flow table: user_size %zu exceeds the whole budget of %zu bytes",
                    cfg->user_size, cfg->memory_bytes);
        return NULL;
    }
    size_t stride = (cfg->user_size + align - 1) / align * align;
    size_t per_flow = sizeof(probe_flow_t) + stride;
    size_t cap = capacity_for(cfg->memory_bytes, per_flow);
    if (cap < PROBE_FLOW_MIN_CAPACITY) {
        ssf_err_set(err, SSF_EINVAL, NULL, 0,
                    "flow table: %zu bytes hold only %zu flows of %zu bytes (record %zu + user "
                    "%zu + bucket %zu); need at least %d, i.e. about %zu bytes",
                    cfg->memory_bytes, cap, per_flow + FLOW_BUCKET_SZ, sizeof(probe_flow_t), stride,
                    FLOW_BUCKET_SZ, PROBE_FLOW_MIN_CAPACITY,
                    (size_t)PROBE_FLOW_MIN_CAPACITY * (per_flow + FLOW_BUCKET_SZ));
        return NULL;
    }
    size_t nbuckets = pow2ceil(cap);

    probe_flow_table_t *t = calloc(1, sizeof *t);
    if (!t) goto out_nomem;
    t->cfg = *cfg;
    t->capacity = (uint32_t)cap;
    t->bucket_mask = (uint32_t)(nbuckets - 1);
    t->user_stride = stride;
    if (!(t->flows = aligned_alloc(align, cap * sizeof(probe_flow_t)))) goto out_free_table;
    if (stride && !(t->user_area = aligned_alloc(align, cap * stride))) goto out_free_flows;
    if (!(t->buckets = malloc(nbuckets * FLOW_BUCKET_SZ))) goto out_free_user;
    t->seed = make_seed(t);
    t->st.capacity = cap;
    table_reset_lists(t); /* also touches every page, so the packet path never faults */
    return t;

out_free_user:
    free(t->user_area);
out_free_flows:
    free(t->flows);
out_free_table:
    free(t);
out_nomem:
    ssf_err_set(err, SSF_ENOMEM, NULL, 0, "flow table: cannot allocate %zu flows (%zu bytes)", cap,
                cap * per_flow + nbuckets * FLOW_BUCKET_SZ);
    return NULL;
}

void probe_flow_table_free(probe_flow_table_t **tp)
{
    if (!tp || !*tp) return;
    probe_flow_table_t *t = *tp;
    free(t->buckets);
    free(t->user_area);
    free(t->flows);
    free(t);
    *tp = NULL;
}

/* ---- packet path ----------------------------------------------------------------------- */

static probe_flow_t *flow_lookup(const probe_flow_table_t *t, const probe_flow_key_t *k, uint32_t h)
{
    for (uint32_t i = t->buckets[h & t->bucket_mask]; i != FLOW_NIL; i = t->flows[i].hnext_) {
        probe_flow_t *f = &t->flows[i];
        if (f->hash_ == h && memcmp(&f->key, k, sizeof *k) == 0) return f;
    }
    return NULL;
}

/* Takes a free slot, evicting the LRU tail when there is none, and makes it a fresh flow. */
static probe_flow_t *flow_create(probe_flow_table_t *t, const probe_flow_key_t *k, uint32_t h,
                                 uint64_t now_us)
{
    if (SSF_UNLIKELY(t->free_head == FLOW_NIL)) {
        /* A tail that has timed out anyway is reported as such: `evicted` should count only
         * flows lost to capacity pressure. */
        probe_flow_t *old = &t->flows[t->lru_tail];
        int why = flow_stale(t, old, now_us);
        flow_end(t, old, why < 0 ? PROBE_FLOW_END_EVICTED : (probe_flow_end)why);
    }
    uint32_t i = t->free_head;
    probe_flow_t *f = &t->flows[i];
    t->free_head = f->hnext_;

    f->key = *k;
    f->hash_ = h;
    f->first_us = f->last_us = now_us;
    f->pkts[0] = f->pkts[1] = f->bytes[0] = f->bytes[1] = 0;
    f->flags = 0;
    f->client_dir = PROBE_FLOW_DIR_UNKNOWN;
    f->live_ = 1;
    if (t->user_stride) memset(f->user, 0, t->cfg.user_size);

    uint32_t *bucket = &t->buckets[h & t->bucket_mask];
    f->hnext_ = *bucket;
    *bucket = i;
    lru_push_head(t, f);

    t->st.created++;
    if (++t->st.active > t->st.peak_active) t->st.peak_active = t->st.active;
    return f;
}

probe_flow_t *probe_flow_get(probe_flow_table_t *t, const probe_flow_key_t *k, uint64_t now_us,
                             bool *created)
{
    uint32_t h = (uint32_t)key_hash(k, t->seed);
    probe_flow_t *f = flow_lookup(t, k, h);
    if (f) {
        int why = flow_stale(t, f, now_us);
        if (SSF_LIKELY(why < 0)) {
            if (t->lru_head != idx_of(t, f)) {
                lru_unlink(t, f);
                lru_push_head(t, f);
            }
            if (now_us > f->last_us) f->last_us = now_us;
            if (created) *created = false;
            return f;
        }
        flow_end(t, f, (probe_flow_end)why);
    }
    if (created) *created = true;
    return flow_create(t, k, h, now_us);
}

size_t probe_flow_expire(probe_flow_table_t *t, uint64_t now_us, size_t max)
{
    size_t n = 0;
    while (n < max && t->lru_tail != FLOW_NIL) {
        probe_flow_t *f = &t->flows[t->lru_tail];
        int why = flow_stale(t, f, now_us);
        if (why < 0) break;
        flow_end(t, f, (probe_flow_end)why);
        n++;
    }
    return n;
}

void probe_flow_flush(probe_flow_table_t *t)
{
    while (t->lru_tail != FLOW_NIL)
        flow_end(t, &t->flows[t->lru_tail], PROBE_FLOW_END_FLUSH);
}

void probe_flow_end_now(probe_flow_table_t *t, probe_flow_t *f)
{
    assert(f >= t->flows && f < t->flows + t->capacity);
    flow_end(t, f, PROBE_FLOW_END_CLOSED);
}

void probe_flow_stats(const probe_flow_table_t *t, probe_flow_stats_t *out)
{
    *out = t->st;
}
