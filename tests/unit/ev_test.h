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

#endif
