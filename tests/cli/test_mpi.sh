# bin/fgsim-mpi (make MPI=1): 2 ranks write the same bytes as -j 1, also with jobs.csv,
# timeseries.csv and a precision-driven replication count, and for sweep (resumed too)
# and plan, where rank 0 alone writes. Builds it when missing (make MPI=1 installs
# OpenMPI); skips, and passes, only where MPI cannot be installed.
. "$(dirname "$0")/lib.sh"
mmc="$ROOT/scenarios/mmc.cfg"
MPIBIN=$(dirname "$FGSIM")/fgsim-mpi
if [ ! -x "$MPIBIN" ] || [ "$MPIBIN" -ot "$FGSIM" ]; then
	# the binary beside FGSIM: bin/ for `make test`, build-san/bin/ for `make sanitize`
	bindir=$(dirname "$FGSIM")
	case "$bindir" in
	*/build-san/bin) set -- BUILD=build-san BIN=build-san/bin CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer" ;;
	*) set -- ;;
	esac
	if ! make -C "$ROOT" -s MPI=1 "$@" "${bindir#"$ROOT"/}/fgsim-mpi" >"$TMP/build.log" 2>&1; then
		echo "SKIP: bin/fgsim-mpi cannot be built here (OpenMPI could not be installed):"
		tail -5 "$TMP/build.log"
		finish
		exit 0
	fi
fi
if ! command -v mpirun >/dev/null 2>&1; then
	echo "SKIP: mpirun is not installed (OpenMPI could not be installed)"
	finish
	exit 0
fi
# OpenMPI's own allocations are not ours to check under the sanitizer build.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
# Ranks that disagree wait on each other for ever: a time limit makes that a failure.
mpi() { timeout -k 5 120 mpirun -n 2 --oversubscribe --allow-run-as-root "$MPIBIN" "$@"; }

set -- --set run.horizon=60d --set run.replications=3 --set 'policies=["fcfs","sjf","priority"]' \
	--set output.plots=false --set output.timeseries_step=1d --set output.jobs=true
expect_exit 0 "$FGSIM" run "$mmc" -o "$TMP/one" -j 1 --quiet "$@"
expect_exit 0 mpi run "$mmc" -o "$TMP/mpi" "$@"
expect_out "results in $TMP/mpi/"
for f in summary.csv replications.csv compare.csv timeseries.csv jobs.csv wait_hist.csv; do
	expect_file "$TMP/mpi/$f"
	expect_same "$TMP/one/$f" "$TMP/mpi/$f"
done
# Precision batches and the automatic warm-up: the ranks take the same decisions.
set -- --set run.horizon=60d --set run.replications=3 --set 'policies=["fcfs","sjf"]' --set output.plots=false \
	--set run.warmup=auto --set 'run.precision={metrics=["wait_mean"];relative=0.1;max_replications=40;}'
expect_exit 0 "$FGSIM" run "$mmc" -o "$TMP/one-p" -j 1 --quiet "$@"
expect_exit 0 mpi run "$mmc" -o "$TMP/mpi-p" "$@"
expect_err '^precision: met after'
for f in summary.csv replications.csv compare.csv; do expect_same "$TMP/one-p/$f" "$TMP/mpi-p/$f"; done
# Sweep and plan: the same bytes as -j 1. Each rank runs in a folder of its own with a
# relative -o, as on machines that share no disk: rank 0 alone writes (points, sweep.csv,
# plots, run.json) and decides from what DIR holds which points a resumed sweep reuses;
# rank 1's folder stays empty.
mkdir -p "$TMP/rank0" "$TMP/rank1"
mpi_apart() {
	timeout -k 5 120 mpirun -n 2 --oversubscribe --allow-run-as-root sh -c 'cd "$0${OMPI_COMM_WORLD_RANK:-$PMIX_RANK}" && exec "$@"' \
		"$TMP/rank" "$MPIBIN" "$@"
}
set -- --vary 'cluster.pools.[0].nodes=5:7' --set run.replications=4 --set run.horizon=30d --quiet
expect_exit 0 "$FGSIM" sweep "$mmc" -o "$TMP/sw-one" -j 1 "$@"
expect_exit 0 mpi_apart sweep "$mmc" -o sw "$@"
expect_out '3 points: 3 run, 0 reused'
expect_file "$TMP/rank0/sw/plots/sweep_wait_p95.png"
ok; diff -r -x run.json "$TMP/sw-one" "$TMP/rank0/sw" >"$TMP/diff" || fail "MPI sweep differs from -j 1: $(head -c 300 "$TMP/diff")"
rm "$TMP/rank0/sw/sweep.csv" "$TMP/rank0/sw/points/$(ls "$TMP/rank0/sw/points" | head -1)"
expect_exit 0 mpi_apart sweep "$mmc" -o sw "$@"
expect_out '3 points: 1 run, 2 reused'
ok; diff -r -x run.json "$TMP/sw-one" "$TMP/rank0/sw" >"$TMP/diff" || fail "resumed MPI sweep differs from -j 1: $(head -c 300 "$TMP/diff")"
set -- --vary 'cluster.pools.[0].nodes=5:12' --target 'wait_mean<=1h' --set run.replications=4 --set run.horizon=60d --quiet
expect_exit 0 "$FGSIM" plan "$mmc" -o "$TMP/pl-one" -j 1 "$@"
mv "$TMP/out" "$TMP/pl-one.out"
expect_exit 0 mpi_apart plan "$mmc" -o pl "$@"
expect_same "$TMP/pl-one/plan.csv" "$TMP/rank0/pl/plan.csv"
ok; [ "$(head -1 "$TMP/out")" = "$(head -1 "$TMP/pl-one.out")" ] || fail "MPI plan said $(head -1 "$TMP/out"), -j 1 $(head -1 "$TMP/pl-one.out")"
ok; [ -z "$(ls -A "$TMP/rank1")" ] || fail "rank 1 wrote files: $(cd "$TMP/rank1" && find . | head -5)"

# Bad input: exit 2 from every rank, the message once, nothing written.
expect_exit 2 mpi run "$mmc" -o "$TMP/bad" --set run.horizn=5d
expect_err '^--set run.horizn'
ok; [ "$(grep -c 'run.horizn' "$TMP/err")" = 1 ] || fail "the error was printed $(grep -c 'run.horizn' "$TMP/err") times"
expect_absent "$TMP/bad"
finish
