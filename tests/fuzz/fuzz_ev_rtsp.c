/* fuzz_ev_rtsp.c - libFuzzer target for probe_ev_rtsp, against the contract in fuzz_ev.h. */
#define FUZZ_EV_FN probe_ev_rtsp
#include "fuzz_ev.h"
