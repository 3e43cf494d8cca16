/* fuzz_ev_netbios.c - libFuzzer target for probe_ev_netbios, against the contract in fuzz_ev.h. */
#define FUZZ_EV_FN probe_ev_netbios
#include "fuzz_ev.h"
