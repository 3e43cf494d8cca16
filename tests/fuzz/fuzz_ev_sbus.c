/* fuzz_ev_sbus.c - libFuzzer target for probe_ev_sbus, against the contract in fuzz_ev.h. */
#define FUZZ_EV_FN probe_ev_sbus
#include "fuzz_ev.h"
