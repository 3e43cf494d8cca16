/* fuzz_ev_knx.c - libFuzzer target for probe_ev_knx, against the contract in fuzz_ev.h. */
#define FUZZ_EV_FN probe_ev_knx
#include "fuzz_ev.h"
