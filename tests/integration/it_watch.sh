#!/usr/bin/env bash
# The watch on plant flows (probes/worker_ident.c, docs/findings.md) on the project's own
# watch.pcap (tests/gen/cap_watch.c): each connection polls 100 times, far past the 32 payloads
# per side inspected in full, then changes the device once. The late Modbus write (the request
# at 404 is the PLC's, marked as asked; its echo at 406 says the PLC took it; the HMI that
# wrote has no finding), DNP3 cold restart (814) and S7 PLC stop (its accepted reply, 1224)
# must each raise their finding with the frame that carried them; without the watch none does.
source "$(dirname "$0")/lib.sh"
gen_captures
cd "$WORK/cap" || exit 1

# expect_items NDJSON DESCRIPTION: stdin holds "IP|KIND|VALUE|FRAME" lines, exactly the
# unauth_ics_* items the scan must report.
expect_items() {
  local got
  got=$(python3 - "$1" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    d = json.loads(line)
    if d.get("type") != "device":
        continue
    for f in d["findings"]:
        if not f["kind"].startswith("unauth_ics_"):
            continue
        for e in f["evidence"]:
            print("|".join([",".join(d["ips"]), f["kind"], e["value"], str(e.get("frame"))]))
PY
  )
  if [ "$(sort <<<"$got")" == "$(sort)" ]; then pass; else
    fail "$2: items differ"; echo "    got:" >&2; sed 's/^/      /' <<<"$got" >&2
  fi
}

EXPECTED='10.0.50.20|unauth_ics_write|6 write_single_register|406
10.0.50.21|unauth_ics_control|13 cold_restart|814
10.0.50.22|unauth_ics_program|0x29 plc_stop reply: ok|1224'

for j in 1 2; do
  expect_exit 0 "scan watch.pcap -j $j" -- "$SSFSCAN" scan -j $j -q --no-report --json --out "$WORK/o$j" watch.pcap
  expect_clean_stderr "scan watch.pcap -j $j"
  cp "$OUT" "$WORK/scan-j$j.ndjson"
  expect_items "$WORK/scan-j$j.ndjson" "-j $j: the late write, restart and stop, at their frames" <<<"$EXPECTED"
done
N=$WORK/scan-j1.ndjson
# The polls were read in full while the budget lasted: their functions are evidence too.
expect_grep "$N" '"field":"modbus.function","value":"3 read_holding_registers"' "the Modbus polls are evidence"
expect_grep "$N" '"field":"dnp3.function","value":"1 read"' "the DNP3 polls are evidence"
expect_grep "$N" '"field":"s7.function","value":"0x04 read_var reply: ok"' "the S7 polls are evidence"

expect_exit 0 "explain the PLC" -- "$SSFSCAN" scan -j 1 -q --no-report --out "$WORK/e" --explain 10.0.50.22 watch.pcap
expect_grep "$OUT" 'watch.pcap frame 1224' "explain names the stop's frame"
finish
