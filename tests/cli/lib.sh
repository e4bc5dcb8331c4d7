# lib.sh - assertions for the command-line tests (sourced). Each failure prints the
# test's name and what differed; `finish` exits non-zero if anything failed.
: "${FGSIM:=bin/fgsim}"
FGSIM=$(cd "$(dirname "$FGSIM")" && pwd)/$(basename "$FGSIM")
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
TMP=$(mktemp -d /tmp/fgsim-cli.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
failures=0
checks=0

fail() { failures=$((failures + 1)); echo "FAIL: $*"; }
ok() { checks=$((checks + 1)); }

# expect_exit CODE CMD... : runs CMD, keeps stdout in $TMP/out and stderr in $TMP/err
expect_exit() {
	want=$1; shift
	"$@" >"$TMP/out" 2>"$TMP/err"; got=$?
	ok; [ "$got" = "$want" ] || fail "exit $got, wanted $want: $*  (stderr: $(head -c 300 "$TMP/err"))"
}
# expect_err REGEX : stderr of the last command matches (grep -E)
expect_err() { ok; grep -qE -- "$1" "$TMP/err" || fail "stderr does not match /$1/: $(head -c 300 "$TMP/err")"; }
expect_out() { ok; grep -qE -- "$1" "$TMP/out" || fail "stdout does not match /$1/: $(head -c 300 "$TMP/out")"; }
expect_absent() { ok; [ ! -e "$1" ] || fail "$1 exists but should not"; }
expect_file() { ok; [ -s "$1" ] || fail "$1 is missing or empty"; }
expect_same() { ok; cmp -s "$1" "$2" || fail "$1 and $2 differ"; }
finish() { echo "$(basename "$0"): $checks checks, $failures failed"; [ "$failures" = 0 ]; }
