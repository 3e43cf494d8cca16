#!/usr/bin/env bash
# internet_exposed and programming_from_unexpected_host on exposure.pcap (tests/gen/cap_exposure.c)
# with and without tests/data/exposure.policy: the exact set of items of these two kinds (device,
# check, value, via, policy line, input and frame) must come out, nothing more; --explain names
# the check, the policy file and the frame.
#
# The frames come from the generator's packet order (tests/gen/SCENARIO.md, section 1c), not from
# ssfscan: one ARP frame; the workstation's S7 session 2-17 (3 handshake, 5 exchanges of 2, 3
# close); the HMI's 18-25 and the Modbus poll 26-35; one DNS frame 36; then three TLS
# conversations of 10 frames (3 + 2 + 2 + 3), so the PLC's, the HMI's and the gateway's SYNs are
# frames 37, 47 and 57; the laptop's web 67-76; and the Internet's SYN to the PLC is frame 77.
# An internet_exposed item cites its flow's first packet, the SYN.
source "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
gen_captures
cd "$WORK/cap" || exit 1
cp "$HERE/../data/exposure.policy" "$WORK/exposure.policy"
POL=$WORK/exposure.policy

# expect_items NDJSON DESCRIPTION: stdin holds the expected items, one per line, as
# "IP|KIND|CHECK|VIA|POLICY|INPUT:FRAME|VALUE"; the two kinds' items in the scan must be exactly
# these.
expect_items() {
  local got
  got=$(python3 - "$1" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    d = json.loads(line)
    if d.get("type") != "device":
        continue
    for f in d["findings"]:
        if f["kind"] not in ("internet_exposed", "programming_from_unexpected_host"):
            continue
        for e in f["evidence"]:
            at = "%s:%s" % (e.get("input") or "-", e.get("frame") or "-")
            print("|".join([",".join(d["ips"]), f["kind"], e.get("check") or "-",
                            e.get("seen_on") or "-", e.get("policy") or "-", at, e["value"]]))
PY
  )
  if [ "$(sort <<<"$got")" == "$(sort)" ]; then pass; else
    fail "$2: items differ"; echo "    got:" >&2; sed 's/^/      /' <<<"$got" >&2
  fi
}

expect_exit 0 "scan exposure.pcap without a policy" -- "$SSFSCAN" scan -j 1 --json --out "$WORK/o" exposure.pcap
cp "$OUT" "$WORK/nopolicy.ndjson"
expect_items "$WORK/nopolicy.ndjson" "without a policy: OT devices on the Internet, programming judged by type" <<'ITEMS'
192.168.40.21|internet_exposed|exposure.internet|-|-|exposure.pcap:77|tcp 198.51.100.20:51515 -> 192.168.40.21:102 (s7comm, 1 flow, inbound)
192.168.40.21|internet_exposed|exposure.internet|-|-|exposure.pcap:37|tcp 192.168.40.21:49152 -> 203.0.113.7:443 (TLS, 1 flow, outbound)
192.168.40.30|internet_exposed|exposure.internet|-|-|exposure.pcap:57|tcp 192.168.40.30:49300 -> 203.0.113.80:443 (TLS, 1 flow, outbound)
192.168.40.40|internet_exposed|exposure.internet|-|-|exposure.pcap:47|tcp 192.168.40.40:49200 -> 203.0.113.50:443 (TLS, 1 flow, outbound)
192.168.40.21|programming_from_unexpected_host|exposure.programming_by_type|mac:02:00:00:40:00:66|-|exposure.pcap:89|from 192.168.40.66 (type workstation; no workstation in the policy; judged by device type): 0x29 plc_stop reply: ok
ITEMS
N=$WORK/nopolicy.ndjson
expect_grep "$N" '"ips":\["192.168.40.21"\].*"kind":"programming_from_unexpected_host","severity":"high".*"check":"exposure.programming_by_type","count":1,' "finding header: severity, check, count"
expect_grep "$N" '"value":"tcp 192.168.40.21:49152 -> 203.0.113.7:443 \(TLS, 1 flow, outbound\)","rule":null,"check":"exposure.internet","source":"flow","input":"exposure.pcap","frame":37,"packet":"tcp 192.168.40.21:49152 <-> 203.0.113.7:443"' "flow item: source, the flow's first frame, packet"

expect_exit 0 "scan exposure.pcap with the policy" -- "$SSFSCAN" scan -j 1 --json --policy "$POL" --out "$WORK/o" exposure.pcap
cp "$OUT" "$WORK/policy.ndjson"
expect_items "$WORK/policy.ndjson" "with the policy: the gateway and the HMI are allowed, the laptop is not a workstation" <<ITEMS
192.168.40.21|internet_exposed|exposure.internet|-|-|exposure.pcap:77|tcp 198.51.100.20:51515 -> 192.168.40.21:102 (s7comm, 1 flow, inbound)
192.168.40.21|internet_exposed|exposure.internet|-|-|exposure.pcap:37|tcp 192.168.40.21:49152 -> 203.0.113.7:443 (TLS, 1 flow, outbound)
192.168.40.21|programming_from_unexpected_host|exposure.programming|mac:02:00:00:40:00:66|$POL|exposure.pcap:89|from 192.168.40.66 (no workstation line covers it): 0x29 plc_stop reply: ok
ITEMS

expect_exit 0 "explain the PLC" -- "$SSFSCAN" scan --quiet --policy "$POL" --out "$WORK/o" --explain 192.168.40.21 exposure.pcap
expect_grep "$OUT" "because check exposure.programming found s7.function = \"from 192.168.40.66 \(no workstation line covers it\): 0x29 plc_stop reply: ok\" \(policy $POL\) of mac:02:00:00:40:00:66, exposure.pcap frame 89" "explain names check, policy and programming host"
expect_grep "$OUT" "finding internet_exposed \(high; ETSI EN 303 645 5.6\)" "explain lists internet_exposed"
expect_grep "$OUT" 'because check exposure.internet found flow.public_peer = "tcp 198.51.100.20:51515 -> 192.168.40.21:102 \(s7comm, 1 flow, inbound\)", exposure.pcap frame 77$' "explain cites the inbound flow's SYN"

# With two inputs an item names the file its frame is in; frames count within each file.
expect_exit 0 "scan identity.pcap and exposure.pcap" -- "$SSFSCAN" scan -j 1 --json --out "$WORK/o" identity.pcap exposure.pcap
expect_grep "$OUT" '"value":"tcp 192.168.40.21:49152 -> 203.0.113.7:443 \(TLS, 1 flow, outbound\)","rule":null,"check":"exposure.internet","source":"flow","input":"exposure.pcap","frame":37,' "second input: the item names exposure.pcap, frame 37"
# ...and the workers' split does not change which packet is cited.
expect_exit 0 "scan exposure.pcap -j 2" -- "$SSFSCAN" scan -j 2 --json --out "$WORK/o" exposure.pcap
expect_grep "$OUT" '"value":"tcp 198.51.100.20:51515 -> 192.168.40.21:102 \(s7comm, 1 flow, inbound\)","rule":null,"check":"exposure.internet","source":"flow","input":"exposure.pcap","frame":77,' "-j 2: the inbound item still cites frame 77"

# The cited frames really are those flows' SYNs (checked when tshark is there to read them).
if command -v tshark >/dev/null; then
  syns=$(tshark -r exposure.pcap -T fields -e frame.number -e ip.src -e tcp.srcport -e ip.dst \
    -e tcp.dstport -e tcp.flags.syn -e tcp.flags.ack \
    -Y 'frame.number == 37 || frame.number == 47 || frame.number == 57 || frame.number == 77' \
    2>/dev/null | tr '\t' ' ')
  want=$(printf '%s\n' "37 192.168.40.21 49152 203.0.113.7 443 1 0" \
    "47 192.168.40.40 49200 203.0.113.50 443 1 0" "57 192.168.40.30 49300 203.0.113.80 443 1 0" \
    "77 198.51.100.20 51515 192.168.40.21 102 1 0")
  if [ "$syns" == "$want" ]; then pass; else fail "cited frames are not the flows' SYNs: $syns"; fi
fi
expect_exit 0 "explain the allowed gateway" -- "$SSFSCAN" scan --quiet --policy "$POL" --out "$WORK/o" --explain 192.168.40.30 exposure.pcap
expect_grep "$OUT" "internet: 1 flow with public addresses, allowed by policy $POL:6 \(internet vendor-cloud\)" "explain names the internet line that allows a device"

# The device column widens for a router's mark instead of cutting it.
expect_exit 0 "table of exposure.pcap" -- "$SSFSCAN" scan -j 1 --quiet --out "$WORK/o" exposure.pcap
expect_grep "$OUT" "^192\.168\.40\.1 \[router\] +00:0d:b9:40:00:01 " "the router's label is whole"

# A policy naming another workstation turns the engineering workstation's download into one too.
printf 'workstation other: device 192.168.40.99\n' > "$WORK/other.policy"
expect_exit 0 "scan with another workstation" -- "$SSFSCAN" scan -j 1 --json --policy "$WORK/other.policy" --out "$WORK/o" exposure.pcap
expect_grep "$OUT" '"value":"from 192.168.40.10 \(no workstation line covers it\): 0x1a request_download reply: ok","rule":null,"check":"exposure.programming","policy":"'"$WORK"'/other.policy","seen_on":"mac:00:14:22:40:00:10"' "the policy, not the type, decides"
finish
