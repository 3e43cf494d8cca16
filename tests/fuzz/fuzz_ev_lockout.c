/* fuzz_ev_lockout.c - libFuzzer target for the login-reply readers (FTP, POP3, IMAP, HTTP
 * stateful forms) against the contract in fuzz_ev.h, plus the rule engine/bruteforce.c relies
 * on: one reply is a refusal (auth.failure) or a lockout (auth.lockout), never both. The input
 * is a conversation: segments split at 0xff, each read by the protocol its first byte picks,
 * with one credential state shared across them as on a flow. */
#include "probe/evidence.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { LK_MAX_SEGMENTS = 16 }; /* bounds one input's work */

static ssf_rc lk_read(uint8_t which, const uint8_t *p, size_t n, probe_ev_cred_t *st,
                      probe_ev_buf_t *out)
{
    switch (which & 3) {
    case 0:
        return probe_ev_ftp_st(p, n, st, out);
    case 1:
        return probe_ev_pop_st(p, n, st, out);
    case 2:
        return probe_ev_imap_st(p, n, st, out);
    default:
        return probe_ev_http_st(p, n, st, out);
    }
}

static ssf_rc lk_one(const uint8_t *p, size_t n, probe_ev_cred_t *st, probe_ev_buf_t *out)
{
    if (!n) return probe_ev_ftp_st(p, n, st, out);
    ssf_rc rc = lk_read(p[0], p + 1, n - 1, st, out);
    bool fail = false, lock = false;
    for (size_t i = 0; i < out->n; i++) {
        fail |= out->items[i].field == PROBE_EVF_AUTH_FAILURE;
        lock |= out->items[i].field == PROBE_EVF_AUTH_LOCKOUT;
    }
    if (fail && lock) abort();
    return rc;
}

static probe_ev_cred_t lk_state;

static ssf_rc fuzz_ev_lockout(const uint8_t *p, size_t n, probe_ev_buf_t *out)
{
    memset(&lk_state, 0, sizeof lk_state);
    ssf_rc rc = SSF_OK;
    for (int k = 0; k < LK_MAX_SEGMENTS; k++) {
        const uint8_t *sep = memchr(p, 0xff, n);
        size_t len = sep ? (size_t)(sep - p) : n;
        out->n = out->dropped = 0; /* the contract is checked on the last segment's items */
        rc = lk_one(p, len, &lk_state, out);
        if (!sep) break;
        p = sep + 1, n -= len + 1;
    }
    return rc;
}

#define FUZZ_EV_FN fuzz_ev_lockout
#include "fuzz_ev.h"
