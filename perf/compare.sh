#!/usr/bin/env bash
# compare.sh - throughput of ssfscan against a bare libpcap read and against ndpiReader, measured
# in the same run on the same machine, so the ratios mean something. See perf/README.md.
#
# Usage: perf/compare.sh [--build DIR] [--loops N] [--reps N] FILE...
#   --build DIR  build tree holding perf/pcap_loop and cli/ssfscan (default: <repo>/build)
#   --loops N    passes over the file per pcap_loop run, loops per ndpiReader run (default 5)
#   --reps N     rounds; each runs every tool once in turn (default 3); medians and paired ratios
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

# ---- one run of each tool --------------------------------------------------------------------

# The tools take turns, one run each per round, so a machine that slows down for half a minute
# slows every tool alike; each round's own ratios (paired) are reported beside the medians.
# run_* append one Mpps / Gbps figure (or n/a) to the tool's arrays and the command to cmds[].
cmds=()
note=""
avg_len=0 # mean pcap wire length of the current file, B; set by run_pcap_loop

add_note() {
    [[ $note == *"$1"* ]] || note+="  $1"$'\n'
}

add_cmd() {
    local c
    for c in "${cmds[@]}"; do [[ $c == "$1" ]] && return; done
    cmds+=("$1")
}

run_pcap_loop() {
    local f=$1 out
    add_cmd "$pcap_loop $f --loops $loops"
    out=$("$pcap_loop" "$f" --loops "$loops") || die "pcap_loop failed on $f"
    pl_m+=("$(kv mpps <<<"$out")")
    pl_g+=("$(kv gbps <<<"$out")")
    avg_len=$(awk -v b="$(kv bytes <<<"$out")" -v p="$(kv packets <<<"$out")" \
        'BEGIN { printf "%.1f", p ? b / p : 0 }')
}

# ndpiReader's own Gb/sec adds 24 B per packet (preamble, IFG, CRC); the table recomputes Gbps
# from Mpps and pcap's mean wire length so every row counts bytes the same way.
run_ndpi() {
    local f=$1 out v
    if [[ -z $ndpi ]]; then
        add_note "ndpiReader: not installed (apt-get install libndpi-bin); its row is n/a"
        nd_m+=(n/a)
        return
    fi
    add_cmd "$ndpi -i $f -l $loops   # median of its per-loop 'nDPI throughput' lines"
    out=$("$ndpi" -i "$f" -l "$loops" 2>&1) || true
    v=$(ndpi_mpps <<<"$out" | median)
    [[ $v == n/a ]] && add_note "ndpiReader: no 'nDPI throughput' line in its output; its row is n/a"
    nd_m+=("$v")
}

run_ssfscan() {
    local f=$1 j=$2 out m g
    # Each ssfscan loop shifts timestamps so every flow starts anew (the worst case); ndpiReader's
    # later loops see flows it already knows. The same loop count keeps start-up costs equal.
    add_cmd "$ssfscan bench $f --json --no-stages -j $j --loops $loops"
    m=n/a g=n/a
    if [[ ! -x $ssfscan ]]; then
        add_note "ssfscan: $ssfscan not built yet; its rows are n/a"
    else
        out=$("$ssfscan" bench "$f" --json --no-stages -j "$j" --loops "$loops" 2>/dev/null) || true
        m=$(json_num mpps <<<"$out")
        g=$(json_num gbps <<<"$out")
        [[ -n $m ]] || add_note "ssfscan: 'bench FILE --json -j $j' printed no numeric \"mpps\"; n/a"
    fi
    if ((j == 1)); then
        s1_m+=("${m:-n/a}") s1_g+=("${g:-n/a}")
    else
        s2_m+=("${m:-n/a}") s2_g+=("${g:-n/a}")
    fi
}

# median of the array elements named by $1 that are numbers
med() {
    local -n a=$1
    printf '%s\n' "${a[@]}" | { grep -v n/a || true; } | median
}

# "median (min-max)" of the per-round ratios ${!1}[r] / ${!2}[r]
paired() {
    local -n a=$1 b=$2
    local r v=()
    for ((r = 0; r < ${#a[@]}; r++)); do
        v+=("$(ratio "${a[r]}" "${b[r]:-n/a}")")
    done
    printf '%s\n' "${v[@]}" | { grep -v n/a || true; } | sort -g |
        awk '{ x[NR] = $1 } END {
            if (NR == 0) { print "n/a"; exit }
            m = NR % 2 ? x[(NR + 1) / 2] : (x[NR / 2] + x[NR / 2 + 1]) / 2
            printf "%.2f (%.2f-%.2f over %d rounds)\n", m, x[1], x[NR], NR }'
}

# ---- report ----------------------------------------------------------------------------------

model=$(lscpu 2>/dev/null | sed -n 's/^Model name:[[:space:]]*//p' | head -n1)
echo "machine: ${model:-unknown CPU}, nproc=$(nproc), $(uname -sr)"
echo "date:    $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
echo "method:  $reps rounds, each running every tool once in turn; medians over the rounds; every run makes $loops passes"
if [[ -n $ndpi ]]; then echo "nDPI:    $("$ndpi" -h 2>&1 | sed -n 's/^Welcome to //p' | head -n1)"; fi

for f in "${files[@]}"; do
    [[ -r $f ]] || die "cannot read $f"
    cmds=() note=""
    cat "$f" >/dev/null # warm the page cache so no tool pays for the disk
    pl_m=() pl_g=() nd_m=() s1_m=() s1_g=() s2_m=() s2_g=()
    for ((r = 0; r < reps; r++)); do
        run_pcap_loop "$f"
        run_ndpi "$f"
        run_ssfscan "$f" 1
        run_ssfscan "$f" 2
    done
    nd_mm=$(med nd_m)
    nd_gg=$(awk -v m="$nd_mm" -v l="$avg_len" 'BEGIN { if (m == "n/a") print m; else printf "%.3f", m * l * 8 / 1e3 }')
    pl_mm=$(med pl_m) pl_gg=$(med pl_g) s1_mm=$(med s1_m) s1_gg=$(med s1_g) s2_mm=$(med s2_m) s2_gg=$(med s2_g)
    echo
    echo "== $f (mean wire length $avg_len B)"
    printf "%-12s %10s %10s\n" tool Mpps Gbps
    for row in "pcap_loop $pl_mm $pl_gg" "ndpiReader $nd_mm $nd_gg" "ssfscan-j1 $s1_mm $s1_gg" \
        "ssfscan-j2 $s2_mm $s2_gg"; do
        read -r t m g <<<"$row"
        printf "%-12s %10s %10s\n" "$t" "$(fmt "$m")" "$(fmt "$g")"
    done
    echo "ratios (of Mpps): of the medians; paired: the median of each round's own ratio"
    printf '  %-24s %-6s paired %s\n' \
        "ssfscan-j1 / ndpiReader" "$(ratio "$s1_mm" "$nd_mm")" "$(paired s1_m nd_m)" \
        "ssfscan-j1 / pcap_loop" "$(ratio "$s1_mm" "$pl_mm")" "$(paired s1_m pl_m)" \
        "ssfscan-j2 / ssfscan-j1" "$(ratio "$s2_mm" "$s1_mm")" "$(paired s2_m s1_m)"
    echo "commands:"
    printf '  %s\n' "${cmds[@]}"
    if [[ -n $note ]]; then printf 'notes:\n%s' "$note"; fi
done
