/* fuzz_ev_mqtt.c - libFuzzer target for probe_ev_mqtt, against the contract in fuzz_ev.h. */
#define FUZZ_EV_FN probe_ev_mqtt
#include "fuzz_ev.h"
