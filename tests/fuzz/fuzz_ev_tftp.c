/* fuzz_ev_tftp.c - libFuzzer target for probe_ev_tftp, against the contract in fuzz_ev.h. */
#define FUZZ_EV_FN probe_ev_tftp
#include "fuzz_ev.h"
