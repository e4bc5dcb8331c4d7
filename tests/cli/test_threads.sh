# Everything that runs on several threads at once, with the same results as one thread:
# replications at -j 2 and -j 4 with the progress line drawn (on a pty, so its thread
# reads the clocks the workers publish), a precision-driven run (tasks added while the
# line is drawn), run.warmup = "auto", per-task jobs.csv and timeseries.csv, sweeps and
# plan, policy plugins, a plugin's breach on one thread while others run, and SIGINT
# while workers poll the stop flag. `make tsan` runs this script on a ThreadSanitizer
# build with halt_on_error=1: a data race exits 66 and fails the check that ran it.
. "$(dirname "$0")/lib.sh"
set -f # the --set values below hold [ ], not file patterns
: "${BUILD:=build}"
case "$BUILD" in /*) ;; *) BUILD="$ROOT/$BUILD" ;; esac
mmc="$ROOT/scenarios/mmc.cfg"
nodes=cluster.pools.[0].nodes
# Long enough that the progress thread draws (every 250 ms) while replications run,
# even on the uninstrumented build.
reps="--set run.horizon=3000d --set run.replications=4 --set output.plots=false"

# No report from a sanitizer in FILE (a race that did not halt, e.g. in a child).
no_race() { ok; ! grep -aq 'ThreadSanitizer\|AddressSanitizer\|runtime error' "$1" || fail "$2: $(grep -a -m3 -A4 'Sanitizer' "$1")"; }
# on_tty WANT NAME ARGS...: fgsim ARGS with stderr (and stdout) on a pty, so the progress
# line is drawn; the session goes to $TMP/NAME.tty.
have_script=1
command -v script >/dev/null 2>&1 || have_script=0
on_tty() {
	want=$1 name=$2; shift 2
	if [ $have_script = 0 ]; then # no pty to draw on: the same run, without the line
		expect_exit "$want" "$FGSIM" "$@"
		cp "$TMP/err" "$TMP/$name.tty"
		return
	fi
	cmd="'$FGSIM'"
	for a; do cmd="$cmd '$a'"; done
	expect_exit "$want" script -qfec "$cmd" "$TMP/$name.tty"
	no_race "$TMP/$name.tty" "$name"
}
[ $have_script = 1 ] || echo "note: util-linux script(1) is missing, runs go without the progress line"

# 1. Replications: the same bytes at -j 1, 2 and 4, the line drawn at 2 and 4.
expect_exit 0 "$FGSIM" run "$mmc" -o "$TMP/j1" $reps --quiet
on_tty 0 j2 run "$mmc" -o "$TMP/j2" $reps -j 2
on_tty 0 j4 run "$mmc" -o "$TMP/j4" $reps -j 4
for j in j2 j4; do
	expect_same "$TMP/j1/summary.csv" "$TMP/$j/summary.csv"
	expect_same "$TMP/j1/replications.csv" "$TMP/$j/replications.csv"
done
if [ $have_script = 1 ]; then
	ok; tr '\r' '\n' <"$TMP/j4.tty" | grep -qE '^mmc: 4/4 replications, 100% overall' || fail "-j 4: no final progress line"
fi

# 2. Three policies, per-task jobs.csv and timeseries.csv parts merged in order.
many="--set run.horizon=300d --set run.replications=3 --set output.plots=false --set output.jobs=true
	--set output.timeseries_step=1d --set policies=[\"fcfs\",\"sjf\",\"priority\"]"
expect_exit 0 "$FGSIM" run "$mmc" -o "$TMP/m1" $many --quiet
on_tty 0 m4 run "$mmc" -o "$TMP/m4" $many -j 4
for f in summary.csv jobs.csv timeseries.csv; do expect_same "$TMP/m1/$f" "$TMP/m4/$f"; done

# 3. Precision-driven (rounds of tasks added while the line is drawn) and an automatic
# warm-up (chosen before the workers start): the same bytes on 1 and 3 threads.
prec="--set run.horizon=200d --set run.replications=4 --set output.plots=false
	--set run.precision={metrics=[\"wait_mean\"];relative=0.1;max_replications=40;}"
expect_exit 0 "$FGSIM" run "$mmc" -o "$TMP/p1" $prec --quiet
on_tty 0 p3 run "$mmc" -o "$TMP/p3" $prec -j 3
expect_same "$TMP/p1/summary.csv" "$TMP/p3/summary.csv"
warm="--set run.horizon=400d --set run.replications=4 --set output.plots=false --set run.warmup=\"auto\""
expect_exit 0 "$FGSIM" run "$mmc" -o "$TMP/w1" $warm --quiet
on_tty 0 w2 run "$mmc" -o "$TMP/w2" $warm -j 2
expect_same "$TMP/w1/summary.csv" "$TMP/w2/summary.csv"

# 4. A sweep and a plan on several threads, the line drawn.
sw="--set run.horizon=300d --set run.replications=3 --set output.plots=false"
expect_exit 0 "$FGSIM" sweep "$mmc" --vary "$nodes=5:7" -o "$TMP/s1" $sw --quiet
on_tty 0 s4 sweep "$mmc" --vary "$nodes=5:7" -o "$TMP/s4" $sw -j 4
expect_same "$TMP/s1/sweep.csv" "$TMP/s4/sweep.csv"
on_tty 0 plan plan "$mmc" --vary "$nodes=5:12" --target 'wait_mean<=30m' -o "$TMP/plan" $sw -j 2
expect_file "$TMP/plan/plan.csv"

# 5. Plugins: each worker loads its own instance; lottery draws from fgsim's streams, so
# the same bytes on 1 and 2 threads. A breach on one worker while the other runs: exit 1,
# the plugin named, nothing written.
lot="--set run.horizon=30d --set run.replications=4 --set output.plots=false
	--set policies=({name=\"lottery\";plugin=\"$ROOT/models/plugins/lottery.so\";params={tickets=2;};},{name=\"pfcfs\";plugin=\"$ROOT/models/plugins/fcfs.so\";})"
if [ -f "$ROOT/models/plugins/lottery.so" ] && [ -f "$BUILD/tests/plugins/misbehave.so" ]; then
	expect_exit 0 "$FGSIM" run "$mmc" -o "$TMP/l1" $lot --quiet
	on_tty 0 l2 run "$mmc" -o "$TMP/l2" $lot -j 2
	expect_same "$TMP/l1/summary.csv" "$TMP/l2/summary.csv"
	on_tty 1 breach run "$mmc" -o "$TMP/breach" --set run.horizon=30d --set run.replications=4 -j 2 \
		--set "policies=(\"fcfs\",{name=\"quits\";plugin=\"$BUILD/tests/plugins/misbehave.so\";params={mode=\"fail\";};})"
	ok; grep -aq 'policy "quits" (.*misbehave.so), replication [0-9]*, at t = ' "$TMP/breach.tty" ||
		fail "breach at -j 2 not reported: $(head -c 300 "$TMP/breach.tty")"
	expect_absent "$TMP/breach"
else
	echo "note: plugins not built (make plugins, and $BUILD/tests/plugins), their checks skipped"
fi

# 6. SIGINT while the workers (and, on a pty, the progress thread) run: exit 130,
# nothing written. The signal goes to the whole process: its handler may run on any
# thread, while the workers poll the flag it sets.
sig() { # NAME ARGS...: fgsim ARGS in the background, interrupted after its first second
	name=$1; shift
	if [ $have_script = 1 ]; then
		cmd="echo \$\$ >'$TMP/$name.pid'; exec '$FGSIM'"
		for a; do cmd="$cmd '$a'"; done
		script -qfec "$cmd" "$TMP/$name.err" >/dev/null &
	else
		sh -c 'echo $$ >"$0"; exec "$@"' "$TMP/$name.pid" "$FGSIM" "$@" >/dev/null 2>"$TMP/$name.err" &
	fi
	spid=$!
	i=0
	while [ $i -lt 50 ] && ! [ -s "$TMP/$name.pid" ]; do sleep 0.1; i=$((i + 1)); done
	sleep 1
	kill -INT "$(cat "$TMP/$name.pid")"
	wait $spid
	got=$?
	ok; [ "$got" = 130 ] || fail "$name: interrupted exit $got, wanted 130 (128 + SIGINT)"
	ok; grep -aq "stopped by signal 2" "$TMP/$name.err" || fail "$name: not stopped by SIGINT: $(head -c 300 "$TMP/$name.err")"
	no_race "$TMP/$name.err" "$name"
}
sig int-run run "$mmc" -o "$TMP/int" --set run.horizon=200000d --set run.replications=4 -j 2
expect_absent "$TMP/int"
sig int-sweep sweep "$mmc" --vary "$nodes=5:8" -o "$TMP/ints" --set run.horizon=200000d -j 2
expect_absent "$TMP/ints/sweep.csv"
finish
