/* fuzz_ev_ubnt.c - libFuzzer target for probe_ev_ubnt, against the contract in fuzz_ev.h. */
#define FUZZ_EV_FN probe_ev_ubnt
#include "fuzz_ev.h"
