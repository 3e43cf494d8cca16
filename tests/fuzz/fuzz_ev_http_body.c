/* fuzz_ev_http_body.c - libFuzzer target for probe_ev_http_body, contract in fuzz_ev.h. */
#define FUZZ_EV_FN probe_ev_http_body
#include "fuzz_ev.h"
