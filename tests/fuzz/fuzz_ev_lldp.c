/* fuzz_ev_lldp.c - libFuzzer target for probe_ev_lldp, against the contract in fuzz_ev.h. */
#define FUZZ_EV_FN probe_ev_lldp
#include "fuzz_ev.h"
