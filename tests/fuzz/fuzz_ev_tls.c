/* fuzz_ev_tls.c - libFuzzer target for probe_ev_tls, against the contract in fuzz_ev.h. */
#define FUZZ_EV_FN probe_ev_tls
#include "fuzz_ev.h"
