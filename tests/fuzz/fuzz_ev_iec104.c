/* fuzz_ev_iec104.c - libFuzzer target for probe_ev_iec104, against the contract in fuzz_ev.h. */
#define FUZZ_EV_FN probe_ev_iec104
#include "fuzz_ev.h"
