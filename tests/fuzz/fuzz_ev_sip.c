/* fuzz_ev_sip.c - libFuzzer target for probe_ev_sip, against the contract in fuzz_ev.h. */
#define FUZZ_EV_FN probe_ev_sip
#include "fuzz_ev.h"
