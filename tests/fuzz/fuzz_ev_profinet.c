/* fuzz_ev_profinet.c - libFuzzer target for probe_ev_profinet, against the contract in fuzz_ev.h.
 */
#define FUZZ_EV_FN probe_ev_profinet
#include "fuzz_ev.h"
