/* fuzz_ev_hassh.c - libFuzzer target for probe_ev_hassh, against the contract in fuzz_ev.h. */
#define FUZZ_EV_FN probe_ev_hassh
#include "fuzz_ev.h"
