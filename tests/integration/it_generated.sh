#!/usr/bin/env bash
# The project's own captures give exactly the inventory in tests/golden/generated.ndjson
# (byte for byte, -j 1), and -j 2 gives the same table. To accept a deliberate change:
#   SSF_GOLDEN_UPDATE=1 ctest -R it_generated
source "$(dirname "$0")/lib.sh"
GOLDEN=$(cd "$(dirname "$0")/../golden" && pwd)/generated.ndjson
gen_captures
cd "$WORK/cap" || exit 1
INPUTS=(identity.pcap plant.pcap vlan-ipv6.pcapng fragments.pcap linktype-sll.pcap linktype-sll2.pcap
        linktype-raw.pcap linktype-null.pcap linktype-loop.pcap)

expect_exit 0 "scan -j 1 --json" -- "$SSFSCAN" scan -j 1 --json --site golden --out "$WORK/o1" "${INPUTS[@]}"
sed -E 's/"generator":"ssfscan [^"]*"/"generator":"ssfscan"/' "$OUT" > "$WORK/got.ndjson"
if [ "${SSF_GOLDEN_UPDATE:-}" = 1 ]; then cp "$WORK/got.ndjson" "$GOLDEN"; echo "golden updated"; fi
if diff -u "$GOLDEN" "$WORK/got.ndjson" > "$WORK/golden.diff"; then pass; else
  fail "inventory differs from $GOLDEN"; head -60 "$WORK/golden.diff" >&2; fi

# Facts from tests/gen/SCENARIO.md, asserted directly so a failure reads as a sentence.
G=$WORK/got.ndjson
expect_grep "$G" '"id":"mac:00:0e:8c:10:20:30".*"mac_vendor":"Siemens AG".*"ips":\["192.168.10.20"\].*"dhcp.hostname":\["plc-line1"\].*"dhcp.vendor_class":\["SIEMENS-S7-1500"\].*"dhcp.fingerprint":\["1,3,6,15,28,51,58,59"\]' "PLC identity from DHCP"
expect_grep "$G" '"id":"mac:00:40:8c:aa:bb:cc".*"AXIS COMMUNICATIONS AB".*"http.server":\["Boa/0.94.14rc21"\].*"served":\[\{"name":"HTTP","transport":"tcp","port":80' "camera serves HTTP with its banner"
expect_grep "$G" '"id":"mac:28:63:36:44:55:66".*"tls.cert_subject":\["CN=hmi.plant.example, O=Example Plant, C=JP"\],"tls.cert_issuer":\["CN=Example Plant CA, O=Example Plant, C=JP"\]' "HMI certificate reassembled from two segments"
expect_grep "$G" '"id":"mac:00:14:22:01:02:03".*"ssh.banner":\["SSH-2.0-PuTTY_Release_0.78"\]' "workstation SSH client banner"
expect_grep "$G" '"id":"mac:00:1b:54:00:00:02".*"ssh.banner":\["SSH-2.0-Cisco-1.25"\]' "switch SSH server banner"
expect_grep "$G" '"id":"mac:00:30:de:00:00:05".*"vlans":\[100\].*"http.server":\["lighttpd/1.4.59"\]' "VLAN 100 web server"
expect_grep "$G" '"id":"mac:b8:27:eb:00:00:07".*"vlans":\[200\].*"dhcp.hostname":\["pi-gateway"\]' "QinQ DHCP client, outer VLAN 200"
expect_grep "$G" '"ips":\["2001:db8:10::7"\].*"ssh.banner":\["SSH-2.0-OpenSSH_8.4p1 Debian-5\+deb11u1"\]' "IPv6 SSH server behind extension headers"
expect_grep "$G" '"http.user_agent":\["ssfgen-linktype-test"\]' "HTTP found through cooked/raw/null link types"
# Inferred identity: each value with its confidence and the rule behind it.
expect_grep "$G" '"id":"mac:00:14:22:01:02:03".*"identity":\{"vendor":\{"value":"Microsoft","confidence":40,.*"rule":"[a-z0-9-]+","rule_at":"[a-z]+.rules:[0-9]+".*"device_type":\{"value":"workstation"' "Windows workstation from its DHCP vendor class"
expect_grep "$G" '"id":"mac:00:40:8c:aa:bb:cc".*"identity":\{"vendor":\{"value":"Axis","confidence":15,"also_named":\["AXIS COMMUNICATIONS AB"\]' "registry name folded into the canonical vendor"
expect_grep "$G" '"ips":\["2001:db8:10::7"\].*"os":\{"value":"Debian 11"' "OS from the OpenSSH Debian banner"
expect_grep "$G" '"ips":\["192.168.30.21"\].*"identity":\{"vendor":\{"value":"Siemens","confidence":9[0-9],.*"model":\{"value":"6ES7 516-3AN01-0AB0".*"firmware":\{"value":"V2.8.4".*"device_type":\{"value":"plc"' "S7-1500 from its SZL reply"
expect_grep "$G" '"ips":\["192.168.30.22"\].*"identity":\{"vendor":\{"value":"Schneider Electric".*"model":\{"value":"BMX P34 2020".*"firmware":\{"value":"v3.10".*"device_type":\{"value":"plc"' "M340 from Modbus device identification"
expect_grep "$G" '"ips":\["192.168.30.23"\].*"identity":\{"vendor":\{"value":"Rockwell Automation".*"model":\{"value":"1756-L61/B LOGIX5561".*"device_type":\{"value":"plc"' "ControlLogix from ListIdentity"
expect_grep "$G" '"ips":\["192.168.30.24"\].*"identity":\{"vendor":\{"value":"Johnson Controls".*"alternatives":\[\{"value":"Siemens","confidence":15' "BACnet vendor beats the NIC's registry name, which is kept as the alternative"
expect_grep "$G" '"id":"mac:02:00:00:00:20:01".*"device_type":\{"value":"unknown","confidence":0,"evidence":\[\]' "no evidence, no type"
# Findings (weak points, docs/findings.md): the PLCs that name themselves to anyone disclose it.
expect_grep "$G" '"ips":\["192.168.30.22"\].*"findings":\[\{"kind":"ics_info_disclosure","severity":"low","provisions":\["5.6-2"\],"jcstar":null,"rule":"wp-ics-identity","rule_at":"weakpoints.rules:[0-9]+","count":2,.*"field":"modbus.vendor","value":"Schneider Electric"' "M340 Modbus identification is an ics_info_disclosure finding"
expect_grep "$G" '"ips":\["192.168.30.23"\].*"findings":\[\{"kind":"ics_info_disclosure".*"field":"enip.product_name"' "ControlLogix ListIdentity is an ics_info_disclosure finding"
expect_grep "$G" '"id":"mac:00:14:22:01:02:03".*"findings":\[\]' "the workstation has no findings"
expect_no_grep "$G" '"ips":\["0.0.0.0"\]' "0.0.0.0 is never a device address"
expect_no_grep "$G" '"id":"mac:ff:ff:ff:ff:ff:ff"|"ips":\["255.255.255.255"\]' "broadcast is never a device"

expect_exit 0 "table -j 1" -- "$SSFSCAN" scan -j 1 --out "$WORK/o1" "${INPUTS[@]}"
cp "$OUT" "$WORK/table1"
expect_exit 0 "table -j 2" -- "$SSFSCAN" scan -j 2 --out "$WORK/o2" "${INPUTS[@]}"
if diff -u "$WORK/table1" "$OUT" >&2; then pass; else fail "-j 2 table differs from -j 1"; fi
expect_grep "$WORK/o2/inventory.json" '"schema": "ssfscan.inventory/2"' "inventory.json written"

expect_exit 0 "explain by IP" -- "$SSFSCAN" scan --quiet --out "$WORK/o1" --explain 192.168.10.40 identity.pcap
expect_grep "$OUT" "tls.cert_subject = CN=hmi.plant.example" "explain shows the certificate subject"
expect_grep "$OUT" "from tls, identity.pcap frame [0-9]+ at 2024-01-15T" "explain names file, frame and time"
expect_exit 1 "explain unknown" -- "$SSFSCAN" scan --quiet --out "$WORK/o1" --explain 10.9.9.9 identity.pcap
expect_grep "$ERR" "no device with address 10.9.9.9" "explain of an unseen address says so"
finish
