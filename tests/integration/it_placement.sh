#!/usr/bin/env bash
# IoT-SSF placement on the project's own plant capture (tests/gen/SCENARIO.md): the PLCs are
# placed high on human damage by their type; a site policy raising the 192.168.30.0/24 zone
# moves them, and --explain names the policy line; a bad policy stops the scan with FILE:LINE.
source "$(dirname "$0")/lib.sh"
gen_captures
cd "$WORK/cap" || exit 1

expect_exit 0 "scan plant.pcap" -- "$SSFSCAN" scan -j 1 --json --out "$WORK/o" plant.pcap
cp "$OUT" "$WORK/default.ndjson"
D=$WORK/default.ndjson
for ip in 21 22 23; do
  expect_grep "$D" "\"ips\":\[\"192.168.30.$ip\"\].*\"placement\":\{\"human\":4,\"economic\":3,\"category\":\"critical\",\"required_strength\":4,\"perspectives\":\[\"product\",\"organisation\",\"staff\",\"inspection\",\"operator_auth\",\"social_support\"\],\"source\":\"device_type:plc\"\}" "PLC .$ip placed high on human damage by its type"
done
expect_grep "$D" '"ips":\["192.168.30.24"\].*"placement":\{"human":2,"economic":2,"category":"significant","required_strength":2,.*"source":"device_type:bms_controller"\}' "BMS controller in the middle"

cat > "$WORK/plant.policy" <<'POL'
# the cell network feeds a regional utility
zone cell: subnet 192.168.30.0/24; economic 4
device 192.168.30.24: human 3
POL
expect_exit 0 "scan --policy" -- "$SSFSCAN" scan -j 1 --json --policy "$WORK/plant.policy" --out "$WORK/o" plant.pcap
cp "$OUT" "$WORK/policy.ndjson"
P=$WORK/policy.ndjson
for ip in 21 22 23; do
  expect_grep "$P" "\"ips\":\[\"192.168.30.$ip\"\].*\"placement\":\{\"human\":4,\"economic\":4,\"category\":\"critical\",\"required_strength\":4,.*\"source\":\"policy:$WORK/plant.policy:2\"\}" "zone raises PLC .$ip to economic 4"
done
expect_grep "$P" "\"ips\":\[\"192.168.30.24\"\].*\"placement\":\{\"human\":3,\"economic\":4,\"category\":\"critical\",\"required_strength\":4,.*\"source\":\"policy:$WORK/plant.policy:3\"\}" "device line beats the zone for human"

expect_exit 0 "explain with policy" -- "$SSFSCAN" scan --quiet --policy "$WORK/plant.policy" --out "$WORK/o" --explain 192.168.30.21 plant.pcap
expect_grep "$OUT" "placement.economic = 4 \(infrastructure" "explain gives the level's meaning"
expect_grep "$OUT" "because policy $WORK/plant.policy:2 \(zone cell\) sets economic 4" "explain names the policy line"
expect_grep "$OUT" "placement.human = 4 .*" "explain gives the human level"
expect_grep "$OUT" "because device type plc is placed so \(iotssf_placement.tsv:[0-9]+:" "explain names the table row"

printf 'zone cell: subnet 192.168.30.1/24; economic 4\nzone x: vlan 3; colour red\n' > "$WORK/bad.policy"
expect_exit 1 "bad policy refused" -- "$SSFSCAN" scan --policy "$WORK/bad.policy" --out "$WORK/o" plant.pcap
expect_grep "$ERR" "^$WORK/bad.policy:1: bad subnet" "first problem at its line"
expect_grep "$ERR" "^$WORK/bad.policy:2: unknown key 'colour'" "second problem at its line"
expect_no_grep "$ERR" "devices|packets" "no scan ran"
expect_exit 1 "missing policy" -- "$SSFSCAN" scan --policy "$WORK/none.policy" --out "$WORK/o" plant.pcap
expect_grep "$ERR" "none.policy: cannot read" "unreadable policy named"
finish
