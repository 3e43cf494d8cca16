#!/usr/bin/env bash
# compare.sh - throughput of ssfscan against a bare libpcap read and against ndpiReader, measured
# in the same run on the same machine, so the ratios mean something. See perf/README.md.
#
# Usage: perf/compare.sh [--build DIR] [--loops N] [--reps N] FILE...
#   --build DIR  build tree holding perf/pcap_loop and cli/ssfscan (default: <repo>/build)
#   --loops N    passes over the file per pcap_loop run, loops per ndpiReader run (default 5)
#   --reps N     runs per tool; the table shows the median (default 3)
# Needs bash, awk, sed, sort; jq is used when present to read ssfscan's JSON, sed otherwise.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
build="$here/../build"
loops=5
reps=3
files=()

die() {
    echo "compare.sh: $*" >&2
    exit 2
}

while (($#)); do
    case $1 in
    --build) build=${2:?--build needs a directory}; shift 2 ;;
    --loops) loops=${2:?--loops needs a number}; shift 2 ;;
    --reps) reps=${2:?--reps needs a number}; shift 2 ;;
    -h | --help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option $1" ;;
    *) files+=("$1"); shift ;;
    esac
done
((${#files[@]})) || die "no capture given; usage: compare.sh [--build DIR] [--loops N] FILE..."
[[ $loops =~ ^[1-9][0-9]*$ ]] || die "--loops must be a positive integer"
[[ $reps =~ ^[1-9][0-9]*$ ]] || die "--reps must be a positive integer"

pcap_loop="$build/perf/pcap_loop"
ssfscan="$build/cli/ssfscan"
[[ -x $pcap_loop ]] || die "$pcap_loop not found; build first: cmake --build $build"
ndpi=$(command -v ndpiReader || true)

# ---- helpers ---------------------------------------------------------------------------------

# median of the numbers on stdin, one per line; "n/a" when there are none
median() {
    sort -g | awk '{v[NR] = $1} END {
        if (NR == 0) { print "n/a"; exit }
        if (NR % 2) print v[(NR + 1) / 2]; else printf "%.6g\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# number with 3 decimals, or n/a as is
fmt() {
    awk -v x="$1" 'BEGIN { if (x == "n/a") print x; else printf "%.3f\n", x }'
}

# a / b with 2 decimals, "n/a" if either is missing or b is zero
ratio() {
    awk -v a="$1" -v b="$2" 'BEGIN {
        if (a == "n/a" || b == "n/a" || b + 0 == 0) print "n/a"; else printf "%.2f\n", a / b }'
}

# value of key=number in a pcap_loop line
kv() {
    awk -v k="$1" '{ for (i = 1; i <= NF; i++) { split($i, a, "="); if (a[1] == k) print a[2] } }'
}

# top-level numeric field of a JSON object on stdin; jq if present, else the first "key": number
json_num() {
    if command -v jq >/dev/null; then
        jq -r --arg k "$1" 'if type == "object" and (.[$k] | type) == "number" then .[$k]
                            else empty end' 2>/dev/null || true
        return
    fi
    # No jq: scan the text, tracking string and nesting state, for "key": number at depth 1.
    awk -v k="$1" 'BEGIN { RS = "\001" } {
        s = $0; n = length(s); d = 0
        for (i = 1; i <= n; i++) {
            c = substr(s, i, 1)
            if (c == "{" || c == "[") d++
            else if (c == "}" || c == "]") d--
            else if (c == "\"") {
                j = i + 1; str = ""
                while (j <= n && (c2 = substr(s, j, 1)) != "\"") {
                    if (c2 == "\\") j++
                    str = str c2; j++
                }
                i = j
                if (d != 1 || str != k) continue
                rest = substr(s, i + 1)
                if (match(rest, /^[ \t\r\n]*:[ \t\r\n]*-?[0-9][0-9.eE+-]*/)) {
                    v = substr(rest, 1, RLENGTH); sub(/^[^:]*:[ \t\r\n]*/, "", v); print v; exit
                }
            }
        }
    }'
}

# ndpiReader prints "nDPI throughput:  572.42 K pps / 1.55 Gb/sec" once per loop; -> Mpps lines
ndpi_mpps() {
    awk '/nDPI throughput:/ {
        for (i = 1; i <= NF; i++) if ($i == "pps") { v = $(i - 2); u = $(i - 1) }
        if (u == "K") v /= 1e3; else if (u == "M") v *= 1; else if (u == "G") v *= 1e3; else v /= 1e6
        printf "%.6f\n", v }'
}

# ---- one tool, reps runs ---------------------------------------------------------------------

# Each measure_* sets res_m / res_g (medians over the runs, or n/a), appends its command to
# cmds[] and any problem to note. They run in the current shell so those globals survive.
cmds=()
note=""
avg_len=0 # mean pcap wire length of the current file, B; set by measure_pcap_loop

add_note() {
    [[ $note == *"$1"* ]] || note+="  $1"$'\n'
}

measure_pcap_loop() {
    local f=$1 out m=() g=()
    cmds+=("$pcap_loop $f --loops $loops")
    for ((r = 0; r < reps; r++)); do
        out=$("$pcap_loop" "$f" --loops "$loops") || die "pcap_loop failed on $f"
        m+=("$(kv mpps <<<"$out")")
        g+=("$(kv gbps <<<"$out")")
        avg_len=$(awk -v b="$(kv bytes <<<"$out")" -v p="$(kv packets <<<"$out")" \
            'BEGIN { printf "%.1f", p ? b / p : 0 }')
    done
    res_m=$(printf '%s\n' "${m[@]}" | median)
    res_g=$(printf '%s\n' "${g[@]}" | median)
}

# ndpiReader's own Gb/sec adds 24 B per packet (preamble, IFG, CRC); the table recomputes Gbps
# from Mpps and pcap's mean wire length so every row counts bytes the same way.
measure_ndpi() {
    local f=$1 out m=() v
    res_m=n/a res_g=n/a
    if [[ -z $ndpi ]]; then
        add_note "ndpiReader: not installed (apt-get install libndpi-bin); its row is n/a"
        return
    fi
    cmds+=("$ndpi -i $f -l $loops   # median of its per-loop 'nDPI throughput' lines")
    for ((r = 0; r < reps; r++)); do
        out=$("$ndpi" -i "$f" -l "$loops" 2>&1) || true
        v=$(ndpi_mpps <<<"$out" | median)
        [[ $v != n/a ]] && m+=("$v")
    done
    if ((${#m[@]} == 0)); then
        add_note "ndpiReader: no 'nDPI throughput' line in its output; its row is n/a"
        return
    fi
    res_m=$(printf '%s\n' "${m[@]}" | median)
    res_g=$(awk -v m="$res_m" -v l="$avg_len" 'BEGIN { printf "%.3f", m * l * 8 / 1e3 }')
}

measure_ssfscan() {
    local f=$1 j=$2 out m=() g=() v
    res_m=n/a res_g=n/a
    # Each ssfscan loop shifts timestamps so every flow starts anew (the worst case); ndpiReader's
    # later loops see flows it already knows. The same loop count keeps start-up costs equal.
    cmds+=("$ssfscan bench $f --json --no-stages -j $j --loops $loops")
    if [[ ! -x $ssfscan ]]; then
        add_note "ssfscan: $ssfscan not built yet; its rows are n/a"
        return
    fi
    for ((r = 0; r < reps; r++)); do
        out=$("$ssfscan" bench "$f" --json --no-stages -j "$j" --loops "$loops" 2>/dev/null) || true
        v=$(json_num mpps <<<"$out")
        [[ -n $v ]] || continue
        m+=("$v")
        v=$(json_num gbps <<<"$out")
        g+=("${v:-n/a}")
    done
    if ((${#m[@]} == 0)); then
        add_note "ssfscan: 'bench FILE --json -j $j' printed no numeric \"mpps\" (no bench subcommand yet?); n/a"
        return
    fi
    res_m=$(printf '%s\n' "${m[@]}" | median)
    res_g=$(printf '%s\n' "${g[@]}" | { grep -v n/a || true; } | median)
}

# ---- report ----------------------------------------------------------------------------------

model=$(lscpu 2>/dev/null | sed -n 's/^Model name:[[:space:]]*//p' | head -n1)
echo "machine: ${model:-unknown CPU}, nproc=$(nproc), $(uname -sr)"
echo "date:    $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
echo "method:  median of $reps runs per tool; pcap_loop and ndpiReader make $loops passes per run"
if [[ -n $ndpi ]]; then echo "nDPI:    $("$ndpi" -h 2>&1 | sed -n 's/^Welcome to //p' | head -n1)"; fi

for f in "${files[@]}"; do
    [[ -r $f ]] || die "cannot read $f"
    cmds=() note=""
    cat "$f" >/dev/null # warm the page cache so no tool pays for the disk
    measure_pcap_loop "$f"; pl_m=$res_m pl_g=$res_g
    measure_ndpi "$f"; nd_m=$res_m nd_g=$res_g
    measure_ssfscan "$f" 1; s1_m=$res_m s1_g=$res_g
    measure_ssfscan "$f" 2; s2_m=$res_m s2_g=$res_g

    echo
    echo "== $f (mean wire length $avg_len B)"
    printf "%-12s %10s %10s\n" tool Mpps Gbps
    for row in "pcap_loop $pl_m $pl_g" "ndpiReader $nd_m $nd_g" "ssfscan-j1 $s1_m $s1_g" \
        "ssfscan-j2 $s2_m $s2_g"; do
        read -r t m g <<<"$row"
        printf "%-12s %10s %10s\n" "$t" "$(fmt "$m")" "$(fmt "$g")"
    done
    echo "ratios (of Mpps):"
    printf '  %-24s %s\n' "ssfscan-j1 / ndpiReader" "$(ratio "$s1_m" "$nd_m")" \
        "ssfscan-j1 / pcap_loop" "$(ratio "$s1_m" "$pl_m")" \
        "ssfscan-j2 / ssfscan-j1" "$(ratio "$s2_m" "$s1_m")"
    echo "commands:"
    printf '  %s\n' "${cmds[@]}"
    if [[ -n $note ]]; then printf 'notes:\n%s' "$note"; fi
done
