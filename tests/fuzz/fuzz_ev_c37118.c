/* fuzz_ev_c37118.c - libFuzzer target for probe_ev_c37118, against the contract in fuzz_ev.h. */
#define FUZZ_EV_FN probe_ev_c37118
#include "fuzz_ev.h"
