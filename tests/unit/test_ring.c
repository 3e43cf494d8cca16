/* test_ring.c - the SPSC byte ring: ordering, wrap-around through the skip marker, the full and
 * empty edges, close semantics, hostile lengths, and a two-thread stress run. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "ssf/ring.h"

#include <pthread.h>

#define CAP 4096 /* the smallest ring; every layout below is computed for it */
#define HDR 8    /* record header bytes (ring.c)                              */

/* Bytes a record of len occupies: header plus 8-byte aligned payload. */
static size_t rec_size(size_t len)
{
    return HDR + ((len + 7) & ~(size_t)7);
}

static void push(ssf_ring_t *r, const void *data, size_t len)
{
    void *p = ssf_ring_reserve(r, len);
    assert_non_null(p);
    assert_int_equal((uintptr_t)p % 8, 0);
    memcpy(p, data, len);
    ssf_ring_commit(r);
}

static void pop_expect(ssf_ring_t *r, const void *data, size_t len)
{
    size_t n = 0;
    bool closed = true;
    const void *p = ssf_ring_peek(r, &n, &closed);
    assert_non_null(p);
    assert_false(closed);
    assert_int_equal(n, len);
    assert_memory_equal(p, data, len);
    ssf_ring_release(r);
}

static void expect_empty(ssf_ring_t *r, bool want_closed)
{
    size_t n = 12345;
    bool closed = !want_closed;
    assert_null(ssf_ring_peek(r, &n, &closed));
    assert_int_equal(closed, want_closed);
}

static void t_new_rounds_up(void **state)
{
    (void)state;
    ssf_ring_t *r = ssf_ring_new(1);
    assert_non_null(r);
    /* 4096 bytes: a record of cap/2 - HDR fits, one more payload byte does not. */
    assert_non_null(ssf_ring_reserve(r, CAP / 2 - HDR));
    assert_null(ssf_ring_reserve(r, CAP / 2 - HDR + 1));
    ssf_ring_free(&r);
    assert_null(r);
    ssf_ring_free(&r);   /* NULL-safe */
    ssf_ring_free(NULL); /* NULL-safe */

    /* No power of two holds this: refused rather than looping on a wrapped capacity. */
    assert_null(ssf_ring_new(SIZE_MAX));

    r = ssf_ring_new(5000); /* rounded to 8192 */
    assert_non_null(r);
    assert_non_null(ssf_ring_reserve(r, 8192 / 2 - HDR));
    ssf_ring_free(&r);
}

static void t_order_variable_sizes(void **state)
{
    (void)state;
    ssf_ring_t *r = ssf_ring_new(CAP);
    uint8_t buf[310]; /* record i starts at buf + i */
    for (size_t i = 0; i < sizeof buf; i++)
        buf[i] = (uint8_t)(i * 7 + 1);

    /* Nothing is visible before publish. */
    push(r, buf, 1);
    expect_empty(r, false);
    ssf_ring_publish(r);

    static const size_t sizes[] = {0, 7, 8, 9, 255, 300};
    for (size_t i = 0; i < SSF_ARRAY_LEN(sizes); i++)
        push(r, buf + i, sizes[i]);
    ssf_ring_publish(r);

    pop_expect(r, buf, 1);
    for (size_t i = 0; i < SSF_ARRAY_LEN(sizes); i++)
        pop_expect(r, buf + i, sizes[i]);
    expect_empty(r, false);
    ssf_ring_release_publish(r);
    ssf_ring_free(&r);
}

static void t_peek_twice_same_record(void **state)
{
    (void)state;
    ssf_ring_t *r = ssf_ring_new(CAP);
    push(r, "abc", 3);
    push(r, "defg", 4);
    ssf_ring_publish(r);
    size_t n;
    bool closed;
    const void *a = ssf_ring_peek(r, &n, &closed);
    const void *b = ssf_ring_peek(r, &n, &closed);
    assert_ptr_equal(a, b);
    assert_int_equal(n, 3);
    ssf_ring_release(r);
    pop_expect(r, "defg", 4);
    ssf_ring_free(&r);
}

/* Fills the ring so the next record cannot fit before the end of the buffer: it must go to
 * offset 0 behind a skip marker, and the consumer must step over the marker. */
static void t_wrap_skip_marker(void **state)
{
    (void)state;
    ssf_ring_t *r = ssf_ring_new(CAP);
    uint8_t big[1000], small[200];
    memset(big, 0xab, sizeof big);
    for (size_t i = 0; i < sizeof small; i++)
        small[i] = (uint8_t)i;

    /* Three 1008-byte records: head at 3024, 1072 bytes left before the end. */
    for (int i = 0; i < 3; i++)
        push(r, big, sizeof big);
    ssf_ring_publish(r);
    for (int i = 0; i < 3; i++)
        pop_expect(r, big, sizeof big);
    ssf_ring_release_publish(r);

    /* 1072 bytes left: a 1064-byte payload fits exactly (no wrap) ... */
    uint8_t exact[1064];
    memset(exact, 0x5a, sizeof exact);
    assert_int_equal(rec_size(sizeof exact), CAP - 3 * rec_size(sizeof big));
    push(r, exact, sizeof exact);
    ssf_ring_publish(r);
    const void *p;
    size_t n;
    bool closed;
    p = ssf_ring_peek(r, &n, &closed);
    assert_non_null(p);
    assert_int_equal(n, sizeof exact);
    ssf_ring_release(r);
    ssf_ring_release_publish(r);

    /* ... and the ring is now at offset 0 again. Do it again with one byte too many. */
    for (int i = 0; i < 3; i++)
        push(r, big, sizeof big);
    ssf_ring_publish(r);
    for (int i = 0; i < 3; i++)
        pop_expect(r, big, sizeof big);
    ssf_ring_release_publish(r);
    uint8_t over[1065];
    memset(over, 0x3c, sizeof over);
    void *w = ssf_ring_reserve(r, sizeof over);
    assert_non_null(w);
    memcpy(w, over, sizeof over);
    ssf_ring_commit(r);
    push(r, small, sizeof small);
    ssf_ring_publish(r);

    /* The consumer steps over the skip marker to the wrapped record. */
    p = ssf_ring_peek(r, &n, &closed);
    assert_non_null(p);
    assert_ptr_equal(p, w);
    assert_int_equal(n, sizeof over);
    assert_memory_equal(p, over, sizeof over);
    ssf_ring_release(r);
    pop_expect(r, small, sizeof small);
    expect_empty(r, false);
    ssf_ring_release_publish(r);
    ssf_ring_free(&r);
}

/* The wrapped record's address must be the buffer start: compare with the first record ever. */
static void t_wrap_lands_at_start(void **state)
{
    (void)state;
    ssf_ring_t *r = ssf_ring_new(CAP);
    uint8_t a[2000];
    memset(a, 1, sizeof a);
    void *first = ssf_ring_reserve(r, sizeof a); /* offset 0, 2008 bytes */
    assert_non_null(first);
    memcpy(first, a, sizeof a);
    ssf_ring_commit(r);
    push(r, a, 1500); /* offset 2008, 1508 bytes -> head 3516, 580 left */
    ssf_ring_publish(r);
    pop_expect(r, a, sizeof a);
    pop_expect(r, a, 1500);
    ssf_ring_release_publish(r);
    void *w = ssf_ring_reserve(r, 600); /* needs 608 > 580: wraps */
    assert_ptr_equal(w, first);
    memset(w, 9, 600);
    ssf_ring_commit(r);
    ssf_ring_publish(r);
    size_t n;
    bool closed;
    assert_ptr_equal(ssf_ring_peek(r, &n, &closed), first);
    assert_int_equal(n, 600);
    ssf_ring_free(&r);
}

/* The producer's view of how far behind the consumer is: what it committed, less what the
 * consumer handed back with release_publish (not what it merely released). */
static void t_backlog(void **state)
{
    (void)state;
    ssf_ring_t *r = ssf_ring_new(CAP);
    assert_int_equal(ssf_ring_capacity(r), CAP);
    assert_int_equal(ssf_ring_backlog(r), 0);
    for (int i = 0; i < 3; i++) {
        assert_non_null(ssf_ring_reserve(r, 100)); /* 8 header + 104 aligned */
        ssf_ring_commit(r);
    }
    assert_int_equal(ssf_ring_backlog(r), 3 * 112);
    ssf_ring_publish(r);
    size_t n;
    bool closed;
    assert_non_null(ssf_ring_peek(r, &n, &closed));
    ssf_ring_release(r);
    assert_int_equal(ssf_ring_backlog(r), 3 * 112);
    ssf_ring_release_publish(r);
    assert_int_equal(ssf_ring_backlog(r), 2 * 112);
    ssf_ring_free(&r);
}

static void t_full_until_release_publish(void **state)
{
    (void)state;
    ssf_ring_t *r = ssf_ring_new(CAP);
    uint8_t rec[504]; /* 512 bytes per record: exactly 8 fill the ring */
    int pushed = 0;
    for (;;) {
        memset(rec, pushed, sizeof rec);
        void *p = ssf_ring_reserve(r, sizeof rec);
        if (!p) break;
        memcpy(p, rec, sizeof rec);
        ssf_ring_commit(r);
        pushed++;
    }
    assert_int_equal(pushed, CAP / 512);
    ssf_ring_publish(r);
    assert_null(ssf_ring_reserve(r, 1));
    assert_null(ssf_ring_reserve(r, 0));

    /* Releasing without publishing the release hands nothing back. */
    size_t n;
    bool closed;
    assert_non_null(ssf_ring_peek(r, &n, &closed));
    ssf_ring_release(r);
    assert_null(ssf_ring_reserve(r, 1));
    ssf_ring_release_publish(r);
    void *p = ssf_ring_reserve(r, sizeof rec);
    assert_non_null(p);
    memset(p, 0x77, sizeof rec);
    ssf_ring_commit(r);
    assert_null(ssf_ring_reserve(r, 1));
    ssf_ring_publish(r);

    for (int i = 1; i < pushed; i++) {
        memset(rec, i, sizeof rec);
        pop_expect(r, rec, sizeof rec);
    }
    memset(rec, 0x77, sizeof rec);
    pop_expect(r, rec, sizeof rec);
    expect_empty(r, false);
    ssf_ring_free(&r);
}

static void t_oversize_refused(void **state)
{
    (void)state;
    ssf_ring_t *r = ssf_ring_new(CAP);
    assert_null(ssf_ring_reserve(r, CAP / 2 - HDR + 1));
    assert_null(ssf_ring_reserve(r, CAP));
    assert_null(ssf_ring_reserve(r, UINT32_MAX));
    /* Lengths whose alignment would overflow size_t must not wrap into a tiny record. */
    assert_null(ssf_ring_reserve(r, SIZE_MAX));
    assert_null(ssf_ring_reserve(r, SIZE_MAX - 6));
    /* Refusals leave the ring usable and empty. */
    expect_empty(r, false);
    push(r, "ok", 2);
    ssf_ring_publish(r);
    pop_expect(r, "ok", 2);
    ssf_ring_free(&r);
}

static void t_close_empty(void **state)
{
    (void)state;
    ssf_ring_t *r = ssf_ring_new(CAP);
    expect_empty(r, false);
    ssf_ring_close(r);
    expect_empty(r, true);
    expect_empty(r, true);
    ssf_ring_free(&r);
}

static void t_close_drains_first(void **state)
{
    (void)state;
    ssf_ring_t *r = ssf_ring_new(CAP);
    push(r, "one", 3);
    push(r, "two!", 4);
    ssf_ring_publish(r);
    push(r, "three", 5); /* committed, not published: close publishes it */
    ssf_ring_close(r);
    pop_expect(r, "one", 3);
    pop_expect(r, "two!", 4);
    pop_expect(r, "three", 5);
    expect_empty(r, true);
    ssf_ring_free(&r);
}

/* ---- two-thread stress ----------------------------------------------------------------- */

#define STRESS_N     2000000u
#define STRESS_MAX   1500u
#define STRESS_BURST 32u

typedef struct {
    ssf_ring_t *r;
    uint64_t errors;   /* consumer: records that failed a check */
    uint64_t received; /* consumer: records seen                */
} stress_t;

static uint32_t xorshift(uint32_t *s)
{
    uint32_t x = *s;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *s = x;
}

/* Record i: [u32 seq][u32 checksum] then payload bytes derived from the sequence number. */
static size_t stress_len(uint32_t *rng)
{
    return 1 + xorshift(rng) % STRESS_MAX;
}

static uint8_t stress_byte(uint32_t seq, size_t k)
{
    return (uint8_t)(seq * 31u + k * 7u + (k >> 8));
}

static uint32_t stress_sum(const uint8_t *p, size_t n)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (size_t k = 0; k < n; k++)
        h = (h ^ p[k]) * 16777619u;
    return h;
}

static void stress_fill(uint8_t *p, size_t len, uint32_t seq)
{
    uint8_t tmp[STRESS_MAX];
    for (size_t k = 0; k < len; k++)
        tmp[k] = stress_byte(seq, k);
    if (len >= 8) {
        memcpy(tmp, &seq, 4);
        uint32_t sum = stress_sum(tmp + 8, len - 8);
        memcpy(tmp + 4, &sum, 4);
    }
    memcpy(p, tmp, len);
}

static bool stress_check(const uint8_t *p, size_t len, size_t want_len, uint32_t seq)
{
    if (len != want_len) return false;
    if (len < 8) {
        for (size_t k = 0; k < len; k++)
            if (p[k] != stress_byte(seq, k)) return false;
        return true;
    }
    uint32_t s, sum;
    memcpy(&s, p, 4);
    memcpy(&sum, p + 4, 4);
    if (s != seq || sum != stress_sum(p + 8, len - 8)) return false;
    for (size_t k = 8; k < len; k++)
        if (p[k] != stress_byte(seq, k)) return false;
    return true;
}

static void *stress_producer(void *arg)
{
    stress_t *st = arg;
    uint32_t rng = 0x12345678u;
    unsigned spins = 0, in_burst = 0;
    for (uint32_t seq = 0; seq < STRESS_N; seq++) {
        size_t len = stress_len(&rng);
        void *p;
        while (!(p = ssf_ring_reserve(st->r, len))) {
            ssf_ring_publish(st->r);
            in_burst = 0;
            ssf_ring_backoff(&spins);
        }
        spins = 0;
        stress_fill(p, len, seq);
        ssf_ring_commit(st->r);
        if (++in_burst == STRESS_BURST) {
            ssf_ring_publish(st->r);
            in_burst = 0;
        }
    }
    ssf_ring_close(st->r);
    return NULL;
}

static void *stress_consumer(void *arg)
{
    stress_t *st = arg;
    uint32_t rng = 0x12345678u; /* same stream: the consumer knows every length */
    unsigned spins = 0, in_burst = 0;
    for (;;) {
        size_t len;
        bool closed;
        const uint8_t *p = ssf_ring_peek(st->r, &len, &closed);
        if (!p) {
            ssf_ring_release_publish(st->r);
            in_burst = 0;
            if (closed) break;
            ssf_ring_backoff(&spins);
            continue;
        }
        spins = 0;
        size_t want = stress_len(&rng);
        if (!stress_check(p, len, want, (uint32_t)st->received)) st->errors++;
        st->received++;
        ssf_ring_release(st->r);
        if (++in_burst == STRESS_BURST) {
            ssf_ring_release_publish(st->r);
            in_burst = 0;
        }
    }
    return NULL;
}

static void t_stress_two_threads(void **state)
{
    (void)state;
    stress_t st = {.r = ssf_ring_new(64 * 1024)};
    assert_non_null(st.r);
    pthread_t prod, cons;
    assert_int_equal(pthread_create(&cons, NULL, stress_consumer, &st), 0);
    assert_int_equal(pthread_create(&prod, NULL, stress_producer, &st), 0);
    pthread_join(prod, NULL);
    pthread_join(cons, NULL);
    assert_int_equal(st.errors, 0);
    assert_int_equal(st.received, STRESS_N);
    ssf_ring_free(&st.r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_new_rounds_up),
        cmocka_unit_test(t_order_variable_sizes),
        cmocka_unit_test(t_peek_twice_same_record),
        cmocka_unit_test(t_wrap_skip_marker),
        cmocka_unit_test(t_wrap_lands_at_start),
        cmocka_unit_test(t_full_until_release_publish),
        cmocka_unit_test(t_oversize_refused),
        cmocka_unit_test(t_close_empty),
        cmocka_unit_test(t_close_drains_first),
        cmocka_unit_test(t_stress_two_threads),
        cmocka_unit_test(t_backlog),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
