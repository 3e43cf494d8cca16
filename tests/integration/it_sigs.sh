#!/usr/bin/env bash
# ssfscan sigs: the built-in rules are clean, broken rules are named FILE:LINE with exit 1,
# match shows captured outputs, and fields lists what rules may match.
source "$(dirname "$0")/lib.sh"
DATA=$(cd "$(dirname "$0")/../data/sig" && pwd)

expect_exit 0 "sigs check on the built-in rules" -- "$SSFSCAN" sigs check
expect_grep "$OUT" "^[0-9]+ rules in [0-9]+ files, [0-9]+ fields, [0-9]+ vendors; [0-9]+ examples passed$" \
  "check summary"
expect_clean_stderr "sigs check built-ins"

expect_exit 0 "sigs check built-ins plus a clean dir" -- "$SSFSCAN" sigs check "$DATA"
expect_exit 0 "sigs check --only a clean dir" -- "$SSFSCAN" sigs check --only "$DATA"
expect_grep "$OUT" "^4 rules in 2 files, 5 fields, 3 vendors; 5 examples passed$" "--only counts"

BAD=$WORK/bad-rules
mkdir -p "$BAD"
cat >"$BAD/cameras.rules" <<'RULES'
rule cam-ok
    field    http.server
    match    /^CamOS\/(\d+)/
    vendor   Cam
    firmware $1
    example  "CamOS/7"
    expect   firmware 7

rule cam-typo
    field    http.server
    match    /^Typo/
    vender   Typo
    example  "Typo"

rule cam-backref
    field    http.server
    match    /(ab)\1/
    vendor   Back
    example  "abab"
RULES
cat >"$BAD/plc.rules" <<'RULES'
rule plc-weight
    field    no.such.field
    match    /plc/
    type     plc
    weight   500
    example  "plc"

rule plc-example
    field    snmp.sysdescr
    match    /^Siemens, SIMATIC/
    vendor   Siemens
    example  "6ES7 315"
RULES
expect_exit 1 "sigs check on broken rules" -- "$SSFSCAN" sigs check "$BAD"
expect_grep "$ERR" "^$BAD/cameras.rules:12: unknown key 'vender'" "unknown key at its line"
expect_grep "$ERR" "^$BAD/cameras.rules:17: pattern rejected by Hyperscan" "Hyperscan error at match line"
expect_grep "$ERR" "^$BAD/plc.rules:2: unknown field 'no.such.field'" "unknown field"
expect_grep "$ERR" "^$BAD/plc.rules:5: weight must be" "bad weight"
expect_grep "$ERR" "^$BAD/plc.rules:12: example \"6ES7 315\" does not match rule plc-example" \
  "failing example"
expect_grep "$OUT" "problems" "summary counts problems"
expect_clean_stderr "sigs check broken"

# scan and bench refuse a broken --rules set before reading any packet, with the same lines.
gen_captures
expect_exit 1 "scan --rules with broken rules" -- "$SSFSCAN" scan --out "$WORK/o" --rules "$BAD" "$WORK/cap/plant.pcap"
expect_grep "$ERR" "^$BAD/plc.rules:2: unknown field 'no.such.field'" "scan names the broken rule"
expect_grep "$ERR" "sigs check" "scan says how to check the rules"
expect_no_grep "$OUT" "DEVICE" "no inventory from a refused rule set"
expect_exit 1 "bench --rules with broken rules" -- "$SSFSCAN" bench --rules "$BAD" "$WORK/cap/plant.pcap"
expect_grep "$ERR" "^$BAD/cameras.rules:12: unknown key 'vender'" "bench names the broken rule"
# A user rule set that is clean adds to the built-ins and shows in the identity.
expect_exit 0 "scan --rules with clean rules" -- "$SSFSCAN" scan --json --out "$WORK/o2" --rules "$DATA" "$WORK/cap/plant.pcap"
expect_grep "$OUT" '"rule_at":"20-plc.rules:[0-9]+"' "a user rule explains an identity value"

expect_exit 0 "sigs match shows a captured model" -- \
  "$SSFSCAN" sigs match http.server "AXIS P1346 Network Camera 5.40.9.2" "$DATA"
expect_grep "$OUT" "^test-axis-firmware \(10-cameras.rules:14, weight 90\):.* model=\"P1346\" firmware=\"5.40.9.2\"" \
  "captured model and firmware"
expect_exit 1 "sigs match without a match" -- "$SSFSCAN" sigs match --only http.server "nothing" "$DATA"
expect_grep "$OUT" "no rule matches" "no match said"
expect_exit 2 "sigs match unknown field" -- "$SSFSCAN" sigs match no.field x
expect_grep "$ERR" "unknown field 'no.field'" "unknown field named"

expect_exit 0 "sigs fields" -- "$SSFSCAN" sigs fields
expect_grep "$OUT" "^http\.server$" "fields lists http.server"
expect_grep "$OUT" "^mac\.vendor$" "fields lists mac.vendor"
expect_grep "$OUT" "^service\.served$" "fields lists service.served"

expect_exit 0 "sigs list --json" -- "$SSFSCAN" sigs list --json --only "$DATA"
expect_grep "$OUT" '^\{"id":"test-hikvision-webs","file":"10-cameras.rules","line":3,' "list JSON"
expect_exit 0 "sigs list" -- "$SSFSCAN" sigs list --only "$DATA"
expect_grep "$OUT" "^test-s7-served  20-plc.rules:10  service.served  weight 60  type=\"plc\"$" "list text"

# Finding rules (docs/findings.md) show their kind, and `on peer`, in list and match.
expect_exit 0 "sigs list built-in" -- "$SSFSCAN" sigs list
expect_grep "$OUT" '^wp-dnp3-control  weakpoints.rules:[0-9]+  dnp3.function  weight 50  finding="unauth_ics_control"  on=peer$' "list shows a finding and on=peer"
expect_exit 0 "sigs match a finding rule" -- "$SSFSCAN" sigs match smb.dialect "NT LM 0.12"
expect_grep "$OUT" '^wp-smbv1 \(weakpoints.rules:[0-9]+, weight 50\): finding="smbv1"$' "match shows the finding"

expect_exit 2 "sigs without command" -- "$SSFSCAN" sigs
expect_exit 2 "sigs unknown command" -- "$SSFSCAN" sigs frob
expect_exit 2 "sigs check --only without DIR" -- "$SSFSCAN" sigs check --only
expect_grep "$ERR" "see ssfscan sigs check --help" "usage error points at help"
expect_exit 2 "sigs check unknown option" -- "$SSFSCAN" sigs check --frob
expect_exit 1 "sigs check missing dir" -- "$SSFSCAN" sigs check "$WORK/no-such-dir"
expect_grep "$ERR" "no-such-dir: cannot read directory" "missing dir named"
expect_exit 0 "sigs help" -- "$SSFSCAN" sigs --help
expect_grep "$OUT" "Exit status" "sigs help documents exit codes"
finish
