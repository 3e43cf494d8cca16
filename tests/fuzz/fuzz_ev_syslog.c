/* fuzz_ev_syslog.c - libFuzzer target for probe_ev_syslog, against the contract in fuzz_ev.h. */
#define FUZZ_EV_FN probe_ev_syslog
#include "fuzz_ev.h"
