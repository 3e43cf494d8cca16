#!/usr/bin/env bash
# Damaged inputs: each gets a clear per-file error naming the file (exit 1) or a counter,
# and none crashes. Good files given alongside are still scanned.
source "$(dirname "$0")/lib.sh"
gen_captures
C=$WORK/cap
M=$C/malformed

for f in zero-length bad-magic header-only-short; do
  expect_exit 1 "$f" -- "$SSFSCAN" scan --out "$WORK/o" "$M/$f.pcap"
  expect_grep "$ERR" "error: .*$f.pcap: cannot open" "$f named with the reason"
  expect_clean_stderr "$f"
done
for f in truncated-file record-past-eof huge-caplen; do
  expect_exit 1 "$f" -- "$SSFSCAN" scan --out "$WORK/o" "$M/$f.pcap"
  expect_grep "$ERR" "error: .*$f.pcap: damaged after [0-9]+ frames, near byte [0-9]+" "$f names where it broke"
  expect_clean_stderr "$f"
done
expect_exit 1 "missing file" -- "$SSFSCAN" scan --out "$WORK/o" "$WORK/does-not-exist.pcap"
expect_grep "$ERR" "does-not-exist.pcap: cannot open.*check the path" "missing file says check the path"

# A bad file among good ones: the good ones are still scanned, and the exit says 1.
expect_exit 1 "bad among good" -- "$SSFSCAN" scan --out "$WORK/mix" "$M/bad-magic.pcap" "$C/identity.pcap"
expect_grep "$OUT" "192.168.10.30" "good file still scanned"
expect_grep "$WORK/mix/inventory.json" '"schema": "ssfscan.inventory/2"' "inventory still written"

# Unknown link type: counted and named, not fatal.
expect_exit 0 "unknown link type" -- "$SSFSCAN" scan --out "$WORK/o" "$C/unknown-linktype.pcap"
expect_grep "$ERR" "link type .*147.* is not decoded; 3 frames counted and skipped" "unknown DLT named with count"

# Hostile frames: counted, never fatal.
expect_exit 0 "truncated frames" -- "$SSFSCAN" scan --out "$WORK/o" "$C/truncated.pcap"
expect_grep "$ERR" "counted: " "anomalies are counted"
expect_grep "$ERR" "ipv4_bad_header=|ipv4_truncated=" "IPv4 damage counted"
expect_grep "$ERR" "tcp_bad_offset=|tcp_truncated=" "TCP damage counted"
expect_clean_stderr "truncated frames"

# A flood of new flows into a small flow memory: evictions counted, memory bounded.
expect_exit 0 "flow flood" -- "$SSFSCAN" scan -j 1 --flow-memory 1M --out "$WORK/o" "$C/flood.pcap"
expect_grep "$ERR" "[1-9][0-9]* flows evicted" "flood evictions counted"
finish
