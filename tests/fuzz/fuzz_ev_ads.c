/* fuzz_ev_ads.c - libFuzzer target for probe_ev_ads, against the contract in fuzz_ev.h. */
#define FUZZ_EV_FN probe_ev_ads
#include "fuzz_ev.h"
