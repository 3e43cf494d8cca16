#!/usr/bin/env bash
# Grades identity (vendor, model, firmware, device type) against ../shared/corpus/EXPECTED.tsv
# and asserts the evidence lines in tests/corpus/evidence_*.tsv; fails when a figure falls below
# the one recorded in tests/corpus/scores.tsv. Skipped (and says so) without the corpus.
#   it_grade.sh SSFSCAN SSFGEN WORK SHARED
here=$(cd "$(dirname "$0")" && pwd)
python3 "$here/../corpus/grade.py" --ssfscan "$1" --work "$3" --shared "$4"
rc=$?
[ "$rc" -eq 77 ] && exit 0
exit "$rc"
