# valgrind memcheck: a short run of the demo scenario (two policies, two threads, every
# optional output) and the error paths of the loader leave no leak and no invalid access.
# Skips, saying why, where valgrind is missing or fgsim is an AddressSanitizer build
# (make sanitize), which valgrind cannot run.
. "$(dirname "$0")/lib.sh"
if ! command -v valgrind >/dev/null 2>&1; then
	echo "SKIP: valgrind is not installed (make deps installs it)"
	finish; exit
fi
if grep -qa __asan_init "$FGSIM"; then
	echo "SKIP: $FGSIM is an AddressSanitizer build; valgrind runs in make test"
	finish; exit
fi
vg() {
	valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
		--suppressions="$ROOT/tests/cli/valgrind.supp" "$@"
}
prom="$ROOT/scenarios/fastgpu-promo.cfg"

expect_exit 0 vg "$FGSIM" run "$prom" -o "$TMP/p" --quiet -j 2 --set run.replications=2 --set run.horizon=2d \
	--set run.warmup=6h --set 'promotions.[0].start="1d 2:00"' --set output.jobs=true --set output.timeseries_step=1h
expect_file "$TMP/p/jobs.csv"

# Error paths free what they took: a bad scenario file, bad --set values, a missing
# empirical file, an output folder that cannot be made.
for f in unknown-pool.cfg overlap.cfg empirical-malformed.cfg; do
	expect_exit 2 vg "$FGSIM" check "$ROOT/tests/cli/bad/$f"
done
expect_exit 2 vg "$FGSIM" run "$prom" -o "$TMP/x" --set 'workload.classes.[1].service=empirical(nope.csv)'
expect_err 'nope.csv: cannot open'
expect_exit 2 vg "$FGSIM" run "$prom" -o "$TMP/x" --set 'run.horizon=1 "a"'
# The message for an estimate over --max-memory reads only formatted figures.
expect_exit 2 vg "$FGSIM" run "$prom" -o "$TMP/x" --max-memory 1K
expect_exit 2 vg "$FGSIM" run "$prom" -o "$TMP/x" --max-memory 1M --set run.replications=10000
touch "$TMP/file"
expect_exit 2 vg "$FGSIM" run "$prom" -o "$TMP/file/x" --set run.replications=1
expect_absent "$TMP/x"
finish
