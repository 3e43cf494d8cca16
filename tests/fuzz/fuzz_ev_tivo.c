/* fuzz_ev_tivo.c - libFuzzer target for probe_ev_tivo, against the contract in fuzz_ev.h. */
#define FUZZ_EV_FN probe_ev_tivo
#include "fuzz_ev.h"
