/* fuzz_ev_hassh_server.c - libFuzzer target for probe_ev_hassh_server, contract in fuzz_ev.h. */
#define FUZZ_EV_FN probe_ev_hassh_server
#include "fuzz_ev.h"
