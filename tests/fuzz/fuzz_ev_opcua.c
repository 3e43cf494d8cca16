/* fuzz_ev_opcua.c - libFuzzer target for probe_ev_opcua, against the contract in fuzz_ev.h. */
#define FUZZ_EV_FN probe_ev_opcua
#include "fuzz_ev.h"
