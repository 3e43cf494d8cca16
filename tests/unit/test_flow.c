/* test_flow.c - the per-worker flow table: keys, lookup, timeouts, LRU eviction, budgets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "probe/flow.h"

/* ---- allocation counter -----------------------------------------------------------------
 * Outside sanitizer builds the test interposes the C allocators and counts calls, so the
 * flood test can prove probe_flow_get() never allocates. ASan has its own allocator; there
 * the counter stays 0 and the design plus ASan's leak check carry the claim. */
static unsigned long n_allocs;
#if !defined(__SANITIZE_ADDRESS__)
extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t n, size_t sz);
extern void *__libc_realloc(void *p, size_t n);
extern void *__libc_memalign(size_t align, size_t n);
void *malloc(size_t n)
{
    n_allocs++;
    return __libc_malloc(n);
}
void *calloc(size_t n, size_t sz)
{
    n_allocs++;
    return __libc_calloc(n, sz);
}
void *realloc(void *p, size_t n)
{
    n_allocs++;
    return __libc_realloc(p, n);
}
void *aligned_alloc(size_t align, size_t n)
{
    n_allocs++;
    return __libc_memalign(align, n);
}
#endif

/* ---- helpers ---------------------------------------------------------------------------- */

#define MAX_EV 512

/* What on_end saw, in order. */
typedef struct {
    size_t n;                     /* calls so far (may exceed MAX_EV)          */
    size_t by_why[5];             /* calls per probe_flow_end                  */
    probe_flow_end why[MAX_EV];   /* reason of call i                          */
    probe_flow_key_t key[MAX_EV]; /* key of the flow ended by call i           */
    uint8_t user0[MAX_EV];        /* first user byte at call i (0 if no area)  */
    size_t user_size;             /* how much user area to look at             */
} recorder;

static void on_end_rec(probe_flow_t *f, probe_flow_end why, void *ctx)
{
    recorder *r = ctx;
    if (r->n < MAX_EV) {
        r->why[r->n] = why;
        r->key[r->n] = f->key;
        r->user0[r->n] = r->user_size ? ((uint8_t *)f->user)[0] : 0;
    }
    r->by_why[why]++;
    r->n++;
}

static size_t pow2ceil(size_t n)
{
    size_t p = 1;
    while (p < n)
        p <<= 1;
    return p;
}

static size_t user_stride(size_t user)
{
    return (user + 63) / 64 * 64;
}

/* The budget that, by the formula in flow.h, holds exactly n flows. */
static size_t budget_for(size_t n, size_t user)
{
    return n * (sizeof(probe_flow_t) + user_stride(user)) + pow2ceil(n) * sizeof(uint32_t);
}

static probe_pkt_t pkt_v4(uint32_t src, uint16_t sport, uint32_t dst, uint16_t dport, uint8_t proto)
{
    probe_pkt_t p;
    memset(&p, 0, sizeof p);
    uint8_t s[4] = {(uint8_t)(src >> 24), (uint8_t)(src >> 16), (uint8_t)(src >> 8), (uint8_t)src};
    uint8_t d[4] = {(uint8_t)(dst >> 24), (uint8_t)(dst >> 16), (uint8_t)(dst >> 8), (uint8_t)dst};
    p.ip_ver = 4;
    ssf_addr_from_v4(&p.src_ip, s);
    ssf_addr_from_v4(&p.dst_ip, d);
    p.sport = sport;
    p.dport = dport;
    p.l4_proto = proto;
    return p;
}

/* A distinct TCP key per n. */
static probe_flow_key_t key_n(uint32_t n)
{
    probe_pkt_t p = pkt_v4(0x0a000000u + n, (uint16_t)(1024 + n % 50000), 0xc0a80101u, 502, 6);
    probe_flow_key_t k;
    assert_true(probe_flow_key_make(&p, &k, NULL));
    return k;
}

static bool key_eq(const probe_flow_key_t *a, const probe_flow_key_t *b)
{
    return memcmp(a, b, sizeof *a) == 0;
}

static probe_flow_table_t *table(size_t nflows, size_t user, uint64_t idle, uint64_t abs,
                                 recorder *r)
{
    probe_flow_cfg_t cfg = {.memory_bytes = budget_for(nflows, user),
                            .user_size = user,
                            .idle_timeout_us = idle,
                            .abs_timeout_us = abs,
                            .on_end = r ? on_end_rec : NULL,
                            .ctx = r};
    if (r) r->user_size = user;
    ssf_err err = {0};
    probe_flow_table_t *t = probe_flow_table_new(&cfg, &err);
    assert_non_null(t);
    probe_flow_stats_t st;
    probe_flow_stats(t, &st);
    assert_int_equal(st.capacity, nflows);
    return t;
}

/* ---- keys ------------------------------------------------------------------------------- */

static void t_key_symmetric_v4(void **state)
{
    (void)state;
    probe_pkt_t ab = pkt_v4(0xc0a80005u, 40000, 0xc0a80002u, 502, 6);
    probe_pkt_t ba = pkt_v4(0xc0a80002u, 502, 0xc0a80005u, 40000, 6);
    probe_flow_key_t k1, k2;
    memset(&k1, 0xa5, sizeof k1); /* garbage in: padding must still come out zero */
    memset(&k2, 0x5a, sizeof k2);
    uint8_t d1 = 9, d2 = 9;
    assert_true(probe_flow_key_make(&ab, &k1, &d1));
    assert_true(probe_flow_key_make(&ba, &k2, &d2));
    assert_true(key_eq(&k1, &k2));
    assert_int_equal(d1, 1); /* .5 > .2, so the source of ab is the hi side */
    assert_int_equal(d2, 0);
    assert_int_equal(k1.lo_port, 502);
    assert_int_equal(k1.hi_port, 40000);
    assert_int_equal(k1.pad, 0);
    assert_int_equal(k1.vlan, 0);
    assert_int_equal(k1.proto, 6);
    /* Same address both ends: ports decide, and the order is still symmetric. */
    probe_pkt_t l1 = pkt_v4(0x7f000001u, 9000, 0x7f000001u, 80, 17);
    probe_pkt_t l2 = pkt_v4(0x7f000001u, 80, 0x7f000001u, 9000, 17);
    assert_true(probe_flow_key_make(&l1, &k1, &d1));
    assert_true(probe_flow_key_make(&l2, &k2, &d2));
    assert_true(key_eq(&k1, &k2));
    assert_int_equal(d1, 1);
    assert_int_equal(d2, 0);
    assert_int_equal(k1.lo_port, 80);
}

/* The lo side is the address memcmp() puts first, whichever byte tells them apart, with the
 * byte's top bit set or not. */
static void t_key_order_every_byte(void **state)
{
    (void)state;
    for (int i = 0; i < 16; i++) {
        for (int top = 0; top < 2; top++) {
            probe_pkt_t p;
            memset(&p, 0, sizeof p);
            p.ip_ver = 6;
            p.l4_proto = 6;
            p.src_ip.b[i] = top ? 0x81 : 0x02; /* src is the greater */
            p.dst_ip.b[i] = top ? 0x7f : 0x01;
            p.src_ip.b[15 - i] ^= 0x40; /* another byte differs as well, before or after */
            int c = memcmp(p.src_ip.b, p.dst_ip.b, 16);
            probe_flow_key_t k;
            uint8_t d;
            assert_true(probe_flow_key_make(&p, &k, &d));
            assert_int_equal(d, c > 0);
            assert_memory_equal(k.lo_ip.b, c > 0 ? p.dst_ip.b : p.src_ip.b, 16);
        }
    }
}

static void t_key_symmetric_v6(void **state)
{
    (void)state;
    probe_pkt_t p;
    memset(&p, 0, sizeof p);
    p.ip_ver = 6;
    p.l4_proto = 17;
    assert_true(ssf_addr_parse("fe80::1", &p.src_ip));
    assert_true(ssf_addr_parse("2001:db8::7", &p.dst_ip));
    p.sport = 546;
    p.dport = 547;
    probe_pkt_t q = p;
    q.src_ip = p.dst_ip;
    q.dst_ip = p.src_ip;
    q.sport = 547;
    q.dport = 546;
    probe_flow_key_t k1, k2;
    uint8_t d1, d2;
    assert_true(probe_flow_key_make(&p, &k1, &d1));
    assert_true(probe_flow_key_make(&q, &k2, &d2));
    assert_true(key_eq(&k1, &k2));
    assert_int_equal(d1, 1); /* 0x20 < 0xfe: 2001:db8::7 is lo */
    assert_int_equal(d2, 0);
    assert_memory_equal(k1.lo_ip.b, q.src_ip.b, 16);
    assert_int_equal(k1.lo_port, 547);
}

static void t_key_vlan_and_non_ip(void **state)
{
    (void)state;
    probe_pkt_t a = pkt_v4(1, 1000, 2, 2000, 6);
    probe_pkt_t b = a;
    b.n_vlan = 1;
    b.vlan[0] = 100;
    probe_pkt_t c = b;
    c.n_vlan = 2;
    c.vlan[1] = 200; /* the inner tag does not take part */
    probe_flow_key_t ka, kb, kc;
    assert_true(probe_flow_key_make(&a, &ka, NULL));
    assert_true(probe_flow_key_make(&b, &kb, NULL));
    assert_true(probe_flow_key_make(&c, &kc, NULL));
    assert_false(key_eq(&ka, &kb));
    assert_true(key_eq(&kb, &kc));
    assert_int_equal(kb.vlan, 100);
    probe_pkt_t u = a;
    u.l4_proto = 17; /* same tuple over UDP is another flow */
    probe_flow_key_t ku;
    assert_true(probe_flow_key_make(&u, &ku, NULL));
    assert_false(key_eq(&ka, &ku));
    probe_pkt_t arp;
    memset(&arp, 0, sizeof arp);
    arp.ethertype = 0x0806;
    uint8_t d = 7;
    assert_false(probe_flow_key_make(&arp, &ka, &d));
    assert_int_equal(d, 7);
}

/* ---- table ------------------------------------------------------------------------------ */

static void t_create_lookup(void **state)
{
    (void)state;
    probe_flow_table_t *t = table(16, 0, 0, 0, NULL);
    probe_flow_key_t k1 = key_n(1), k2 = key_n(2);
    bool created = false;
    probe_flow_t *f1 = probe_flow_get(t, &k1, 1000, &created);
    assert_true(created);
    assert_true(key_eq(&f1->key, &k1));
    assert_int_equal(f1->first_us, 1000);
    assert_int_equal(f1->last_us, 1000);
    assert_int_equal(f1->client_dir, PROBE_FLOW_DIR_UNKNOWN);
    assert_int_equal(f1->pkts[0] + f1->pkts[1] + f1->bytes[0] + f1->bytes[1] + f1->flags, 0);
    assert_null(f1->user);
    assert_int_equal((uintptr_t)f1 % 64, 0);
    f1->pkts[0] = 3;
    f1->client_dir = 0;
    probe_flow_t *f2 = probe_flow_get(t, &k2, 1500, &created);
    assert_true(created);
    assert_ptr_not_equal(f1, f2);
    probe_flow_t *again = probe_flow_get(t, &k1, 2000, &created);
    assert_false(created);
    assert_ptr_equal(again, f1);
    assert_int_equal(again->pkts[0], 3);
    assert_int_equal(again->client_dir, 0);
    assert_int_equal(again->first_us, 1000);
    assert_int_equal(again->last_us, 2000);
    assert_ptr_equal(probe_flow_get(t, &k2, 2100, NULL), f2); /* created may be NULL */
    probe_flow_stats_t st;
    probe_flow_stats(t, &st);
    assert_int_equal(st.created, 2);
    assert_int_equal(st.active, 2);
    probe_flow_table_free(&t);
    assert_null(t);
    probe_flow_table_free(&t); /* NULL-safe */
    probe_flow_table_free(NULL);
}

static void t_idle_on_get(void **state)
{
    (void)state;
    recorder r = {0};
    probe_flow_table_t *t = table(16, 0, 100, 0, &r);
    probe_flow_key_t k = key_n(7);
    bool created;
    probe_flow_t *f = probe_flow_get(t, &k, 0, &created);
    f->pkts[1] = 5;
    assert_ptr_equal(probe_flow_get(t, &k, 100, &created), f); /* exactly idle: still alive */
    assert_false(created);
    assert_ptr_equal(probe_flow_get(t, &k, 200, &created), f);
    assert_false(created);
    assert_int_equal(r.n, 0);
    f = probe_flow_get(t, &k, 301, &created); /* 101 us of silence */
    assert_true(created);
    assert_int_equal(r.n, 1);
    assert_int_equal(r.why[0], PROBE_FLOW_END_IDLE);
    assert_true(key_eq(&r.key[0], &k));
    assert_int_equal(f->pkts[1], 0);
    assert_int_equal(f->first_us, 301);
    probe_flow_stats_t st;
    probe_flow_stats(t, &st);
    assert_int_equal(st.expired_idle, 1);
    assert_int_equal(st.created, 2);
    assert_int_equal(st.active, 1);
    probe_flow_table_free(&t);
}

static void t_expire_idle_capped(void **state)
{
    (void)state;
    recorder r = {0};
    probe_flow_table_t *t = table(64, 0, 1000, 0, &r);
    for (uint32_t i = 0; i < 10; i++) {
        probe_flow_key_t k = key_n(i);
        probe_flow_get(t, &k, 100 + i, NULL);
    }
    probe_flow_key_t k0 = key_n(0);
    probe_flow_get(t, &k0, 1000, NULL); /* flow 0 is fresh again and now the newest */
    assert_int_equal(probe_flow_expire(t, 1000, 100), 0); /* nothing idle yet */
    assert_int_equal(probe_flow_expire(t, 2000, 0), 0);   /* max 0 does nothing */
    assert_int_equal(probe_flow_expire(t, 2000, 3), 3);   /* cap honoured */
    assert_int_equal(r.n, 3);
    for (uint32_t i = 0; i < 3; i++) { /* oldest first: 1, 2, 3 */
        probe_flow_key_t k = key_n(i + 1);
        assert_true(key_eq(&r.key[i], &k));
        assert_int_equal(r.why[i], PROBE_FLOW_END_IDLE);
    }
    assert_int_equal(probe_flow_expire(t, 2000, 100), 6); /* the rest but fresh flow 0 */
    assert_int_equal(r.n, 9);
    probe_flow_key_t k9 = key_n(9);
    assert_true(key_eq(&r.key[8], &k9));
    probe_flow_stats_t st;
    probe_flow_stats(t, &st);
    assert_int_equal(st.active, 1);
    assert_int_equal(st.expired_idle, 9);
    assert_int_equal(probe_flow_expire(t, 3001, 100), 1);
    assert_int_equal(probe_flow_expire(t, 9999, 100), 0); /* empty table */
    probe_flow_table_free(&t);
}

static void t_absolute_timeout(void **state)
{
    (void)state;
    recorder r = {0};
    probe_flow_table_t *t = table(16, 0, 500, 1000, &r);
    probe_flow_key_t k = key_n(1), k2 = key_n(2);
    probe_flow_t *f = probe_flow_get(t, &k, 0, NULL);
    for (uint64_t now = 100; now <= 1000; now += 100)
        assert_ptr_equal(probe_flow_get(t, &k, now, NULL), f);
    assert_int_equal(r.n, 0);
    bool created;
    f = probe_flow_get(t, &k, 1001, &created); /* busy but too old */
    assert_true(created);
    assert_int_equal(r.n, 1);
    assert_int_equal(r.why[0], PROBE_FLOW_END_ABSOLUTE);
    assert_int_equal(f->first_us, 1001);
    /* expire() also ends absolute-expired flows at the tail. */
    probe_flow_get(t, &k2, 1100, NULL);
    for (uint64_t now = 1200; now <= 2000; now += 400) {
        probe_flow_get(t, &k2, now, NULL);
        probe_flow_get(t, &k, now, NULL);
    }
    assert_int_equal(probe_flow_expire(t, 2101, 1), 1); /* k2 at the tail: 1001 us old */
    assert_int_equal(r.why[1], PROBE_FLOW_END_ABSOLUTE);
    assert_true(key_eq(&r.key[1], &k2));
    probe_flow_stats_t st;
    probe_flow_stats(t, &st);
    assert_int_equal(st.expired_abs, 2);
    assert_int_equal(st.expired_idle, 0);
    probe_flow_table_free(&t);
}

static void t_lru_eviction_order(void **state)
{
    (void)state;
    recorder r = {0};
    probe_flow_table_t *t = table(16, 0, 0, 0, &r);
    probe_flow_t *fl[16];
    for (uint32_t i = 0; i < 16; i++) {
        probe_flow_key_t k = key_n(i);
        fl[i] = probe_flow_get(t, &k, i, NULL);
    }
    /* Touch 0 and 1, so 2 becomes the least recently used. */
    probe_flow_key_t k0 = key_n(0), k1 = key_n(1), k2 = key_n(2), k3 = key_n(3);
    probe_flow_get(t, &k1, 100, NULL);
    probe_flow_get(t, &k0, 101, NULL);
    probe_flow_key_t kn = key_n(100);
    bool created;
    probe_flow_t *fn = probe_flow_get(t, &kn, 102, &created);
    assert_true(created);
    assert_int_equal(r.n, 1);
    assert_int_equal(r.why[0], PROBE_FLOW_END_EVICTED);
    assert_true(key_eq(&r.key[0], &k2));
    assert_ptr_equal(fn, fl[2]); /* the evicted slot is the one reused */
    probe_flow_key_t kn2 = key_n(101);
    probe_flow_get(t, &kn2, 103, NULL);
    assert_true(key_eq(&r.key[1], &k3));
    /* The touched flows survived. */
    assert_ptr_equal(probe_flow_get(t, &k0, 104, &created), fl[0]);
    assert_false(created);
    assert_ptr_equal(probe_flow_get(t, &k1, 105, &created), fl[1]);
    assert_false(created);
    probe_flow_stats_t st;
    probe_flow_stats(t, &st);
    assert_int_equal(st.evicted, 2);
    assert_int_equal(st.active, 16);
    assert_int_equal(st.peak_active, 16);
    probe_flow_table_free(&t);
}

static void t_user_area_zeroed_on_reuse(void **state)
{
    (void)state;
    recorder r = {0};
    probe_flow_table_t *t = table(16, 100, 10, 0, &r);
    probe_flow_t *seen[16];
    for (uint32_t i = 0; i < 16; i++) {
        probe_flow_key_t k = key_n(i);
        probe_flow_t *f = probe_flow_get(t, &k, 0, NULL);
        assert_non_null(f->user);
        assert_int_equal((uintptr_t)f->user % PROBE_FLOW_USER_ALIGN, 0);
        for (uint32_t j = 0; j < i; j++) /* areas do not overlap */
            assert_true((uint8_t *)seen[j]->user + 100 <= (uint8_t *)f->user ||
                        (uint8_t *)f->user + 100 <= (uint8_t *)seen[j]->user);
        for (size_t b = 0; b < 100; b++)
            assert_int_equal(((uint8_t *)f->user)[b], 0);
        memset(f->user, 0xab, 100);
        f->flags = 0xdead;
        seen[i] = f;
    }
    probe_flow_key_t k = key_n(0);
    probe_flow_t *f = probe_flow_get(t, &k, 50, NULL); /* idle: ended, then recreated */
    assert_int_equal(r.n, 1);
    assert_int_equal(r.user0[0], 0xab); /* on_end still sees the worker's state */
    assert_ptr_equal(f, seen[0]);
    for (size_t b = 0; b < 100; b++)
        assert_int_equal(((uint8_t *)f->user)[b], 0);
    assert_int_equal(f->flags, 0);
    probe_flow_key_t kn = key_n(99); /* slot reused via eviction is zeroed too */
    f = probe_flow_get(t, &kn, 50, NULL);
    assert_int_equal(r.n, 2);
    assert_int_equal(r.why[1], PROBE_FLOW_END_IDLE); /* full, but the tail had timed out */
    assert_int_equal(r.user0[1], 0xab);
    for (size_t b = 0; b < 100; b++)
        assert_int_equal(((uint8_t *)f->user)[b], 0);
    probe_flow_table_free(&t);
}

static void t_flush_and_end_now(void **state)
{
    (void)state;
    recorder r = {0};
    probe_flow_table_t *t = table(32, 8, 0, 0, &r);
    probe_flow_t *fl[20];
    for (uint32_t i = 0; i < 20; i++) {
        probe_flow_key_t k = key_n(i);
        fl[i] = probe_flow_get(t, &k, 10 * i, NULL);
    }
    probe_flow_key_t k5 = key_n(5);
    probe_flow_get(t, &k5, 1000, NULL); /* 5 is now the most recent */
    probe_flow_end_now(t, fl[7]);
    assert_int_equal(r.n, 1);
    assert_int_equal(r.why[0], PROBE_FLOW_END_CLOSED);
    bool created;
    probe_flow_key_t k7 = key_n(7);
    probe_flow_get(t, &k7, 1001, &created);
    assert_true(created);
    probe_flow_flush(t);
    assert_int_equal(r.n, 1 + 20);
    assert_int_equal(r.by_why[PROBE_FLOW_END_FLUSH], 20);
    /* LRU order, oldest first: 0..19 without 5 and 7, then 5, then 7. */
    uint32_t want[20], w = 0;
    for (uint32_t i = 0; i < 20; i++)
        if (i != 5 && i != 7) want[w++] = i;
    want[w++] = 5;
    want[w++] = 7;
    for (uint32_t i = 0; i < 20; i++) {
        probe_flow_key_t k = key_n(want[i]);
        assert_int_equal(r.why[1 + i], PROBE_FLOW_END_FLUSH);
        assert_true(key_eq(&r.key[1 + i], &k));
    }
    probe_flow_stats_t st;
    probe_flow_stats(t, &st);
    assert_int_equal(st.active, 0);
    assert_int_equal(st.flushed, 20);
    assert_int_equal(st.closed, 1);
    assert_int_equal(st.created, 21);
    assert_int_equal(st.peak_active, 20);
    /* Still usable after a flush, and flushing an empty table is a no-op. */
    assert_true(probe_flow_get(t, &k5, 2000, &created) != NULL);
    assert_true(created);
    probe_flow_flush(t);
    probe_flow_flush(t);
    assert_int_equal(r.n, 22);
    probe_flow_table_free(&t);
}

static void t_null_on_end(void **state)
{
    (void)state;
    probe_flow_table_t *t = table(16, 16, 50, 0, NULL);
    for (uint32_t i = 0; i < 40; i++) {
        probe_flow_key_t k = key_n(i);
        probe_flow_get(t, &k, i, NULL);
    }
    assert_int_equal(probe_flow_expire(t, 100, 4), 4);
    probe_flow_key_t k = key_n(39);
    probe_flow_end_now(t, probe_flow_get(t, &k, 40, NULL));
    probe_flow_flush(t);
    probe_flow_stats_t st;
    probe_flow_stats(t, &st);
    assert_int_equal(st.evicted, 24);
    assert_int_equal(st.expired_idle, 4);
    assert_int_equal(st.closed, 1);
    assert_int_equal(st.flushed, 11);
    assert_int_equal(st.active, 0);
    probe_flow_table_free(&t);
}

static void t_capacity_from_budget(void **state)
{
    (void)state;
    const size_t users[] = {0, 1, 64, 65, 500};
    const size_t budgets[] = {8192, 100000, 1u << 20, 3000017, 64u << 20};
    for (size_t u = 0; u < SSF_ARRAY_LEN(users); u++) {
        for (size_t b = 0; b < SSF_ARRAY_LEN(budgets); b++) {
            probe_flow_cfg_t cfg = {.memory_bytes = budgets[b], .user_size = users[u]};
            ssf_err err = {0};
            probe_flow_table_t *t = probe_flow_table_new(&cfg, &err);
            if (!t) { /* only the smallest budgets may be refused */
                assert_int_equal(err.rc, SSF_EINVAL);
                assert_true(budgets[b] < budget_for(PROBE_FLOW_MIN_CAPACITY, users[u]));
                continue;
            }
            probe_flow_stats_t st;
            probe_flow_stats(t, &st);
            assert_true(st.capacity >= PROBE_FLOW_MIN_CAPACITY);
            assert_true(budget_for(st.capacity, users[u]) <= budgets[b]);    /* fits */
            assert_true(budget_for(st.capacity + 1, users[u]) > budgets[b]); /* maximal */
            assert_true(budget_for(st.capacity * 2, users[u]) > budgets[b]);
            assert_int_equal(st.active, 0);
            probe_flow_table_free(&t);
        }
    }
    /* One MiB with 64 user bytes: 1 MiB / (128 + 64 + ~4) is about 5350 flows. */
    probe_flow_cfg_t cfg = {.memory_bytes = 1u << 20, .user_size = 64};
    probe_flow_table_t *t = probe_flow_table_new(&cfg, NULL);
    probe_flow_stats_t st;
    probe_flow_stats(t, &st);
    assert_in_range(st.capacity, 5000, 5461);
    probe_flow_table_free(&t);
}

static void t_too_small_budget(void **state)
{
    (void)state;
    probe_flow_cfg_t cfg = {.memory_bytes = budget_for(16, 32) - 1, .user_size = 32};
    ssf_err err = {0};
    assert_null(probe_flow_table_new(&cfg, &err));
    assert_int_equal(err.rc, SSF_EINVAL);
    assert_non_null(strstr(err.msg, "at least 16"));
    cfg.memory_bytes++;
    probe_flow_table_t *t = probe_flow_table_new(&cfg, &err);
    assert_non_null(t);
    probe_flow_table_free(&t);
    cfg.memory_bytes = 0;
    assert_null(probe_flow_table_new(&cfg, NULL)); /* err may be NULL */
    cfg.memory_bytes = 100;
    cfg.user_size = 1000;
    memset(&err, 0, sizeof err);
    assert_null(probe_flow_table_new(&cfg, &err));
    assert_int_equal(err.rc, SSF_EINVAL);
    memset(&err, 0, sizeof err);
    assert_null(probe_flow_table_new(NULL, &err));
    assert_int_equal(err.rc, SSF_EINVAL);
}

static void t_time_goes_backwards(void **state)
{
    (void)state;
    recorder r = {0};
    probe_flow_table_t *t = table(16, 0, 100, 1000, &r);
    probe_flow_key_t k = key_n(1), k2 = key_n(2);
    bool created;
    const uint64_t T = 4000000000ull;
    probe_flow_t *f = probe_flow_get(t, &k, T, &created);
    /* Next capture file starts an hour earlier: no underflow, no expiry, last_us kept. */
    assert_ptr_equal(probe_flow_get(t, &k, T - 3600000000ull, &created), f);
    assert_false(created);
    assert_ptr_equal(probe_flow_get(t, &k, 10, &created), f);
    assert_false(created);
    assert_int_equal(f->last_us, T);
    assert_int_equal(f->first_us, T);
    assert_int_equal(probe_flow_expire(t, 0, 100), 0);
    assert_int_equal(r.n, 0);
    /* A flow created in the earlier time still works and times out on its own clock. */
    probe_flow_t *g = probe_flow_get(t, &k2, 500, &created);
    assert_true(created);
    assert_int_equal(g->first_us, 500);
    assert_ptr_equal(probe_flow_get(t, &k2, 550, &created), g);
    assert_false(created);
    probe_flow_get(t, &k2, 700, &created);
    assert_true(created);
    assert_int_equal(r.why[0], PROBE_FLOW_END_IDLE);
    /* Forward again: the first flow was last seen at T and is still alive at T + 100. */
    assert_ptr_equal(probe_flow_get(t, &k, T + 100, &created), f);
    assert_false(created);
    probe_flow_table_free(&t);
}

static void t_flood_100k_into_1k(void **state)
{
    (void)state;
    recorder r = {0};
    probe_flow_table_t *t = table(1000, 48, 0, 0, &r);
    uintptr_t lo = UINTPTR_MAX, hi = 0;
    unsigned long allocs_before = n_allocs;
    for (uint32_t i = 0; i < 100000; i++) {
        probe_flow_key_t k = key_n(i);
        bool created = false;
        probe_flow_t *f = probe_flow_get(t, &k, 1000 + i, &created);
        assert_true(created);
        if ((uintptr_t)f < lo) lo = (uintptr_t)f;
        if ((uintptr_t)f > hi) hi = (uintptr_t)f;
        ((uint8_t *)f->user)[47] = 1;
        if (i >= 10 && i % 997 == 0) { /* a flow 10 keys old is still live */
            probe_flow_key_t kk = key_n(i - 10);
            probe_flow_get(t, &kk, 1000 + i, &created);
            assert_false(created);
        }
        probe_flow_stats_t st;
        probe_flow_stats(t, &st);
        assert_true(st.active <= st.capacity);
    }
    assert_int_equal(n_allocs, allocs_before);          /* the packet path never allocated */
    assert_true(hi - lo < 1000 * sizeof(probe_flow_t)); /* every flow from the one pool */
    probe_flow_stats_t st;
    probe_flow_stats(t, &st);
    assert_int_equal(st.active, 1000);
    assert_int_equal(st.peak_active, 1000);
    assert_int_equal(st.evicted, st.created - 1000);
    assert_int_equal(r.by_why[PROBE_FLOW_END_EVICTED], st.evicted);
    assert_int_equal(st.created, 100000);
    /* The newest keys are the ones alive (a re-touched older key may displace one or two of
     * the oldest of the last 1000). */
    for (uint32_t i = 99010; i < 100000; i++) {
        probe_flow_key_t k = key_n(i);
        bool created = true;
        probe_flow_get(t, &k, 200000, &created);
        assert_false(created);
    }
    probe_flow_flush(t);
    assert_int_equal(r.n, st.evicted + 1000);
    probe_flow_table_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_key_symmetric_v4),     cmocka_unit_test(t_key_symmetric_v6),
        cmocka_unit_test(t_key_order_every_byte), cmocka_unit_test(t_key_vlan_and_non_ip),
        cmocka_unit_test(t_create_lookup),        cmocka_unit_test(t_idle_on_get),
        cmocka_unit_test(t_expire_idle_capped),   cmocka_unit_test(t_absolute_timeout),
        cmocka_unit_test(t_lru_eviction_order),   cmocka_unit_test(t_user_area_zeroed_on_reuse),
        cmocka_unit_test(t_flush_and_end_now),    cmocka_unit_test(t_null_on_end),
        cmocka_unit_test(t_capacity_from_budget), cmocka_unit_test(t_too_small_budget),
        cmocka_unit_test(t_time_goes_backwards),  cmocka_unit_test(t_flood_100k_into_1k),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
