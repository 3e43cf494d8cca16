/* fuzz_ev_tuya.c - libFuzzer target for probe_ev_tuya, against the contract in fuzz_ev.h. */
#define FUZZ_EV_FN probe_ev_tuya
#include "fuzz_ev.h"
