#!/usr/bin/env bash
# Failed logins and clear-text updates on the project's own auth.pcap (tests/gen/cap_auth.c):
# bruteforce_no_lockout on exactly the FTP server (8 refused, then taken), the Telnet router (6)
# and the HTTP camera (12), not on the IMAP server (3), nor on the historian's FTP server that
# locked the guesser out after 5 (auth.lockout "ftp 421"); still on the FTP server whose 421
# only ends each session (9 refused over 3 sessions: a per-session limit) and on the one that
# locks out only after 12; insecure_update on the PLC
# that fetched firmware over TFTP and the gateway that RETRieved it over FTP, and not on the
# phone that loaded its configuration over TFTP. default_credentials on exactly the camera that
# took Basic admin/12345, the FTP server that took loader/fwdownload and the MQTT broker that took
# pi/raspberry; not on the FTP server that refused admin/admin (auth.default_tried only) nor for
# the broker's own non-default login. No made-up user name and no password of the capture may
# appear in any output (a default's user name may: operators need it to fix the account).
source "$(dirname "$0")/lib.sh"
gen_captures
cd "$WORK/cap" || exit 1

expect_exit 0 "scan auth.pcap" -- "$SSFSCAN" scan -j 1 -q --out "$WORK/o" auth.pcap
expect_clean_stderr "scan auth.pcap"
cp "$OUT" "$WORK/table.txt"
expect_exit 0 "scan --json" -- "$SSFSCAN" scan -j 1 -q --no-report --out "$WORK/j" --json auth.pcap
cp "$OUT" "$WORK/scan.ndjson"
for ip in 10 11 12 13 14 15 16 17 66; do
  expect_exit 0 "explain .$ip" -- "$SSFSCAN" scan -j 1 -q --no-report --out "$WORK/e$ip" \
    --explain "192.168.40.$ip" auth.pcap
  cp "$OUT" "$WORK/explain-$ip.txt"
done
# -j 2: two workers count on their own; the engine must still add up to the same findings.
expect_exit 0 "scan -j 2" -- "$SSFSCAN" scan -j 2 -q --no-report --out "$WORK/j2" --json auth.pcap
cp "$OUT" "$WORK/scan-j2.ndjson"

# The exact findings of the two kinds, per device.
# At -j 2 each worker counts only its own sessions and the engine adds them up, so the values
# are the same.
check() {
  python3 - "$1" "${2:-}" <<'EOF'
import json, sys
want = {
    "192.168.40.10": {"bruteforce_no_lockout": [
        "brute force succeeded: ftp 230 after 8 failures from 192.168.40.66",
        "ftp 530: 8 failed logins from 192.168.40.66 in 4 s, not slowed down"]},
    "192.168.40.11": {"bruteforce_no_lockout": [
        "telnet login incorrect: 6 failed logins from 192.168.40.66 in 3 s, not slowed down"]},
    "192.168.40.13": {"bruteforce_no_lockout": [
        "http 401 Basic: 12 failed logins from 192.168.40.66 in 7 s, not slowed down"]},
    "192.168.40.19": {"bruteforce_no_lockout": [
        "ftp 530: 9 failed logins from 192.168.40.66 in 5 s, not slowed down; ftp 421 ended a "
        "session but later guesses were refused again: a per-session limit, not a lockout"]},
    "192.168.40.23": {"bruteforce_no_lockout": [
        "ftp 530: 12 failed logins from 192.168.40.66 in 7 s, not slowed down; ftp 421 came only "
        "after 12 failures (more than 10)"]},
    "192.168.40.20": {"insecure_update": ["firmware_v2.1.bin"]},
    "192.168.40.21": {"insecure_update": ["update.img"]},
    "192.168.40.14": {"default_credentials": [
        "http Basic admin (Hikvision (firmware before 5.3), Panasonic)"]},
    "192.168.40.15": {"default_credentials": ["ftp loader (Schneider Electric Modicon Quantum)"]},
    "192.168.40.16": {"default_credentials": [
        "mqtt pi (Raspberry Pi OS (images before April 2022))"]},
}
got = {}
for line in open(sys.argv[1]):
    d = json.loads(line)
    if not d.get("ips"):
        continue
    for f in d.get("findings", []):
        if f["kind"] in ("bruteforce_no_lockout", "insecure_update", "default_credentials"):
            got.setdefault(d["ips"][0], {})[f["kind"]] = sorted(e["value"] for e in f["evidence"])
want = {ip: {k: sorted(vs) for k, vs in x.items()} for ip, x in want.items()}
bad = 0
for ip in sorted(set(want) | set(got)):
    if want.get(ip, {}) != got.get(ip, {}):
        print(f"{ip}: want {want.get(ip, {})}, got {got.get(ip, {})}")
        bad = 1
# Said outright, though the comparison above implies it: the server that locked out is clean.
if "bruteforce_no_lockout" in got.get("192.168.40.18", {}):
    print("192.168.40.18 locked the guesser out after 5 refusals, yet bruteforce_no_lockout")
    bad = 1
# The phone's configuration is management data in clear, not an update.
phone = [f["kind"] for line in open(sys.argv[1]) for d in [json.loads(line)]
         if d.get("ips") == ["192.168.40.30"] for f in d.get("findings", [])]
if phone != ["cleartext_mgmt_protocol"]:
    print(f"phone: want [cleartext_mgmt_protocol], got {phone}")
    bad = 1
sys.exit(bad)
EOF
}
if check "$WORK/scan.ndjson" >"$WORK/check.txt"; then pass; else fail "findings on auth.pcap:"; sed 's/^/    /' "$WORK/check.txt" >&2; fi
if check "$WORK/scan-j2.ndjson" >"$WORK/check2.txt"; then pass; else fail "findings on auth.pcap at -j 2:"; sed 's/^/    /' "$WORK/check2.txt" >&2; fi

# The findings stream carries the same, with the packet of the first refusal.
F=$WORK/o/findings.ndjson
expect_grep "$F" '"kind":"bruteforce_no_lockout".*"check":"bruteforce.failures"' "check named in findings.ndjson"
expect_grep "$F" '"packet":"tcp 192.168.40.10:21 <-> 192.168.40.66:51001"' "first refusal's packet"
expect_grep "$WORK/explain-10.txt" 'because check bruteforce.failures found auth.failure = "ftp 530: 8 failed' "explain names the check"

expect_grep "$WORK/o/report.html" 'brute force succeeded: ftp 230 after 8 failures' "the report lists the success"
expect_grep "$WORK/o/risk.json" '"bruteforce_no_lockout"' "risk.json carries the kind"
# One auth.failure item per server and client, whose count is the refused attempts, at -j 1
# and at -j 2 (two workers' counts add up); the IMAP server's three stay below the bar. Lockout
# replies are counted the same way (auth.lockout): the historian's 421 after the 5th refusal
# and to two later connections, the other server's 421 at the end of each of its 3 sessions;
# the late locker's 12 refusals, the last two past the every-count milestones and reported when
# its 421 comes (the session then ends on the lockout's slot).
counts() {
  python3 - "$1" <<'EOF'
import json, sys
want = {("192.168.40.10", "ftp 530 from 192.168.40.66"): 8,
        ("192.168.40.11", "telnet login incorrect from 192.168.40.66"): 6,
        ("192.168.40.12", "imap NO LOGIN from 192.168.40.66"): 3,
        ("192.168.40.13", "http 401 Basic from 192.168.40.66"): 12,
        ("192.168.40.17", "ftp 530 from 192.168.40.67"): 1,
        ("192.168.40.18", "ftp 530 from 192.168.40.66"): 5,
        ("192.168.40.19", "ftp 530 from 192.168.40.66"): 9,
        ("192.168.40.18", "ftp 421 from 192.168.40.66"): 3,
        ("192.168.40.19", "ftp 421 from 192.168.40.66"): 3,
        ("192.168.40.23", "ftp 530 from 192.168.40.66"): 12,
        ("192.168.40.23", "ftp 421 from 192.168.40.66"): 2}
got, bad = {}, 0
for line in open(sys.argv[1]):
    d = json.loads(line)
    for e in d.get("evidence", []):
        if e["field"] in ("auth.failure", "auth.lockout"):
            k = (d["ips"][0] if d.get("ips") else "", e["value"])
            if k in got:
                print(f"{k}: more than one item")
                bad = 1
            got[k] = e["count"]
if got != want:
    print(f"want {want}\ngot  {got}")
    bad = 1
sys.exit(bad)
EOF
}
for f in scan scan-j2; do
  if counts "$WORK/$f.ndjson" >"$WORK/counts-$f.txt"; then pass; else fail "auth.failure items in $f:"; sed 's/^/    /' "$WORK/counts-$f.txt" >&2; fi
done
expect_no_grep "$WORK/scan.ndjson" ' x[0-9][0-9]* from ' "no running-count values"

# The refused default is a try: evidence on the server, no finding (checked above).
expect_grep "$WORK/scan.ndjson" '"field":"auth.default_tried","value":"ftp admin \(generic' "refused default is reported as tried"
expect_no_grep "$WORK/scan.ndjson" '"field":"auth.default","value":"ftp admin' "refused default is not accepted"

# A TFTP transfer runs on a flow of its own, from the server's new port to the requester's: the
# request announces it, so the file server serves TFTP on that port and the requesters serve
# nothing (without the expectation they looked like servers of "Unknown" on ports 3001/3002).
# With two workers the reader keeps each transfer with its request's worker (probes/pipeline.c).
tftp_roles() {
  python3 - "$1" <<'EOF'
import json, sys
want = {"192.168.40.5": {"served": [["TFTP", 50069, 2], ["FTP_CONTROL", 21, 1]], "udp_used": []},
        "192.168.40.20": {"served": [], "udp_used": [["TFTP", 2]]},
        "192.168.40.30": {"served": [], "udp_used": [["TFTP", 2]]}}
got = {}
for line in open(sys.argv[1]):
    d = json.loads(line)
    if d.get("type") == "device" and d["ips"] and d["ips"][0] in want:
        p = d["protocols"]
        got[d["ips"][0]] = {"served": sorted([[x["name"], x["port"], x["flows"]] for x in p["served"]], reverse=True),
                            "udp_used": [[x["name"], x["flows"]] for x in p["used"] if x["transport"] == "udp"]}
if got != want:
    print(f"want {want}\ngot  {got}")
    sys.exit(1)
EOF
}
for f in scan scan-j2; do
  if tftp_roles "$WORK/$f.ndjson" >"$WORK/tftp-$f.txt"; then pass; else fail "TFTP roles in $f:"; sed 's/^/    /' "$WORK/tftp-$f.txt" >&2; fi
done

# Every user name, password and Basic credential of the capture, in every output. The defaults'
# passwords too ("12345" as a whole word: frame numbers and times hold its digits); admin/admin's
# password is its user name, which is shown.
secrets='ftpuser-zq7|Guess-0|Right-Pw-77q|tnuser-q4|Tn-guess|mailuser-r8|Imap-guess|camuser|Cam-guess|Y2FtdXNl|gw@'
secrets="$secrets|histuser-p3|Lock-guess|fwdownload|raspberry|Mq-Own-Pw-5kz|YWRtaW46|admin:12345"
for f in "$WORK"/o/inventory.json "$WORK"/o/findings.ndjson "$WORK"/o/report.html "$WORK"/o/risk.json \
  "$WORK"/scan.ndjson "$WORK"/scan-j2.ndjson "$WORK"/table.txt "$WORK"/explain-*.txt; do
  if [ -s "$f" ]; then pass; else fail "$(basename "$f") missing or empty"; fi
  expect_no_grep "$f" "$secrets" "no credential in $(basename "$f")"
  if grep -qw 12345 "$f"; then fail "a default's password in $(basename "$f")"; else pass; fi
done
# ... and the capture does hold them, so the check above can fail.
if grep -qa 'Right-Pw-77q' auth.pcap && grep -qa 'tnuser-q4' auth.pcap && grep -qa fwdownload auth.pcap &&
  grep -qa raspberry auth.pcap && grep -qa YWRtaW46MTIzNDU= auth.pcap &&
  grep -qa Lock-guess-05-vv auth.pcap; then pass; else fail "auth.pcap lacks the planted credentials"; fi

finish
