/* fuzz_ev_modbus_request.c - libFuzzer target for probe_ev_modbus_request (a client's payload),
 * against the contract in fuzz_ev.h. */
#define FUZZ_EV_FN probe_ev_modbus_request
#include "fuzz_ev.h"
