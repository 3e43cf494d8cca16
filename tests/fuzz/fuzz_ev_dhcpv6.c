/* fuzz_ev_dhcpv6.c - libFuzzer target for probe_ev_dhcpv6, against the contract in fuzz_ev.h. */
#define FUZZ_EV_FN probe_ev_dhcpv6
#include "fuzz_ev.h"
