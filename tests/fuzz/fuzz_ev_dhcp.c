/* fuzz_ev_dhcp.c - libFuzzer target for probe_ev_dhcp, against the contract in fuzz_ev.h. */
#define FUZZ_EV_FN probe_ev_dhcp
#include "fuzz_ev.h"
