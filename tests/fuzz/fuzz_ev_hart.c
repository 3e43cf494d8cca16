/* fuzz_ev_hart.c - libFuzzer target for probe_ev_hart, against the contract in fuzz_ev.h. */
#define FUZZ_EV_FN probe_ev_hart
#include "fuzz_ev.h"
