#!/usr/bin/env python3
"""Grades `ssfscan scan --advisories` on the corpus ICS devices that show a model and firmware.

For every row of tests/corpus/advisories.tsv it scans the capture with the real binary, takes
the device with that IP and prints what it matched: vendor, model and firmware, advisory ids,
CVE count and highest CVSS v3 score. Then it checks, with no code from signatures/csaf.c:

  reported  ssfscan reports exactly the `expected` ids, and none of `excluded` or `missed`;
  sweep     every advisory in the CSAF directory whose affected products (known_affected,
            first_affected, last_affected) the row's `product` regex names, each classified by
            this script's own reading of the version range: those with a range that holds the
            firmware must be exactly `expected` plus `missed`; each `excluded` one must list
            the product with no range that holds it.

Exit status 0 when all hold, 1 otherwise, 77 (skipped) without the corpus or the CSAF set.
  advisories_grade.py --ssfscan BIN --shared DIR [--work DIR] [--markdown]
"""
import argparse
import glob
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def load_rows():
    rows = []
    with open(os.path.join(HERE, "advisories.tsv")) as f:
        for n, line in enumerate(f, 1):
            if line.startswith("#") or not line.strip():
                continue
            c = line.rstrip("\n").split("\t")
            if len(c) != 6:
                sys.exit("advisories.tsv:%d: want 6 tab-separated columns" % n)
            ids = [set() if x == "-" else set(x.split(",")) for x in c[3:6]]
            rows.append({"capture": c[0], "ip": c[1], "product": re.compile(c[2], re.I),
                         "expected": ids[0], "excluded": ids[1], "missed": ids[2]})
    return rows


def scan(ssfscan, capture, csaf, work):
    out = os.path.join(work, re.sub(r"[^A-Za-z0-9_.-]", "_", capture))
    r = subprocess.run([ssfscan, "scan", "-j", "1", "--json", "--quiet", "--out", out,
                        "--advisories", csaf, capture], capture_output=True, text=True,
                       timeout=600)
    if r.returncode not in (0, 1):
        raise RuntimeError("%s: exit %d\n%s" % (capture, r.returncode, r.stderr[-2000:]))
    return [json.loads(x) for x in r.stdout.splitlines() if x.startswith("{")]


# ---- version ranges, read independently of signatures/csaf.c ------------------------------

def nums(s):
    return [int(x) for x in re.findall(r"\d+", s)]


def vcmp(a, b):
    n = max(len(a), len(b))
    a, b = a + [0] * (n - len(a)), b + [0] * (n - len(b))
    return (a > b) - (a < b)


OPS = {"<": lambda c: c < 0, "<=": lambda c: c <= 0, ">": lambda c: c > 0,
       ">=": lambda c: c >= 0, "=": lambda c: c == 0}


def holds(fw, text):
    """True when the range text holds firmware fw (a list of numbers), False when not, None
    when the text bounds something else than the firmware."""
    t = text.strip()
    if re.search(r"function state|\bFS\b", t, re.I):
        return None
    if t.lower().startswith("vers:"):
        body = t.split("/", 1)[1].strip()
        if body == "*":
            return True
        cons = re.findall(r"(<=|>=|<|>|!=|=)?\s*[vV]?(\d[\d.]*)", body)
        if any(not op and vcmp(fw, nums(v)) == 0 for op, v in cons):
            return True
        comps = [(op, v) for op, v in cons if op]
        return bool(comps) and all(OPS[op](vcmp(fw, nums(v))) for op, v in comps)
    t = re.sub(r"\([^)]*\)", "", t)  # remarks: "(only affected by CVE-...)", "(TC1210/...)"
    t = re.sub(r"(?i)^\s*(all versions?|versions?)\s*", "", t).strip()
    if not t:
        return True
    for alt in t.split("|"):  # "< 1.28.16 | < 1.24.69": either
        comps = re.findall(r"(<=|>=|<|>)\s*([^<>|]*)", alt)
        if comps and all(OPS[op](vcmp(fw, nums(v))) for op, v in comps):
            return True
        if not comps and nums(alt) and vcmp(fw, nums(alt)) == 0:
            return True
    return False


def name_holds(fw, name):
    """A version written in the product name narrows it: "family version 4", "family V4.x",
    "family < V4.x"."""
    name = re.sub(r"\(.*", "", name)
    m = re.search(r"<\s*V?(\d+)(?:\.x)?\b", name)
    if m:
        return fw[:1] < [int(m.group(1))]
    m = re.search(r"\bversion (\d+)\b|\bV(\d+)\.x\b", name, re.I)
    if m:
        return fw[:1] == [int(m.group(1) or m.group(2))]
    return True


def sweep(csaf, regex, fw):
    """{advisory id: (True if a named affected product's range holds fw, [(product, range)])}"""
    out = {}
    for path in sorted(glob.glob(os.path.join(csaf, "*.json"))):
        with open(path, encoding="utf-8") as f:
            raw = f.read()
        if not regex.search(raw):
            continue
        doc = json.loads(raw)
        affected = set()
        for v in doc.get("vulnerabilities", []):
            for k in ("known_affected", "first_affected", "last_affected"):
                affected |= set(v.get("product_status", {}).get(k, []))
        found = []

        def walk(branch, ctx):
            for b in branch.get("branches", []):
                c = dict(ctx, **{b["category"]: b["name"]})
                p = b.get("product")
                if p and p.get("product_id") in affected:
                    h = p.get("product_identification_helper", {})
                    names = [c.get("product_name", ""), p.get("name", "")]
                    names += h.get("model_numbers", []) + h.get("skus", [])
                    if any(regex.search(x) for x in names):
                        rng = c.get("product_version_range", c.get("product_version", ""))
                        ok = holds(fw, rng) is True and name_holds(fw, c.get("product_name", ""))
                        found.append((ok, c.get("product_name", p.get("name")), rng))
                walk(b, c)

        walk(doc.get("product_tree", {}), {})
        if found:
            out[doc["document"]["tracking"]["id"]] = (any(x[0] for x in found), found)
    return out


# ---- the grade ----------------------------------------------------------------------------

def device(devices, ip):
    for d in devices:
        if d.get("type") == "device" and ip in d.get("ips", []):
            return d
    return None


def summary(dev):
    a = (dev or {}).get("advisories") or {}
    ident = a.get("identity") or {}
    matches = a.get("matches", [])
    cves = {c for m in matches for c in m.get("cves", [])}
    scores = [m["cvss_v3"] for m in matches if m.get("cvss_v3") is not None]
    return (ident, sorted(m["advisory"] for m in matches), a.get("count", 0), len(cves),
            max(scores) if scores else None)


def grade_row(row, dev, csaf):
    """Failures of one row, as text lines."""
    fails = []
    ident, ids, count, _, _ = summary(dev)
    got = set(ids)
    if count != len(ids):
        fails.append("%d advisories counted, %d listed" % (count, len(ids)))
    if got != row["expected"]:
        fails.append("reported %s, expected %s: extra %s, missing %s" % (
            len(got), len(row["expected"]), sorted(got - row["expected"]) or "-",
            sorted(row["expected"] - got) or "-"))
    for i in sorted(got & (row["excluded"] | row["missed"])):
        fails.append("%s reported, but advisories.tsv says it must not be" % i)
    fw = nums(ident.get("firmware") or "")
    if not fw:
        return fails + ["no firmware in the scanned identity"]
    found = sweep(csaf, row["product"], fw)
    holding = {i for i, (ok, _) in found.items() if ok}
    want = row["expected"] | row["missed"]
    for i in sorted(holding - want):
        fails.append("sweep: %s lists the product with a range holding %s: %s" % (
            i, ident.get("firmware"), [x[1:] for x in found[i][1] if x[0]]))
    for i in sorted(want - holding):
        fails.append("sweep: %s does not list the product with a range holding %s%s" % (
            i, ident.get("firmware"), ": %s" % [x[1:] for x in found[i][1]] if i in found else
            " (product not named)"))
    for i in sorted(row["excluded"]):
        if i not in found or i in holding:
            fails.append("sweep: excluded %s should list the product with no range holding %s"
                         % (i, ident.get("firmware")))
    return fails


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ssfscan", required=True)
    ap.add_argument("--shared", required=True)
    ap.add_argument("--work", default="/tmp/ssfscan-advisories-grade")
    ap.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    a = ap.parse_args()
    csaf = os.path.join(a.shared, "csaf", "ics")
    corpus = os.path.join(a.shared, "corpus")
    if not os.path.isdir(csaf) or not os.path.isdir(corpus):
        print("SKIP: %s or %s not found" % (csaf, corpus))
        return 77
    os.makedirs(a.work, exist_ok=True)
    failed = 0
    head = ("capture", "device", "vendor / model / firmware", "advisories", "CVEs", "max CVSS")
    if a.markdown:
        print("| %s |\n|%s" % (" | ".join(head), "---|" * len(head)))
    for row in load_rows():
        path = os.path.join(corpus, row["capture"])
        if not os.path.exists(path):
            print("SKIP: %s not found" % path)
            continue
        dev = device(scan(a.ssfscan, path, csaf, a.work), row["ip"])
        ident, ids, _, ncve, top = summary(dev)
        idn = " / ".join(str(ident.get(k) or "-") for k in ("vendor", "model", "firmware"))
        cells = (row["capture"], row["ip"], idn, ", ".join(ids) or "none", str(ncve),
                 "-" if top is None else "%.1f" % top)
        if a.markdown:
            print("| %s |" % " | ".join(cells))
        else:
            print("%s %s  %s\n  %d advisories, %s CVEs, max CVSS %s: %s" % (
                cells[0], cells[1], cells[2], len(ids), cells[4], cells[5], cells[3]))
        for msg in grade_row(row, dev, csaf):
            print("FAIL %s %s: %s" % (row["capture"], row["ip"], msg))
            failed += 1
    print("PASS" if not failed else "FAILED: %d" % failed, file=sys.stderr if a.markdown else
          sys.stdout)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
