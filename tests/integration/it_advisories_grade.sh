#!/usr/bin/env bash
# Advisories grade: every corpus ICS device with a model and firmware (tests/corpus/advisories.tsv)
# must match exactly its expected advisories from ../shared/csaf/ics, none of the excluded ones;
# and a check independent of signatures/csaf.c reads the CSAF files to confirm that each
# expected advisory lists the product with a range holding the firmware, that the excluded
# ones list it with none, and that no other advisory does (tests/corpus/ADVISORIES.md).
# Skipped (and says so) without the corpus or the CSAF set.
#   it_advisories_grade.sh SSFSCAN SSFGEN WORK SHARED
here=$(cd "$(dirname "$0")" && pwd)
python3 "$here/../corpus/advisories_grade.py" --ssfscan "$1" --work "$3" --shared "$4"
rc=$?
[ "$rc" -eq 77 ] && exit 0
exit "$rc"
