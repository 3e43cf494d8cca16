#!/usr/bin/env bash
# perf/compare.sh still runs end to end: every tool's row has a number and each ratio has its
# paired figure over the rounds. Rates themselves are never asserted (DEVELOPERS.md: no timed
# tests); this only keeps the benchmark script from rotting.
. "$(dirname "$0")/lib.sh"
gen_captures
BUILD=$(cd "$(dirname "$SSFSCAN")/.." && pwd)
COMPARE="$(dirname "$0")/../../perf/compare.sh"

expect_exit 0 "compare.sh on plant.pcap" -- bash "$COMPARE" --build "$BUILD" --loops 1 --reps 2 "$WORK/cap/plant.pcap"
expect_grep "$OUT" "^method: +2 rounds" "the method line names the rounds"
for tool in pcap_loop ssfscan-j1 ssfscan-j2; do
  expect_grep "$OUT" "^$tool +[0-9]+\.[0-9]{3} +[0-9]+\.[0-9]{3}$" "$tool has Mpps and Gbps"
done
if command -v ndpiReader >/dev/null; then
  expect_grep "$OUT" "^ndpiReader +[0-9]+\.[0-9]{3} " "ndpiReader has a figure"
fi
expect_grep "$OUT" "ssfscan-j2 / ssfscan-j1 +[0-9]+\.[0-9]{2} +paired [0-9]+\.[0-9]{2} \([0-9.]+-[0-9.]+ over 2 rounds\)" "j2/j1 with its paired range"
expect_grep "$OUT" "ssfscan-j1 / pcap_loop +[0-9]+\.[0-9]{2} +paired [0-9]+\.[0-9]{2} " "j1/pcap_loop with its paired figure"

expect_exit 2 "--reps 0 is refused" -- bash "$COMPARE" --build "$BUILD" --reps 0 "$WORK/cap/plant.pcap"
expect_grep "$ERR" "--reps must be a positive integer" "says what --reps wants"
expect_exit 2 "no capture is a usage error" -- bash "$COMPARE" --build "$BUILD"
expect_exit 2 "an unreadable capture is named" -- bash "$COMPARE" --build "$BUILD" --loops 1 --reps 1 "$WORK/none.pcap"
expect_grep "$ERR" "cannot read .*none.pcap" "names the file"
finish
