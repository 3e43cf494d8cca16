/* fuzz_ev_pnio.c - libFuzzer target for probe_ev_pnio, against the contract in fuzz_ev.h. */
#define FUZZ_EV_FN probe_ev_pnio
#include "fuzz_ev.h"
