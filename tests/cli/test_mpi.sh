# bin/fgsim-mpi (make MPI=1): 2 ranks write the same bytes as -j 1, also with jobs.csv,
# timeseries.csv and a precision-driven replication count. Builds it when missing
# (make MPI=1 installs OpenMPI); skips, and passes, only where MPI cannot be installed.
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
mpi() { mpirun -n 2 --oversubscribe --allow-run-as-root "$MPIBIN" "$@"; }

set -- --set run.horizon=60d --set run.replications=3 --set 'policies=["fcfs","sjf","priority"]' \
	--set output.plots=false --set output.timeseries_step=1d --set output.jobs=true
expect_exit 0 "$FGSIM" run "$mmc" -o "$TMP/one" -j 1 --quiet "$@"
expect_exit 0 mpi run "$mmc" -o "$TMP/mpi" "$@"
expect_out "results in $TMP/mpi/"
for f in summary.csv replications.csv compare.csv timeseries.csv jobs.csv; do
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
# Bad input: exit 2 from every rank, the message once, nothing written.
expect_exit 2 mpi run "$mmc" -o "$TMP/bad" --set run.horizn=5d
expect_err '^--set run.horizn'
ok; [ "$(grep -c 'run.horizn' "$TMP/err")" = 1 ] || fail "the error was printed $(grep -c 'run.horizn' "$TMP/err") times"
expect_absent "$TMP/bad"
finish
