#!/usr/bin/env bash
# Every capture in ../shared/corpus scans with exit 0, or exit 1 with a per-file error line;
# none crashes, hangs or trips a sanitizer. Skipped (and says so) when the corpus is absent.
source "$(dirname "$0")/lib.sh"
CORPUS=$SHARED/corpus
if [ ! -d "$CORPUS" ]; then
  echo "SKIP: $CORPUS not found"
  exit 0
fi

mapfile -d '' files < <(find "$CORPUS" -type f \( -name '*.pcap' -o -name '*.pcapng' -o -name '*.cap' -o -name '*.trace' \) -print0 | sort -z)
echo "scanning ${#files[@]} captures one by one"

# Runs one capture; prints "STATUS<TAB>file" where STATUS is ok, error or crash.
scan_one() {
  local f=$1 log
  log=$(mktemp)
  timeout 120 "$SSFSCAN" scan -j 1 --flow-memory 8M --quiet --out "$WORK/out-$$" "$f" >/dev/null 2>"$log"
  local rc=$?
  if grep -qE "AddressSanitizer|LeakSanitizer|runtime error:" "$log"; then
    printf 'crash\t%s\n' "$f"; sed 's/^/    /' "$log" | head -30 >&2
  elif [ "$rc" -eq 0 ]; then printf 'ok\t%s\n' "$f"
  elif [ "$rc" -eq 1 ] && grep -q "^ssfscan: error: " "$log"; then
    printf 'error\t%s\t%s\n' "$f" "$(grep -m1 '^ssfscan: error: ' "$log")"
  else
    printf 'crash\t%s\texit %s\n' "$f" "$rc"; sed 's/^/    /' "$log" | head -30 >&2
  fi
  rm -f "$log"
}
export -f scan_one
export SSFSCAN WORK
printf '%s\0' "${files[@]}" | xargs -0 -n1 -P"$(nproc)" bash -c 'scan_one "$0"' > "$WORK/results.tsv"

ok=$(grep -c '^ok' "$WORK/results.tsv")
err=$(grep -c '^error' "$WORK/results.tsv")
crash=$(grep -c '^crash' "$WORK/results.tsv")
echo "corpus: ${#files[@]} captures: $ok scanned cleanly, $err refused with a per-file error, $crash crashed or misbehaved"
grep '^error' "$WORK/results.tsv" | cut -f3 | sed 's/^/  /'
grep '^crash' "$WORK/results.tsv" | sed 's/^/  CRASH: /' >&2
[ "$crash" -eq 0 ] && pass || fail "$crash captures crashed"
[ "$((ok + err + crash))" -eq "${#files[@]}" ] && pass || fail "results missing for some captures"

# Plant identity from real captures (values from ../shared/corpus/EXPECTED.tsv).
P=$CORPUS/ndpi/pcap
expect_exit 0 "S7comm-Plus identity" -- "$SSFSCAN" scan -j 1 --json --out "$WORK/s7" "$P/s7comm-plus.pcap"
expect_grep "$OUT" '"ips":\["192.168.25.131"\].*"s7.order_number":\["6ES7 211-1BE31-0XB0"\],"s7.firmware":\["V3.0"\]' "S7-1200 order number and firmware"
expect_exit 0 "BACnet identity" -- "$SSFSCAN" scan -j 1 --json --out "$WORK/bacnet" "$P/bacnet.pcap"
expect_grep "$OUT" '"bacnet.device_instance":\["0"\],"bacnet.vendor":\["BACnet Stack at SourceForge"\]' "BACnet I-Am vendor 260"

expect_exit 0 "SNMP, syslog and NetBIOS identity" -- "$SSFSCAN" scan -j 1 --json --out "$WORK/disc" "$P/snmp.pcap" "$P/syslog.pcap" "$P/netbios.pcap"
expect_grep "$OUT" '"ips":\["97.0.115.163"\].*"snmp.sysname":\["R1.lab.local"\],"snmp.community":\["public"\]' "SNMP agent answering community public"
expect_grep "$OUT" '"snmp.community":\["<masked, 4 chars>"\]' "a non-default community is masked"
expect_no_grep "$OUT" '"adsl"' "the masked community never appears"
expect_grep "$OUT" '"ips":\["10.251.23.139"\].*"syslog.hostname":\["nb6"\]' "syslog hostname"
expect_grep "$OUT" '"netbios.name":\["GUNNAR<00>","GUNNAR<20>"\]' "NetBIOS node status names"

expect_exit 0 "CDP identity" -- "$SSFSCAN" scan -j 1 --json --out "$WORK/cdp" "$P/capwap.pcap"
expect_grep "$OUT" '"id":"mac:b8:38:61:f3:05:ac".*"cdp.device_id":\["APb838.61f3.05ac"\],"cdp.platform":\["cisco AIR-CAP2602I-Q-K9"\]' "Cisco AP from CDP"

# The whole nDPI set in one run, as an operator would type it.
start=$(date +%s)
expect_exit 1 "all of ndpi/pcap in one run (some files are deliberately damaged)" -- \
  "$SSFSCAN" scan --out "$WORK/all" "$CORPUS"/ndpi/pcap/*
expect_clean_stderr "whole nDPI corpus"
expect_grep "$ERR" "^ssfscan: [0-9]+ packets from [0-9]+ inputs" "summary printed"
grep '^ssfscan: [0-9]' "$ERR"
echo "whole ndpi/pcap run took $(( $(date +%s) - start )) s"
finish
