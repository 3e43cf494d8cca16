/* fuzz_ev_fins.c - libFuzzer target for probe_ev_fins, against the contract in fuzz_ev.h. */
#define FUZZ_EV_FN probe_ev_fins
#include "fuzz_ev.h"
