#!/usr/bin/env bash
# --advisories: the project's own CSAF fixtures (bad files named, scan goes on), then the real
# CISA ICS set in ../shared/csaf/ics (skipped, and says so, when absent): index time and
# per-device match time are printed, and the S7-1200 in ndpi/pcap/s7comm-plus.pcap
# (6ES7 211-1BE31-0XB0, firmware V3.0) must match exactly the advisories listed below, each
# checked against its CSAF file: it names the product and the version range reported, and that
# range holds V3.0 (read by hand; the reason is in the table).
source "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")/../.." && pwd)
CSAF=$SHARED/csaf/ics
PCAP=$SHARED/corpus/ndpi/pcap/s7comm-plus.pcap
if [ ! -f "$PCAP" ]; then
  echo "SKIP: $PCAP not found"
  exit 0
fi

# Fixtures: three bad files are warnings, not errors.
expect_exit 0 "fixture advisories" -- "$SSFSCAN" scan -j 1 --json --out "$WORK/o1" \
  --advisories "$HERE/tests/data/csaf" "$PCAP"
expect_clean_stderr "fixture advisories"
expect_grep "$ERR" "bad-garbage.json: not valid JSON \(skipped\)" "bad file named"
expect_grep "$ERR" "bad-not-csaf.json: no document.tracking.id" "non-CSAF file named"
expect_grep "$ERR" "advisories: 2 documents" "fixture documents counted"
expect_grep "$OUT" '"advisories":\{"count":0' "no fixture matches a Siemens PLC"
expect_exit 1 "missing directory" -- "$SSFSCAN" scan -j 1 --out "$WORK/o2" \
  --advisories "$WORK/nowhere" "$PCAP"
expect_grep "$ERR" "^ssfscan: error: --advisories" "missing directory named"

if [ ! -d "$CSAF" ]; then
  echo "SKIP: $CSAF not found"
  [ "$FAILS" -eq 0 ] && exit 0 || exit 1
fi

expect_exit 0 "real advisories" -- "$SSFSCAN" scan -j 1 --json --out "$WORK/o3" \
  --advisories "$CSAF" "$PCAP"
expect_clean_stderr "real advisories"
grep "advisories:" "$ERR" # index time and per-device match time, for the record
JSON=$WORK/s7.json
grep '"192.168.25.131"' "$OUT" >"$JSON"
expect_grep "$JSON" '"model":"6ES7 211-1BE31-0XB0","firmware":"V3.0"' "identity matched on"
expect_grep "$JSON" '"kind":"known_vulnerable_firmware"' "finding kind"
# The advisory lowers the PLC's assurance: required strength 4, assurance 2 (high), gap 2, and
# it is first to fix.
python3 - "$WORK/o3/risk.json" >"$WORK/posture.txt" <<'PY'
import json, sys
for d in json.load(open(sys.argv[1]))["devices"]:
    if "192.168.25.131" in d["ips"]:
        print("assurance=%s gap=%s rank=%s" % (d["assurance"], d["gap"], d["rank"]))
PY
expect_grep "$WORK/posture.txt" "^assurance=2 gap=2 rank=1$" "a vulnerable PLC is first to fix"

# advisory id | product the file lists (its name starts so; the rest, "(incl. SIPLUS variants)",
# is written with a no-break space in some files) | version range it gives: V3.0 is inside each
EXPECTED="ICSA-17-129-02|SIMATIC S7-1200 CPU family|< V4.2.1
ICSA-17-339-01|SIMATIC S7-1200 CPU family|< V4.2.3
ICSA-18-226-02|SIMATIC S7-1200 CPU family|< V4.2.3
ICSA-18-317-05|SIMATIC S7-1200 CPU family|All Versions < V4.3
ICSA-19-283-02|SIMATIC S7-1200 CPU family|vers:all/<V4.4.0
ICSA-19-318-02|SIMATIC S7-1200 CPU family < V4.x|All versions
ICSA-19-344-06|SIMATIC S7-1200 CPU family|< 4.4.0
ICSA-20-042-05|SIMATIC S7-1200 CPU family|< V4.1
ICSA-20-105-08|SIMATIC S7-1200 CPU family|< V4.4.0
ICSA-21-152-01|SIMATIC S7-1200 CPU family|< V4.5.0
ICSA-21-194-03|SIMATIC S7-1200 CPU family|All Versions < V4.5
ICSA-22-041-01|SIMATIC S7-1200 CPU family|vers:all/<V4.5.0
ICSA-22-104-05|SIMATIC S7-1200 CPU family|< V4.5.2
ICSA-22-167-14|SIMATIC S7-1200 CPU family|vers:all/<V4.6.0
ICSA-22-286-04|SIMATIC S7-1200 CPU family|< V4.5.0
ICSA-22-314-02|SIMATIC S7-1200 CPU family|vers:all/<V4.6.0
ICSA-22-349-03|SIMATIC S7-1200 CPU family|vers:all/<V4.6.0
ICSA-23-222-07|SIMATIC S7-1200 CPU family|vers:all/*
ICSA-23-222-09|SIMATIC S7-1200 CPU family|vers:all/*
ICSA-23-257-01|SIMATIC S7-1200 CPU family|vers:all/*"

got=$(grep -oE '"advisory":"[^"]+"' "$JSON" | cut -d'"' -f4 | sort | tr '\n' ' ')
want=$(cut -d'|' -f1 <<<"$EXPECTED" | sort | tr '\n' ' ')
if [ "$got" = "$want" ]; then pass; else fail "matched advisories: got [$got] want [$want]"; fi

# The hand check, kept: each file really lists the product with that range, the range is a
# product_version_range branch under the product, and a vulnerability names it known_affected.
while IFS='|' read -r id product range; do
  f=$CSAF/$(tr 'A-Z' 'a-z' <<<"$id").json
  if [ ! -f "$f" ]; then fail "$id: $f missing"; continue; fi
  grep -qF "\"name\": \"$product" "$f" || grep -qF "\"name\":\"$product" "$f" ||
    { fail "$id: $f does not name '$product'"; continue; }
  grep -qF "\"name\": \"$range\"" "$f" || grep -qF "\"name\":\"$range\"" "$f" ||
    { fail "$id: $f has no range '$range'"; continue; }
  grep -q '"known_affected"' "$f" || { fail "$id: nothing known_affected in $f"; continue; }
  pid=$(jq -r --arg p "$product" --arg r "$range" '.. | objects | select(.category=="product_name" and (.name|startswith($p)))
        | (.branches[]? | select(.name==$r) | .product.product_id), (select($r=="All versions") | .product.product_id // empty)' "$f" 2>/dev/null | head -1)
  if [ -n "$pid" ] && ! jq -e --arg id "$pid" '[.vulnerabilities[].product_status.known_affected[]?] | index($id)' "$f" >/dev/null; then
    fail "$id: $pid ($product $range) not known_affected"
  else
    pass
  fi
  expect_grep "$JSON" "\"advisory\":\"$id\"" "$id reported"
done <<<"$EXPECTED"

# Ranges that end at or below V3.0, and S7-1200 modules other than CPUs, must not match.
expect_no_grep "$JSON" '"product":"SIPLUS S7-1200 CP' "communication processors are other devices"

# The other corpus PLCs with a model and firmware (all of them, with every id, are graded by
# it_advisories_grade.sh). Omron CP1L-EL20DR-D 01.00: ICSA-22-179-02 lists "SYSMAC CP1L" at
# "< 1.10" (ICSA-23-073-01 its type template). Beckhoff TwinCAT 2.11.2100: ICSA-18-081-02 lists
# TwinCAT at "<=3.1 Build 4022.4" (and "<=2.11 R3 2259"). Saia D2M48, a PCD2.M48x:
# ICSA-22-207-03, filed by Honeywell, lists "Saia Burgess PG5 PCD" for all versions.
check_one() { # capture ip advisory product range
  local f=$SHARED/corpus/ndpi/pcap/$1 a
  [ -f "$f" ] || return 0
  "$SSFSCAN" scan -j 1 -q --json --out "$WORK/o4" --advisories "$CSAF" "$f" 2>/dev/null |
    grep "\"$2\"" >"$WORK/one.json"
  if [ -z "$3" ]; then expect_grep "$WORK/one.json" '"advisories":\{"count":0' "$1: no advisory"; return; fi
  expect_grep "$WORK/one.json" "\"advisory\":\"$3\"" "$1: $3"
  a=$CSAF/$(tr 'A-Z' 'a-z' <<<"$3").json
  if grep -qF "\"name\": \"$4\"" "$a" && grep -qF "\"name\": \"$5\"" "$a"; then pass; else fail "$3 does not list '$4' '$5'"; fi
}
check_one fins.pcap 10.1.1.164 ICSA-22-179-02 "SYSMAC CP1L" "< 1.10"
check_one beckhoff_ads.pcapng 192.168.1.8 ICSA-18-081-02 TwinCAT "<=3.1 Build 4022.4"
check_one ethersbus.pcap 172.16.1.135 ICSA-22-207-03 "Saia Burgess PG5 PCD" "vers:all/*"

echo "advisories: $PASSES checks passed, $FAILS failed"
[ "$FAILS" -eq 0 ]
