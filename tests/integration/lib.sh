# Shared by the integration tests: arguments, a scratch dir, and assertions that say what
# they expected. Each it_*.sh is called as: it_X.sh SSFSCAN SSFGEN WORKDIR SHARED_DIR
set -uo pipefail
SSFSCAN=$1
SSFGEN=$2
WORK=$3
SHARED=$4
rm -rf "$WORK"
mkdir -p "$WORK"
FAILS=0
PASSES=0

fail() { echo "FAIL: $*" >&2; FAILS=$((FAILS + 1)); }
pass() { PASSES=$((PASSES + 1)); }

# expect_exit CODE DESCRIPTION -- CMD...: runs CMD, keeps stdout/stderr in $OUT/$ERR.
expect_exit() {
  local want=$1 what=$2
  shift 3
  OUT=$WORK/last.out ERR=$WORK/last.err
  "$@" >"$OUT" 2>"$ERR"
  local got=$?
  if [ "$got" -ne "$want" ]; then
    fail "$what: exit $got, expected $want: $*"
    sed 's/^/    stderr: /' "$ERR" | head -20 >&2
  else
    pass
  fi
}

# expect_grep FILE PATTERN DESCRIPTION
expect_grep() {
  if grep -qE -- "$2" "$1"; then pass; else fail "$3: /$2/ not in $(basename "$1")"; sed 's/^/    /' "$1" | head -20 >&2; fi
}
expect_no_grep() {
  if grep -qE -- "$2" "$1"; then fail "$3: /$2/ found in $(basename "$1")"; grep -E -- "$2" "$1" | head -5 >&2; else pass; fi
}

# A sanitizer report or a crash is never acceptable, whatever the exit code.
expect_clean_stderr() {
  expect_no_grep "$ERR" "AddressSanitizer|LeakSanitizer|runtime error:|Segmentation|core dumped" "$1"
}

finish() {
  echo "$PASSES passed, $FAILS failed"
  [ "$FAILS" -eq 0 ]
}

gen_captures() {
  "$SSFGEN" "$WORK/cap" >/dev/null || { echo "FAIL: ssfgen could not write captures" >&2; exit 1; }
}
