#!/usr/bin/env bash
# The posture outputs on the project's own plant capture (tests/gen/SCENARIO.md): scan writes
# risk.json, findings.ndjson and report.html beside inventory.json (not with --no-report);
# `ssfscan report` renders the same HTML again; headless Chromium builds the map and the table
# without console errors, also when the site name is a script.
source "$(dirname "$0")/lib.sh"
POL=$(cd "$(dirname "$0")/../data" && pwd)/systems.policy
gen_captures
cd "$WORK/cap" || exit 1

expect_exit 0 "scan plant.pcap" -- "$SSFSCAN" scan -j 1 -q --out "$WORK/o" plant.pcap
for f in inventory.json risk.json findings.ndjson report.html; do
  if [ -s "$WORK/o/$f" ]; then pass; else fail "scan did not write $f"; fi
done
R=$WORK/o/risk.json
expect_grep "$R" '"schema": "ssfscan.risk/1"' "risk.json schema"
for ip in 21 22 23 24 10; do
  expect_grep "$R" "\"192.168.30.$ip\"" "device .$ip in risk.json"
done
expect_grep "$R" '"rank": 5' "five devices ranked"
expect_grep "$R" '"assurance": [1-4]' "assurance given"
expect_grep "$WORK/o/findings.ndjson" '^\{"type":"finding","schema":"ssfscan.risk/1".*"kind":"ics_info_disclosure"' "findings stream"

expect_exit 0 "scan --no-report" -- "$SSFSCAN" scan -j 1 -q --no-report --out "$WORK/n" plant.pcap
if [ -s "$WORK/n/inventory.json" ] && [ ! -e "$WORK/n/risk.json" ] && [ ! -e "$WORK/n/report.html" ]; then pass; else fail "--no-report wrote $(ls "$WORK/n")"; fi

expect_exit 0 "report -o" -- "$SSFSCAN" report -o "$WORK/again.html" "$R"
if cmp -s "$WORK/again.html" "$WORK/o/report.html"; then pass; else fail "report renders differently from scan"; fi
cp "$R" "$WORK/n/risk.json"
expect_exit 0 "report default output" -- "$SSFSCAN" report "$WORK/n/risk.json"
if [ -s "$WORK/n/report.html" ]; then pass; else fail "report did not write report.html beside risk.json"; fi
expect_exit 1 "report of an inventory" -- "$SSFSCAN" report -o "$WORK/x.html" "$WORK/o/inventory.json"
expect_grep "$ERR" "not an ssfscan.risk/1 document" "says why"
if [ ! -e "$WORK/x.html" ]; then pass; else fail "half a report left behind"; fi
expect_exit 1 "report of a missing file" -- "$SSFSCAN" report "$WORK/none.json"
expect_exit 2 "report without input" -- "$SSFSCAN" report

# A hostile site name must stay text: the page still builds and no script of the name runs.
expect_exit 0 "scan with a hostile site" -- "$SSFSCAN" scan -j 1 -q --site '</title><script>document.title="PWNED"</script>' --out "$WORK/h" plant.pcap

# dom PAGE NAME: the DOM after the scripts ran, and Chromium's log, in $WORK/NAME.{dom,log}.
dom() {
  local chromium
  chromium=$(command -v chromium || command -v chromium-browser) || { fail "chromium is not installed (scripts/setup installs it)"; return 1; }
  HOME=$WORK timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --user-data-dir="$WORK/chrome-$2" \
    --enable-logging=stderr --v=0 --virtual-time-budget=3000 --dump-dom "file://$1" \
    >"$WORK/$2.dom" 2>"$WORK/$2.log" || fail "chromium failed on $1"
}
for page in o/report.html h/report.html; do
  name=${page%%/*}
  dom "$WORK/$page" "$name" || continue
  D=$WORK/$name.dom
  expect_grep "$D" '<body data-ready="1"' "$page: script built the page"
  expect_grep "$D" 'id="ssf-ready" hidden="" data-devices="5" data-marks="5" data-ok="1"' "$page: table and map have every device"
  expect_grep "$D" '<svg id="map"' "$page: SVG map"
  expect_no_grep "$D" 'id="ssf-error"' "$page: no script error"
  expect_no_grep "$WORK/$name.log" 'Uncaught|SyntaxError' "$page: no console error"
  for ip in 10 21 22 23 24; do
    expect_grep "$D" "192.168.30.$ip" "$page: device .$ip shown"
  done
done
# A click on a mark shows that device's identity and findings in the detail panel, and a click
# on a heading sorts the table (rank descending after two clicks: ascending, then reversed).
sed 's|</body>|<script>document.querySelector("#map .mark").dispatchEvent(new MouseEvent("click"));var th=document.querySelector("#devices th");th.click();th.click();</script></body>|' \
  "$WORK/o/report.html" >"$WORK/o/click.html"
if dom "$WORK/o/click.html" click; then
  expect_grep "$WORK/click.dom" '<div id="detail"><h3>#[0-9] .*vendor: <b>' "click shows the device in the panel"
  expect_grep "$WORK/click.dom" 'class="mark g0 sel"' "click selects the mark"
  expect_grep "$WORK/click.dom" '<tbody><tr class="tg[0-3]" data-dev="4"><td data-v="5">5</td>' "heading click sorts the table"
  expect_no_grep "$WORK/click.log" 'Uncaught' "no console error on click"
fi
expect_no_grep "$WORK/h.dom" '<title>PWNED' "hostile site name stays text"
expect_grep "$WORK/h.dom" '&lt;/title&gt;&lt;script&gt;' "hostile site name shown escaped"

# Systems (tests/data/systems.policy, see it_systems.sh): line1 and engineering are one mark
# each, a rounded square with the name, their members not drawn apart; the PLC outside any
# system keeps its circle, so 3 marks for 5 devices. A test-only rule makes line1 gap 3 (red).
# A click on the system's mark shows its members in the panel.
mkdir -p "$WORK/rules"
printf 'rule test-s7-critical\n    field s7.firmware\n    match /^V2\\.8\\.4$/\n    finding unauth_ics_program\n    example "V2.8.4"\n' >"$WORK/rules/t.rules"
expect_exit 0 "scan with systems" -- "$SSFSCAN" scan -j 1 -q --policy "$POL" --rules "$WORK/rules" --out "$WORK/s" plant.pcap
sed 's|</body>|<script>document.querySelector("#map .mark.sys[data-dev=s0]").dispatchEvent(new MouseEvent("click",{bubbles:true}));</script></body>|' \
  "$WORK/s/report.html" >"$WORK/s/click.html"
for page in s/report.html s/click.html; do
  name=sys-${page#s/}
  name=${name%.html}
  dom "$WORK/$page" "$name" || continue
  D=$WORK/$name.dom
  expect_grep "$D" 'id="ssf-ready" hidden="" data-devices="5" data-marks="3" data-ok="1"' "$page: two systems and one device drawn"
  expect_grep "$D" '<g class="mark sys g3( sel)?" data-dev="s0"><rect [^>]*rx="3"></rect><text [^>]*>line1</text><title>#1 system line1: 3 members' "$page: line1 is one red rounded square"
  expect_grep "$D" '<g class="mark sys g0( sel)?" data-dev="s1">.*>engineering</text>' "$page: engineering system drawn"
  expect_no_grep "$D" '<circle class="mark g[0-3]( sel)?" data-dev="[0-2]"' "$page: line1's members not drawn apart"
  expect_grep "$D" '<td data-v="line1">line1</td>' "$page: device table has the system column"
  expect_no_grep "$D" 'id="ssf-error"' "$page: no script error"
  expect_no_grep "$WORK/$name.log" 'Uncaught|SyntaxError' "$page: no console error"
done
expect_grep "$WORK/sys-click.dom" '<div id="detail"><h3>#1 system line1 .*<table class="members">.*unauth_ics_program \(critical, 1\)' "click on a system shows its members and their findings"
finish
