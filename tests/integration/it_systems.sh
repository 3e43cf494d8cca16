#!/usr/bin/env bash
# Policy systems on the project's own plant capture (tests/gen/SCENARIO.md), with
# tests/data/systems.policy: line1 (two PLCs and the BMS controller) is placed at its members'
# highest level on each axis; engineering (the workstation; the BMS controller is already in
# line1, first line wins) at the levels its line sets; spare covers nothing. A test-only rule
# gives the S7 PLC a critical finding, so line1 is assured as that weakest member (1), has
# gap 3 and ranks first, while its other members keep their own numbers. Checked in risk.json,
# inventory.json, findings.ndjson, the table, --explain; then bad system lines are refused.
source "$(dirname "$0")/lib.sh"
POL=$(cd "$(dirname "$0")/../data" && pwd)/systems.policy
gen_captures
cd "$WORK/cap" || exit 1

# The plant's findings are all low; this rule (test only, not a claim about the firmware)
# makes one member critical.
mkdir -p "$WORK/rules"
cat >"$WORK/rules/test.rules" <<'RULES'
rule test-s7-critical
    field    s7.firmware
    match    /^V2\.8\.4$/
    finding  unauth_ics_program
    example  "V2.8.4"
RULES

expect_exit 0 "scan with systems" -- "$SSFSCAN" scan -j 1 --policy "$POL" --rules "$WORK/rules" --out "$WORK/o" plant.pcap
expect_clean_stderr "scan with systems"
cp "$OUT" "$WORK/table.txt"

# check NAME PYTHON: runs python3 on the outputs in $WORK/o; an assertion failing fails NAME.
check() {
  if python3 - "$WORK/o" "$POL" 2>"$WORK/py.err" <<<"$2"; then pass; else fail "$1"; sed 's/^/    /' "$WORK/py.err" | tail -5 >&2; fi
}
check "risk.json systems" '
import json, sys
o, pol = sys.argv[1], sys.argv[2]
r = json.load(open(o + "/risk.json"))
assert r["schema"] == "ssfscan.risk/1", r["schema"]
s = {x["name"]: x for x in r["systems"]}
assert [x["name"] for x in r["systems"]] == ["line1", "engineering", "spare"], list(s)
ids = {d["ips"][0]: d["id"] for d in r["devices"]}
l1 = s["line1"]
assert l1["policy"] == pol + ":4", l1["policy"]
assert l1["members"] == [ids["192.168.30.21"], ids["192.168.30.22"], ids["192.168.30.24"]], l1["members"]
p = l1["placement"]
assert (p["human"], p["economic"], p["category"], p["required_strength"], p["source"]) == (4, 3, "critical", 4, "members"), p
assert (l1["required_strength"], l1["assurance"], l1["gap"], l1["rank"], l1["worst_severity"]) == (4, 1, 3, 1, "critical"), l1
assert l1["finding_counts"] == {"critical": 1, "high": 0, "medium": 0, "low": 2, "total": 3}, l1["finding_counts"]
en = s["engineering"]
assert en["members"] == [ids["192.168.30.10"]], en["members"]
p = en["placement"]
assert (p["human"], p["economic"], p["category"], p["required_strength"], p["source"]) == (1, 4, "serious", 3, "policy:" + pol + ":7"), p
assert (en["assurance"], en["gap"], en["rank"]) == (4, 0, 3), en
sp = s["spare"]
assert sp["members"] == [] and sp["placement"] is None and sp["rank"] is None and sp["assurance"] is None, sp
'
check "risk.json devices" '
import json, sys
r = json.load(open(sys.argv[1] + "/risk.json"))
d = {x["ips"][0]: x for x in r["devices"]}
def row(ip):
    x = d[ip]
    return (x["system"], x["placement"]["human"], x["placement"]["economic"], x["assurance"], x["gap"], x["rank"])
assert row("192.168.30.21") == ("line1", 4, 3, 1, 3, 1), row("192.168.30.21")
assert row("192.168.30.22") == ("line1", 4, 3, 4, 0, 1), row("192.168.30.22")
# a member keeps its own placement: the BMS controller stays in the middle of the map
assert row("192.168.30.24") == ("line1", 2, 2, 4, 0, 1), row("192.168.30.24")
assert row("192.168.30.23") == (None, 4, 3, 4, 0, 2), row("192.168.30.23")
assert row("192.168.30.10") == ("engineering", 3, 3, 4, 0, 3), row("192.168.30.10")
# devices in rank order, a system s members by their own posture
assert [x["ips"][0] for x in r["devices"]] == ["192.168.30.21", "192.168.30.22", "192.168.30.24", "192.168.30.23", "192.168.30.10"], [x["ips"][0] for x in r["devices"]]
'
check "inventory.json and findings.ndjson" '
import json, sys
o = sys.argv[1]
inv = json.load(open(o + "/inventory.json"))
sysof = {d["ips"][0]: d["system"] for d in inv["devices"]}
assert sysof == {"192.168.30.10": "engineering", "192.168.30.21": "line1", "192.168.30.22": "line1", "192.168.30.23": None, "192.168.30.24": "line1"}, sysof
for line in open(o + "/findings.ndjson"):
    f = json.loads(line)
    if f["findings"][0]["kind"] == "unauth_ics_program":
        assert (f["ips"], f["system"], f["rank"], f["gap"]) == (["192.168.30.21"], "line1", 1, 3), f
        break
else:
    raise AssertionError("no unauth_ics_program line")
'
T=$WORK/table.txt
expect_grep "$T" '^DEVICE .* SYSTEM +IDENTITY .* IOT-SSF +FIX ' "table has SYSTEM and FIX columns"
expect_grep "$T" '^192\.168\.30\.21 .* line1 .* H4 E3 S4 #1 gap 3 ' "member row: system, its rank, own gap"
expect_grep "$T" '^192\.168\.30\.23 .* - .* H4 E3 S4 #2 gap 0 ' "device in no system"
expect_grep "$T" '^#1 gap 3 +line1 \(line 4\): H4 E3 S4, assurance 1, 3 members: 192\.168\.30\.21 192\.168\.30\.22 192\.168\.30\.24$' "system line under the table"
expect_grep "$T" '^- +spare \(line 9\): unplaced, no device seen$' "empty system listed"

expect_exit 0 "explain a member" -- "$SSFSCAN" scan -j 1 --quiet --policy "$POL" --out "$WORK/o" --explain 192.168.30.24 plant.pcap
expect_grep "$OUT" "^  system = line1$" "explain names the system"
expect_grep "$OUT" "because policy $POL:4 \(system line1\) covers it" "explain names the line"
expect_grep "$OUT" "human 4: the highest among its members" "explain gives the max rule"
expect_grep "$OUT" "policy $POL:7 \(system engineering\) covers it too, but a device belongs to the first" "explain: first line wins"
expect_exit 0 "explain a device in no system" -- "$SSFSCAN" scan -j 1 --quiet --policy "$POL" --out "$WORK/o" --explain 192.168.30.23 plant.pcap
expect_grep "$OUT" "^  system = none$" "explain: no system"

# Without the test rule line1 has no shortfall: gap 0, still placed at its members' maximum.
expect_exit 0 "scan without the rule" -- "$SSFSCAN" scan -j 1 -q --policy "$POL" --out "$WORK/o" plant.pcap
check "no rule: no gap" '
import json, sys
r = json.load(open(sys.argv[1] + "/risk.json"))
l1 = r["systems"][0]
assert (l1["name"], l1["placement"]["human"], l1["placement"]["economic"], l1["assurance"], l1["gap"]) == ("line1", 4, 3, 4, 0), l1
'

printf 'system bad: subnet 192.168.30.1/24\nsystem x: zone nowhere\nsystem y: human 3\nsystem z: device 192.168.30.500; economic 9\n' >"$WORK/bad.policy"
expect_exit 1 "bad system lines refused" -- "$SSFSCAN" scan --policy "$WORK/bad.policy" --out "$WORK/b" plant.pcap
expect_grep "$ERR" "^$WORK/bad.policy:1: bad subnet" "bad subnet at its line"
expect_grep "$ERR" "^$WORK/bad.policy:2: no zone named 'nowhere'" "unknown zone at its line"
expect_grep "$ERR" "^$WORK/bad.policy:3: 'y' names no subnet, vlan, device or zone" "a system selecting nothing"
expect_grep "$ERR" "^$WORK/bad.policy:4: bad device" "bad device at its line"
expect_no_grep "$ERR" "devices|packets" "no scan ran"
finish
