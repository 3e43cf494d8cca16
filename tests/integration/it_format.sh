#!/usr/bin/env bash
# Every C source and header follows the repo's .clang-format. Skipped when clang-format is not
# installed (scripts/setup installs it; it is not needed to build).
source "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/../.." || exit 1
if ! command -v clang-format >/dev/null; then echo "SKIP: clang-format not installed"; exit 0; fi
mapfile -t files < <(git ls-files '*.c' '*.h' 2>/dev/null || find . -name '*.[ch]' -not -path './build*')
if clang-format --dry-run --Werror "${files[@]}" 2>"$WORK/fmt.err"; then pass; else
  fail "not formatted (run: clang-format -i \$(git ls-files '*.c' '*.h'))"; grep -m10 "warning:" "$WORK/fmt.err" >&2; fi
finish
