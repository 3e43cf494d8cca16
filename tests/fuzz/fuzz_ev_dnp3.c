/* fuzz_ev_dnp3.c - libFuzzer target for probe_ev_dnp3, against the contract in fuzz_ev.h. */
#define FUZZ_EV_FN probe_ev_dnp3
#include "fuzz_ev.h"
