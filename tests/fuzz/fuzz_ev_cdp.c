/* fuzz_ev_cdp.c - libFuzzer target for probe_ev_cdp, against the contract in fuzz_ev.h. */
#define FUZZ_EV_FN probe_ev_cdp
#include "fuzz_ev.h"
