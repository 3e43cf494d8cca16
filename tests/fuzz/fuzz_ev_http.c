/* fuzz_ev_http.c - libFuzzer target for probe_ev_http, against the contract in fuzz_ev.h. */
#define FUZZ_EV_FN probe_ev_http
#include "fuzz_ev.h"
