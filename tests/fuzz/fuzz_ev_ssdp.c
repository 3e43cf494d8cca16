/* fuzz_ev_ssdp.c - libFuzzer target for probe_ev_ssdp, against the contract in fuzz_ev.h. */
#define FUZZ_EV_FN probe_ev_ssdp
#include "fuzz_ev.h"
