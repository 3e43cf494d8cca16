/* fuzz_ev_telnet.c - libFuzzer target for probe_ev_telnet, against the contract in fuzz_ev.h. */
#define FUZZ_EV_FN probe_ev_telnet
#include "fuzz_ev.h"
