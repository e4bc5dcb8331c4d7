# Fuzz smoke run: builds the libFuzzer harnesses of tests/fuzz/ (make fuzz-build),
# replays each one's committed seed corpus, which keeps every input that ever crashed
# it, and fuzzes each for FUZZ_SMOKE_SECONDS (3). Skips, saying why, where clang or its
# libFuzzer runtime is missing (make fuzz-deps installs both).
. "$(dirname "$0")/lib.sh"
cd "$ROOT" || exit 1
: "${FUZZ_SMOKE_SECONDS:=3}" "${FUZZ_BUILD:=build-fuzz}"
export FUZZ_BUILD

echo 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { return 0; }' >"$TMP/probe.c"
if ! command -v clang >/dev/null 2>&1; then
	echo "SKIP: clang is not installed (make fuzz-deps installs it)"
	finish; exit
fi
if ! clang -fsanitize=fuzzer,address,undefined "$TMP/probe.c" -o "$TMP/probe" >"$TMP/probe.log" 2>&1; then
	echo "SKIP: clang cannot link libFuzzer (make fuzz-deps installs libclang-rt-dev): $(head -c 300 "$TMP/probe.log")"
	finish; exit
fi

# Build through make, the way `make fuzz` does, into the same folder; not with the
# settings of a `make sanitize` or `make test` that may be running this script.
expect_exit 0 env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -j2 FUZZ_BUILD="$FUZZ_BUILD" fuzz-build
harnesses=$(cd tests/fuzz && ls fuzz_*.c | sed 's/^fuzz_//; s/\.c$//')
ok; [ -n "$harnesses" ] || fail "no harnesses in tests/fuzz"
for h in $harnesses; do
	ok; [ -d "tests/fuzz/corpus/$h" ] && [ -n "$(ls "tests/fuzz/corpus/$h")" ] || fail "harness $h has no seed corpus"
done

# Replay only, then a short fuzz; run.sh prints executions per harness.
expect_exit 0 tests/fuzz/run.sh 0 $harnesses
cat "$TMP/out"
expect_out "0 harnesses with findings"
expect_exit 0 tests/fuzz/run.sh "$FUZZ_SMOKE_SECONDS" $harnesses
cat "$TMP/out"
expect_out "0 harnesses with findings"
finish
