/* fuzz_ev_bacnet.c - libFuzzer target for probe_ev_bacnet, against the contract in fuzz_ev.h. */
#define FUZZ_EV_FN probe_ev_bacnet
#include "fuzz_ev.h"
