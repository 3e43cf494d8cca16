/* fuzz_ev_enip.c - libFuzzer target for probe_ev_enip, against the contract in fuzz_ev.h. */
#define FUZZ_EV_FN probe_ev_enip
#include "fuzz_ev.h"
