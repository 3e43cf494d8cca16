/* fuzz_ev_snmp.c - libFuzzer target for probe_ev_snmp, against the contract in fuzz_ev.h. */
#define FUZZ_EV_FN probe_ev_snmp
#include "fuzz_ev.h"
