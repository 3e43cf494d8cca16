/* fuzz_ev_s7.c - libFuzzer target for probe_ev_s7, against the contract in fuzz_ev.h. */
#define FUZZ_EV_FN probe_ev_s7
#include "fuzz_ev.h"
