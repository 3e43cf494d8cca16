/* fuzz_ev_coap.c - libFuzzer target for probe_ev_coap, against the contract in fuzz_ev.h. */
#define FUZZ_EV_FN probe_ev_coap
#include "fuzz_ev.h"
