/* ev_test.h - what the identity-extractor unit tests share. Include after <cmocka.h>. */
#ifndef EV_TEST_H
#define EV_TEST_H

#include "../../probes/evidence_internal.h"

#include <stdlib.h>
#include <string.h>

typedef ssf_rc (*ev_fn)(const uint8_t *p, size_t n, probe_ev_buf_t *out);

/* Runs an extractor on an exact-size heap copy, so ASan sees any read past n. */
static inline ssf_rc ev_run(ev_fn fn, const void *p, size_t n, probe_ev_buf_t *out)
{
    uint8_t *copy = malloc(n ? n : 1);
    assert_non_null(copy);
    if (n) memcpy(copy, p, n);
    memset(out, 0, sizeof *out);
    ssf_rc rc = fn(copy, n, out);
    free(copy);
    return rc;
}

/* The first item of field f, or NULL. */
static inline const probe_ev_t *ev_find(const probe_ev_buf_t *b, probe_ev_field f)
{
    for (size_t i = 0; i < b->n; i++)
        if (b->items[i].field == f) return &b->items[i];
    return NULL;
}

/* Items of other fields than f: tests of one kind of fact ignore another the same frames
 * always carry (Modbus function codes beside device identification). */
static inline size_t ev_n_without(const probe_ev_buf_t *b, probe_ev_field f)
{
    size_t n = 0;
    for (size_t i = 0; i < b->n; i++)
        n += b->items[i].field != f;
    return n;
}

/* The first item of field f exists, has exactly this value, and is about the sender. */
static inline void ev_assert_item(const probe_ev_buf_t *b, probe_ev_field f, const char *value)
{
    const probe_ev_t *it = ev_find(b, f);
    if (!it) fail_msg("no %s item", probe_ev_field_name(f));
    assert_string_equal(it->value, value);
    assert_int_equal(it->len, strlen(value));
    assert_int_equal(it->role, PROBE_EV_SRC);
}

/* Every proper prefix k of p gives ETRUNC, except the lengths in ok_at, which give OK; the
 * empty prefix is never the protocol and the whole sample is OK. */
static inline void ev_assert_cuts(ev_fn fn, const uint8_t *p, size_t n, const size_t *ok_at,
                                  size_t n_ok)
{
    probe_ev_buf_t b;
    assert_int_equal(ev_run(fn, p, 0, &b), SSF_EINVAL);
    for (size_t k = 1; k < n; k++) {
        ssf_rc want = SSF_ETRUNC;
        for (size_t i = 0; i < n_ok; i++)
            if (ok_at[i] == k) want = SSF_OK;
        ssf_rc rc = ev_run(fn, p, k, &b);
        if (rc != want) fail_msg("cut at %zu of %zu: rc %d, want %d", k, n, rc, want);
        assert_true(b.n <= PROBE_EV_BUF_ITEMS);
    }
    assert_int_equal(ev_run(fn, p, n, &b), SSF_OK);
}

#endif
