#!/usr/bin/env bash
# The command line: help, version, usage errors (exit 2) with messages that say what to do.
source "$(dirname "$0")/lib.sh"
gen_captures
C=$WORK/cap

expect_exit 0 "top-level help" -- "$SSFSCAN" --help
expect_grep "$OUT" "Commands:" "help lists commands"
expect_exit 0 "scan help" -- "$SSFSCAN" scan --help
expect_grep "$OUT" "Exit status" "scan help documents exit codes"
expect_exit 0 "bench help" -- "$SSFSCAN" bench --help
expect_exit 0 "version" -- "$SSFSCAN" --version
expect_grep "$OUT" "^ssfscan [0-9]" "version line"

expect_exit 2 "no command" -- "$SSFSCAN"
expect_exit 2 "unknown command" -- "$SSFSCAN" frobnicate
expect_grep "$ERR" "unknown command 'frobnicate'" "unknown command named"
expect_exit 2 "scan without input" -- "$SSFSCAN" scan
expect_grep "$ERR" "give capture files to read, or -i IFACE" "scan without input says what to do"
expect_exit 2 "bad -j" -- "$SSFSCAN" scan -j 0 "$C/identity.pcap"
expect_grep "$ERR" "-j wants 1..64, not '0'" "bad -j explained"
expect_exit 2 "bad flow memory" -- "$SSFSCAN" scan --flow-memory lots "$C/identity.pcap"
expect_exit 2 "unknown option" -- "$SSFSCAN" scan --frobnicate "$C/identity.pcap"
expect_grep "$ERR" "see ssfscan scan --help" "usage errors point at help"
expect_exit 2 "files and interface" -- "$SSFSCAN" scan -i lo "$C/identity.pcap"
expect_exit 2 "duration without -i" -- "$SSFSCAN" scan --duration 5 "$C/identity.pcap"
expect_exit 2 "bench without file" -- "$SSFSCAN" bench

expect_exit 1 "missing interface" -- "$SSFSCAN" scan -i ssf-no-such-if0 --duration 1 --out "$WORK/o"
expect_grep "$ERR" "ssf-no-such-if0" "missing interface named"
expect_exit 1 "bad BPF filter" -- "$SSFSCAN" scan -f "port port" --out "$WORK/o" "$C/identity.pcap"
expect_grep "$ERR" "bad BPF filter" "BPF error explained"

expect_exit 0 "bench runs" -- "$SSFSCAN" bench --json "$C/identity.pcap"
expect_grep "$OUT" '"mpps":[0-9.]+' "bench JSON has mpps"
expect_grep "$OUT" '"stages_ns_per_pkt":\{"decode":' "bench JSON has stages"
expect_exit 0 "bench -j 2" -- "$SSFSCAN" bench -j 2 --loops 3 "$C/identity.pcap"
expect_grep "$OUT" "^rate +[0-9.]+ Mpps" "bench text has a rate"
finish
