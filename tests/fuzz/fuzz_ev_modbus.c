/* fuzz_ev_modbus.c - libFuzzer target for probe_ev_modbus, against the contract in fuzz_ev.h. */
#define FUZZ_EV_FN probe_ev_modbus
#include "fuzz_ev.h"
