#!/usr/bin/env python3
"""Grades `ssfscan scan` against the identity and weak_points columns of ../shared/corpus/EXPECTED.tsv.

For every capture the table names, runs the real binary once (--json), finds the device that
carries each row's IP, and compares vendor, model, firmware and device type. It also checks
the evidence lines in tests/corpus/evidence_*.tsv (capture, device IP, field, exact value).

Scoring, per field (see SCORES.md):
  labelled  rows whose expected value is given (not "-"; for device_type, not "unknown")
  reported  labelled rows where ssfscan gives a value
  correct   reported rows whose value matches: vendor, model and firmware as case-insensitive
            substrings on folded text, the expected one inside ours or ours (at least half its
            length) inside it; the vendor also through the names the engine grouped into it
            ("also_named"); device_type exactly
  precision correct / reported        recall  correct / labelled
  right     rows, of all rows, where ssfscan says what the table says, "nothing" included

Findings, per weak-point kind K (the weak_points column, see SCORES.md), over the rows:
  tp        the row lists K and its device has a K finding
  fn        the row lists K and its device has none
  fp        the row does not list K and its device has one ("not necessarily wrong": the
            corpus labels only the weak points relevant to IoT/OT; counted against us anyway)
  precision tp / (tp + fp)      recall  tp / (tp + fn)      ("-" when nothing to divide by)

Exit status: 0 when every figure is at or above the one recorded in scores.tsv and every
evidence line holds, 1 otherwise, 77 (skipped) when the corpus is absent. A finding kind also
fails when it has no record, or, while it has no true positive, when its false positives rise;
a failing kind names the rows whose verdict moved since findings.tsv was written.
  grade.py --ssfscan BIN --shared DIR [--work DIR] [--write]   (--write records new figures)
"""
import argparse
import concurrent.futures
import glob
import json
import os
import re
import subprocess
import sys

FIELDS = ("vendor", "model", "firmware", "device_type")
HERE = os.path.dirname(os.path.abspath(__file__))


def fold(s):
    return " ".join(re.findall(r"[a-z0-9]+", s.lower()))


def scan(ssfscan, capture, work):
    out = os.path.join(work, re.sub(r"[^A-Za-z0-9_.-]", "_", capture))
    r = subprocess.run([ssfscan, "scan", "-j", "1", "--json", "--quiet", "--out", out, capture],
                       capture_output=True, text=True, timeout=300)
    if r.returncode not in (0, 1):
        raise RuntimeError("%s: exit %d\n%s" % (capture, r.returncode, r.stderr[-2000:]))
    devices = []
    for line in r.stdout.splitlines():
        d = json.loads(line)
        if d.get("type") == "device":
            devices.append(d)
    return devices


def device_for(devices, ip):
    for d in devices:
        if ip in d.get("ips", []):
            return d
    return None


def ours(dev, field):
    """(value, [other names]) the device reports for a field, or (None, [])."""
    if not dev:
        return None, []
    v = (dev.get("identity") or {}).get(field)
    if not v or not v.get("value"):
        return None, []
    if field == "device_type" and v["value"] == "unknown":
        return None, []
    return v["value"], v.get("also_named", [])


def matches(field, expected, value, names):
    """Device types exactly. Text fields as folded substrings: the expected text inside ours
    ("siemens" in "siemens ag"), or ours inside the expected one when ours is at least half of
    it ("intel" alone would not do for "intel corporate", but its registry name does)."""
    if field == "device_type":
        return expected == value
    e = fold(expected)
    for n in [value] + names:
        f = fold(n)
        if f and e and (e in f or (f in e and 2 * len(f) >= len(e) and len(f) >= 2)):
            return True
    return False


def load_expected(shared):
    rows = []
    with open(os.path.join(shared, "corpus", "EXPECTED.tsv")) as f:
        header = f.readline().rstrip("\n").split("\t")
        for line in f:
            if line.strip():
                rows.append(dict(zip(header, line.rstrip("\n").split("\t"))))
    return rows


def load_evidence_checks():
    checks = []
    for path in sorted(glob.glob(os.path.join(HERE, "evidence_*.tsv"))):
        with open(path) as f:
            for n, line in enumerate(f, 1):
                if not line.strip() or line.startswith("#"):
                    continue
                parts = line.rstrip("\n").split("\t")
                if len(parts) != 4:
                    sys.exit("%s:%d: want 4 tab-separated columns" % (path, n))
                checks.append((os.path.basename(path), n, *parts))
    return checks


def grade(rows, results):
    score = {f: {"labelled": 0, "reported": 0, "correct": 0, "right": 0} for f in FIELDS}
    misses = []
    for r in rows:
        dev = device_for(results[r["file"]], r["device_ip"])
        for f in FIELDS:
            exp = r[f]
            unlabelled = exp == "-" or (f == "device_type" and exp == "unknown")
            value, names = ours(dev, f)
            s = score[f]
            if unlabelled:
                s["right"] += value is None
                if value is not None:
                    misses.append((r, f, exp, value, "extra"))
                continue
            s["labelled"] += 1
            if value is None:
                misses.append((r, f, exp, None, "missing"))
                continue
            s["reported"] += 1
            if matches(f, exp, value, names):
                s["correct"] += 1
                s["right"] += 1
            else:
                misses.append((r, f, exp, value, "wrong"))
    n = len(rows)
    for f in FIELDS:
        s = score[f]
        s["precision"] = 100.0 * s["correct"] / s["reported"] if s["reported"] else 0.0
        s["recall"] = 100.0 * s["correct"] / s["labelled"] if s["labelled"] else 0.0
        s["right_pct"] = 100.0 * s["right"] / n if n else 0.0
    return score, misses


def kinds_of(cell):
    return {k.strip() for k in cell.split(",") if k.strip() and k.strip() != "-"}


def reported_kinds(dev):
    return {f["kind"] for f in (dev or {}).get("findings", [])}


def ratio(num, den):
    return 100.0 * num / den if den else None


def grade_findings(rows, results):
    """Per kind: tp, fp, fn, precision and recall (None where undefined), and the verdict of
    every graded row that lists the kind or whose device has it: {kind: {(file, ip): v}}."""
    score, verdicts = {}, {}
    for r in rows:
        want = kinds_of(r.get("weak_points", "-"))
        got = reported_kinds(device_for(results[r["file"]], r["device_ip"]))
        for k in want | got:
            v = "tp" if k in want and k in got else "fn" if k in want else "fp"
            s = score.setdefault(k, {"tp": 0, "fp": 0, "fn": 0})
            s[v] += 1
            verdicts.setdefault(k, {})[(r["file"], r["device_ip"])] = v
    for s in score.values():
        s["precision"] = ratio(s["tp"], s["tp"] + s["fp"])
        s["recall"] = ratio(s["tp"], s["tp"] + s["fn"])
    return score, verdicts


def pct(x):
    return "-" if x is None else "%.1f%%" % x


def print_findings(fscore, verdicts):
    print("%-26s %4s %4s %4s %9s %7s" % ("finding", "tp", "fp", "fn", "precision", "recall"))
    for k in sorted(fscore):
        s = fscore[k]
        print("%-26s %4d %4d %4d %9s %7s" %
              (k, s["tp"], s["fp"], s["fn"], pct(s["precision"]), pct(s["recall"])))
    t = {w: sum(s[w] for s in fscore.values()) for w in ("tp", "fp", "fn")}
    print("%-26s %4d %4d %4d %9s %7s" %
          ("(all kinds)", t["tp"], t["fp"], t["fn"], pct(ratio(t["tp"], t["tp"] + t["fp"])),
           pct(ratio(t["tp"], t["tp"] + t["fn"]))))
    for k in sorted(verdicts):
        for (cap, ip), v in sorted(verdicts[k].items()):
            if v != "tp":
                print("  %s %s %s finding %s" % (v, cap, ip, k))


def read_recorded():
    """scores.tsv: identity rows `field precision recall right`; finding rows
    `finding:KIND precision recall - tp fp fn`, "-" for a figure with nothing to divide by."""
    path = os.path.join(HERE, "scores.tsv")
    rec, frec = {}, {}
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                if line.startswith("#") or not line.strip():
                    continue
                c = line.split()
                num = [None if x == "-" else float(x) for x in c[1:4]]
                if c[0].startswith("finding:"):
                    frec[c[0][len("finding:"):]] = {
                        "precision": num[0], "recall": num[1],
                        **dict(zip(("tp", "fp", "fn"), map(int, c[4:7])))}
                else:
                    rec[c[0]] = tuple(num)
    return rec, frec


def read_verdicts():
    """findings.tsv: the verdict of every graded (kind, capture, ip) when scores were recorded."""
    out = {}
    path = os.path.join(HERE, "findings.tsv")
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                if line.startswith("#") or not line.strip():
                    continue
                k, v, cap, ip = line.rstrip("\n").split("\t")
                out.setdefault(k, {})[(cap, ip)] = v
    return out


def write_recorded(score, fscore, verdicts):
    with open(os.path.join(HERE, "scores.tsv"), "w") as f:
        f.write("# field precision recall right  (written by grade.py --write; see SCORES.md)\n")
        f.write("# finding:KIND precision recall - tp fp fn  (\"-\": nothing to divide by)\n")
        for k in FIELDS:
            s = score[k]
            f.write("%s\t%.1f\t%.1f\t%.1f\n" % (k, s["precision"], s["recall"], s["right_pct"]))
        for k in sorted(fscore):
            s = fscore[k]
            fig = ["-" if x is None else "%.1f" % x for x in (s["precision"], s["recall"])]
            f.write("finding:%s\t%s\t%s\t-\t%d\t%d\t%d\n" %
                    (k, fig[0], fig[1], s["tp"], s["fp"], s["fn"]))
    with open(os.path.join(HERE, "findings.tsv"), "w") as f:
        f.write("# kind verdict(tp|fp|fn) capture device_ip  (written by grade.py --write)\n")
        for k in sorted(verdicts):
            for (cap, ip), v in sorted(verdicts[k].items()):
                f.write("%s\t%s\t%s\t%s\n" % (k, v, cap, ip))


def moved(kind, verdicts, old):
    """Rows of KIND whose verdict differs from the recorded one ("none": not graded)."""
    now, was = verdicts.get(kind, {}), old.get(kind, {})
    return [(key, was.get(key, "none"), now.get(key, "none"))
            for key in sorted(set(now) | set(was)) if now.get(key) != was.get(key)]


def check_findings(fscore, verdicts, frec, old):
    """Fails a kind whose precision or recall fell below its record, a kind with no record,
    and, where precision is 0 or undefined (it cannot fall), more false positives than
    recorded. Names the rows that moved. Returns the number of failures."""
    failed = 0
    empty = {"tp": 0, "fp": 0, "fn": 0, "precision": None, "recall": None}
    for k in sorted(set(fscore) | set(frec)):
        s, r = fscore.get(k, empty), frec.get(k)
        why = []
        if r is None:
            why.append("has no record (tp %d fp %d fn %d): check it, then --write" %
                       (s["tp"], s["fp"], s["fn"]))
        else:
            for what in ("precision", "recall"):
                was, now = r[what], s[what]
                if was is not None and (now is None or now + 0.05 < was):
                    why.append("%s fell to %s (recorded %s)" % (what, pct(now), pct(was)))
            if not r["tp"] and s["fp"] > r["fp"]:
                why.append("false positives rose to %d (recorded %d)" % (s["fp"], r["fp"]))
        if why:
            failed += 1
            print("FAIL finding %s: %s" % (k, "; ".join(why)))
            for (cap, ip), was, now in moved(k, verdicts, old):
                print("       moved: %s %s %s -> %s" % (cap, ip, was, now))
    return failed


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ssfscan", required=True)
    ap.add_argument("--shared", required=True)
    ap.add_argument("--work", default="/tmp/ssfscan-grade")
    ap.add_argument("--write", action="store_true", help="record the figures in scores.tsv")
    a = ap.parse_args()
    corpus = os.path.join(a.shared, "corpus")
    if not os.path.exists(os.path.join(corpus, "EXPECTED.tsv")):
        print("SKIP: %s/EXPECTED.tsv not found" % corpus)
        return 77
    os.makedirs(a.work, exist_ok=True)
    rows = load_expected(a.shared)
    checks = load_evidence_checks()
    files = sorted({r["file"] for r in rows} | {c[2] for c in checks})
    results = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as ex:
        futs = {ex.submit(scan, a.ssfscan, os.path.join(corpus, f), a.work): f for f in files}
        for fut in concurrent.futures.as_completed(futs):
            results[futs[fut]] = fut.result()

    score, misses = grade(rows, results)
    print("graded %d rows of EXPECTED.tsv over %d captures" % (len(rows), len(files)))
    print("%-12s %8s %8s %7s %9s %7s %7s" %
          ("field", "labelled", "reported", "correct", "precision", "recall", "right"))
    for f in FIELDS:
        s = score[f]
        print("%-12s %8d %8d %7d %8.1f%% %6.1f%% %6.1f%%" %
              (f, s["labelled"], s["reported"], s["correct"], s["precision"], s["recall"],
               s["right_pct"]))
    for r, f, exp, value, kind in misses:
        print("  %-7s %s %s %s: expected %r, got %r" %
              (kind, r["file"], r["device_ip"], f, exp, value))

    failed = 0
    for name, line, cap, ip, field, value in checks:
        dev = device_for(results[cap], ip)
        got = [e["value"] for e in (dev or {}).get("evidence", []) if e["field"] == field]
        if value not in got:
            print("FAIL %s:%d: %s %s: no %s = %r (has %r)" % (name, line, cap, ip, field, value,
                                                           got[:4]))
            failed += 1
    print("evidence checks: %d of %d hold" % (len(checks) - failed, len(checks)))
    fscore, verdicts = grade_findings(rows, results)
    print_findings(fscore, verdicts)

    if a.write:
        write_recorded(score, fscore, verdicts)
        print("recorded in %s and findings.tsv" % os.path.join(HERE, "scores.tsv"))
        return 1 if failed else 0
    rec, frec = read_recorded()
    for f in FIELDS:
        if f not in rec:
            continue
        p, r, right = rec[f]
        s = score[f]
        for what, now, was in (("precision", s["precision"], p), ("recall", s["recall"], r),
                               ("right", s["right_pct"], right)):
            if now + 0.05 < was:
                print("FAIL %s %s fell to %.1f%% (recorded %.1f%%)" % (f, what, now, was))
                failed += 1
    failed += check_findings(fscore, verdicts, frec, read_verdicts())
    print("PASS" if not failed else "FAILED: %d" % failed)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
