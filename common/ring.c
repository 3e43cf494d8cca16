#include "ssf/ring.h"

#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

#define RING_ALIGN 8u
#define RING_SKIP  UINT32_MAX /* record header value: rest of the buffer is unused */

/* Producer and consumer fields sit on separate cache lines so neither side's writes
 * invalidate the line the other side polls. */
struct ssf_ring {
    uint8_t *buf;
    size_t mask;
    struct {
        _Alignas(64) _Atomic size_t head; /* published write position (monotonic)      */
        atomic_bool closed;
    } pub;
    struct {
        _Alignas(64) size_t head; /* producer's private write position              */
        size_t tail_cache;        /* last tail the producer read                    */
    } prod;
    struct {
        _Alignas(64) _Atomic size_t tail; /* published read position (monotonic)       */
    } cons_pub;
    struct {
        _Alignas(64) size_t tail; /* consumer's private read position               */
        size_t head_cache;        /* last head the consumer read                    */
        size_t cur_len;           /* bytes the record under peek occupies           */
    } cons;
};

typedef struct {
    uint32_t len; /* payload bytes, or RING_SKIP */
    uint32_t pad;
} ring_hdr;

static size_t align_up(size_t n)
{
    return (n + RING_ALIGN - 1) & ~(size_t)(RING_ALIGN - 1);
}

ssf_ring_t *ssf_ring_new(size_t cap_bytes)
{
    size_t cap = 4096;
    if (cap_bytes > SIZE_MAX / 2 + 1) return NULL; /* no power of two holds it: cap would wrap */
    while (cap < cap_bytes)
        cap <<= 1;
    ssf_ring_t *r = aligned_alloc(64, sizeof *r);
    if (!r) return NULL;
    memset(r, 0, sizeof *r);
    if (!(r->buf = aligned_alloc(64, cap))) goto out_free_ring;
    r->mask = cap - 1;
    return r;
out_free_ring:
    free(r);
    return NULL;
}

void ssf_ring_free(ssf_ring_t **rp)
{
    if (!rp || !*rp) return;
    free((*rp)->buf);
    free(*rp);
    *rp = NULL;
}

static size_t ring_free_space(ssf_ring_t *r)
{
    size_t cap = r->mask + 1;
    size_t used = r->prod.head - r->prod.tail_cache;
    if (used + RING_ALIGN * 2 > cap) {
        r->prod.tail_cache = atomic_load_explicit(&r->cons_pub.tail, memory_order_acquire);
        used = r->prod.head - r->prod.tail_cache;
    }
    return cap - used;
}

void *ssf_ring_reserve(ssf_ring_t *r, size_t len)
{
    size_t cap = r->mask + 1;
    /* Check len before aligning it: align_up(SIZE_MAX) wraps to 0. */
    if (len > cap / 2) return NULL;
    size_t need = sizeof(ring_hdr) + align_up(len);
    if (need > cap / 2) return NULL;
    size_t off = r->prod.head & r->mask;
    size_t to_end = cap - off;
    size_t total = need > to_end ? need + to_end : need;
    if (ring_free_space(r) < total) {
        r->prod.tail_cache = atomic_load_explicit(&r->cons_pub.tail, memory_order_acquire);
        if (cap - (r->prod.head - r->prod.tail_cache) < total) return NULL;
    }
    if (need > to_end) {
        ((ring_hdr *)(r->buf + off))->len = RING_SKIP;
        r->prod.head += to_end;
        off = 0;
    }
    ring_hdr *h = (ring_hdr *)(r->buf + off);
    h->len = (uint32_t)len;
    return h + 1;
}

void ssf_ring_commit(ssf_ring_t *r)
{
    ring_hdr *h = (ring_hdr *)(r->buf + (r->prod.head & r->mask));
    r->prod.head += sizeof(ring_hdr) + align_up(h->len);
}

void ssf_ring_publish(ssf_ring_t *r)
{
    atomic_store_explicit(&r->pub.head, r->prod.head, memory_order_release);
}

void ssf_ring_close(ssf_ring_t *r)
{
    ssf_ring_publish(r);
    atomic_store_explicit(&r->pub.closed, true, memory_order_release);
}

size_t ssf_ring_backlog(ssf_ring_t *r)
{
    r->prod.tail_cache = atomic_load_explicit(&r->cons_pub.tail, memory_order_acquire);
    return r->prod.head - r->prod.tail_cache;
}

size_t ssf_ring_capacity(const ssf_ring_t *r)
{
    return r->mask + 1;
}

const void *ssf_ring_peek(ssf_ring_t *r, size_t *len, bool *closed)
{
    *closed = false;
    for (;;) {
        if (r->cons.tail == r->cons.head_cache) {
            /* Read closed before head: a close after our head load is seen next time. */
            bool was_closed = atomic_load_explicit(&r->pub.closed, memory_order_acquire);
            r->cons.head_cache = atomic_load_explicit(&r->pub.head, memory_order_acquire);
            if (r->cons.tail == r->cons.head_cache) {
                *closed = was_closed;
                return NULL;
            }
        }
        size_t off = r->cons.tail & r->mask;
        const ring_hdr *h = (const ring_hdr *)(r->buf + off);
        if (h->len == RING_SKIP) {
            r->cons.tail += (r->mask + 1) - off;
            continue;
        }
        r->cons.cur_len = sizeof(ring_hdr) + align_up(h->len);
        *len = h->len;
        return h + 1;
    }
}

void ssf_ring_release(ssf_ring_t *r)
{
    r->cons.tail += r->cons.cur_len;
    r->cons.cur_len = 0;
}

void ssf_ring_release_publish(ssf_ring_t *r)
{
    atomic_store_explicit(&r->cons_pub.tail, r->cons.tail, memory_order_release);
}

void ssf_ring_backoff(unsigned *spins)
{
    unsigned n = (*spins)++;
    if (n < 64) {
#if defined(__x86_64__) || defined(__i386__)
        __builtin_ia32_pause();
#endif
    } else if (n < 128) {
        sched_yield();
    } else {
        struct timespec ts = {0, 50000};
        nanosleep(&ts, NULL);
    }
}
