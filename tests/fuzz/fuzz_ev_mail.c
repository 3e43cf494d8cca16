/* fuzz_ev_mail.c - libFuzzer target for probe_ev_pop and probe_ev_imap, against the contract
 * in fuzz_ev.h: the first byte picks which one reads the rest. */
#include "probe/evidence.h"

#include <stddef.h>
#include <stdint.h>

static ssf_rc fuzz_ev_mail(const uint8_t *p, size_t n, probe_ev_buf_t *out)
{
    if (n == 0) return probe_ev_pop(p, n, out);
    return (p[0] & 1) ? probe_ev_imap(p + 1, n - 1, out) : probe_ev_pop(p + 1, n - 1, out);
}

#define FUZZ_EV_FN fuzz_ev_mail
#include "fuzz_ev.h"
