/* fuzz_ev_mdns.c - libFuzzer target for probe_ev_mdns, against the contract in fuzz_ev.h. */
#define FUZZ_EV_FN probe_ev_mdns
#include "fuzz_ev.h"
