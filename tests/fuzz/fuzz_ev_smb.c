/* fuzz_ev_smb.c - libFuzzer target for probe_ev_smb, against the contract in fuzz_ev.h. */
#define FUZZ_EV_FN probe_ev_smb
#include "fuzz_ev.h"
