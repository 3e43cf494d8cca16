/* fuzz_ev_ftp.c - libFuzzer target for probe_ev_ftp, against the contract in fuzz_ev.h. */
#define FUZZ_EV_FN probe_ev_ftp
#include "fuzz_ev.h"
