/* fuzz_ev_mms.c - libFuzzer target for probe_ev_mms, against the contract in fuzz_ev.h. */
#define FUZZ_EV_FN probe_ev_mms
#include "fuzz_ev.h"
