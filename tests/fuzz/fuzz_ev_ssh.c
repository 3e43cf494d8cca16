/* fuzz_ev_ssh.c - libFuzzer target for probe_ev_ssh, against the contract in fuzz_ev.h. */
#define FUZZ_EV_FN probe_ev_ssh
#include "fuzz_ev.h"
