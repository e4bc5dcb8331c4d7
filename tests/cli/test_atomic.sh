# A results folder changes as one unit (models/report/outdir.h): killed or interrupted at any
# step of writing, DIR holds entirely the old results or entirely the new ones, never a
# mix and never a stale file of an earlier run; a second command into the same folder
# is refused at once; a folder that is not fgsim's is never replaced; what killed runs
# leave beside DIR is removed by the next one.
. "$(dirname "$0")/lib.sh"
mmc="$ROOT/scenarios/mmc.cfg"
kp="$(cd "$(dirname "$FGSIM")/.." && pwd)/${BUILD:-build}/tests/fgsim-killpoints"
[ -x "$kp" ] || kp="$ROOT/${BUILD:-build}/tests/fgsim-killpoints"
small="--quiet --set run.horizon=30d --set run.replications=2"

# The folder's files, names and bytes (run.json and report.html, which hold wall-clock figures, by name only).
snapshot() { (cd "$1" && find . | sort && find . -type f ! -name run.json ! -name report.html | sort | xargs cat) >"$2"; }
# Nothing but DIR and its lock beside DIR (no staging or old folder left).
expect_tidy() {
	ok; left=$(ls -A "$(dirname "$1")" | grep -F ".$(basename "$1").fgsim-" | grep -v 'fgsim-lock$')
	[ -z "$left" ] || fail "left beside $1: $left"
}

# ---- what a run replaces, and what it refuses -------------------------------------
d="$TMP/res"
expect_exit 0 "$FGSIM" run "$mmc" -o "$d" $small --set output.jobs=true
expect_file "$d/jobs.csv"
expect_file "$d/.fgsim-results"
expect_tidy "$d"
# The next run did not ask for jobs.csv or plots: none of the earlier run's stay.
expect_exit 0 "$FGSIM" run "$mmc" -o "$d" $small --set output.plots=false
expect_absent "$d/jobs.csv"
expect_absent "$d/plots"
expect_absent "$d/report.html"
expect_file "$d/summary.csv"
expect_tidy "$d"

# A folder that is not fgsim's is never replaced; an empty one is.
mkdir "$TMP/mine" && echo precious >"$TMP/mine/notes.txt"
expect_exit 2 "$FGSIM" run "$mmc" -o "$TMP/mine" $small
expect_err "mine: not empty and not an fgsim results folder"
ok; [ "$(cat "$TMP/mine/notes.txt")" = precious ] && [ "$(ls -A "$TMP/mine")" = notes.txt ] || fail "a foreign folder was touched"
mkdir "$TMP/empty"
expect_exit 0 "$FGSIM" run "$mmc" -o "$TMP/empty" $small --set output.plots=false
expect_file "$TMP/empty/summary.csv"
# A file where DIR should be.
echo x >"$TMP/afile"
expect_exit 2 "$FGSIM" run "$mmc" -o "$TMP/afile" $small
expect_err "afile: not a folder"

# A second command into the same folder fails at once while the first holds the lock.
exec 9>"$TMP/.res.fgsim-lock"
flock 9
snapshot "$d" "$TMP/before"
start=$(date +%s)
expect_exit 2 "$FGSIM" run "$mmc" -o "$d" $small
expect_err "another fgsim command is writing this folder"
ok; [ $(($(date +%s) - start)) -le 2 ] || fail "the second run waited for the lock instead of failing at once"
expect_exit 2 "$FGSIM" plot "$d"
expect_err "another fgsim command is writing this folder"
exec 9>&-
snapshot "$d" "$TMP/after"
expect_same "$TMP/before" "$TMP/after"

# A lock planted as a symbolic link is not followed.
echo keep >"$TMP/target"
ln -s "$TMP/target" "$TMP/.linked.fgsim-lock"
expect_exit 2 "$FGSIM" run "$mmc" -o "$TMP/linked" $small
ok; [ "$(cat "$TMP/target")" = keep ] || fail "the lock's link was followed"
expect_absent "$TMP/linked"

# Leftovers of killed runs (staging and old folders of any PID) are removed by the next.
mkdir -p "$TMP/.res.fgsim-new.99999/plots" "$TMP/.res.fgsim-old.88888"
echo partial >"$TMP/.res.fgsim-new.99999/summary.csv"
expect_exit 0 "$FGSIM" run "$mmc" -o "$d" $small --set output.plots=false
expect_tidy "$d"
# ... and where a swap without RENAME_EXCHANGE was cut between its renames (DIR gone,
# the old folder aside), the old folder is put back before anything else happens.
snapshot "$d" "$TMP/before"
mv "$d" "$TMP/.res.fgsim-old.77777"
"$FGSIM" run "$mmc" -o "$d" --quiet --set run.horizon=400000d --set output.plots=false 2>"$TMP/int.err" &
pid=$!
i=0
while [ $i -lt 200 ] && ! ls -d "$TMP/.res.fgsim-new."* >/dev/null 2>&1; do sleep 0.05; i=$((i + 1)); done
kill -TERM $pid
wait $pid
got=$?
ok; [ "$got" = 143 ] || fail "SIGTERM: exit $got, wanted 143: $(cat "$TMP/int.err")"
snapshot "$d" "$TMP/after"
expect_same "$TMP/before" "$TMP/after"
expect_tidy "$d"

# `fgsim plot DIR` is a transaction too: the data files are carried (hard links), the
# plots and report redrawn; a redraw that fails leaves DIR as it was.
expect_exit 0 "$FGSIM" run "$mmc" -o "$TMP/p" $small --set output.jobs=true
ino=$(stat -c %i "$TMP/p/jobs.csv")
expect_exit 0 "$FGSIM" plot "$TMP/p"
ok; [ "$(stat -c %i "$TMP/p/jobs.csv")" = "$ino" ] || fail "fgsim plot copied jobs.csv instead of linking it"
expect_file "$TMP/p/report.html"
expect_tidy "$TMP/p"
snapshot "$TMP/p" "$TMP/before"
expect_exit 1 env PATH=/nonexistent "$FGSIM" plot "$TMP/p"
expect_err "gnuplot not found"
snapshot "$TMP/p" "$TMP/after"
expect_same "$TMP/before" "$TMP/after"

# A plot gnuplot fails to draw (here a gnuplot that reports a full disk) fails the run:
# exit 1, the plot named, the previous results as they were.
mkdir "$TMP/bin"
printf '#!/bin/sh\necho "gnuplot: cannot write: No space left on device" >&2\nexit 1\n' >"$TMP/bin/gnuplot"
chmod +x "$TMP/bin/gnuplot"
snapshot "$TMP/p" "$TMP/before"
expect_exit 1 env PATH="$TMP/bin:$PATH" "$FGSIM" run "$mmc" -o "$TMP/p" $small --seed 9
expect_err "plot wait_cdf: .*No space left on device"
expect_err "plots could not be drawn"
snapshot "$TMP/p" "$TMP/after"
expect_same "$TMP/before" "$TMP/after"
expect_tidy "$TMP/p"

# ---- what fgsim refuses to take for its own ---------------------------------------
# A marker that is a link, or not fgsim's text, does not make a folder fgsim's.
mkdir "$TMP/thesis" && echo chapter >"$TMP/thesis/ch1.tex"
ln -s /nonexistent "$TMP/thesis/.fgsim-results"
expect_exit 2 "$FGSIM" run "$mmc" -o "$TMP/thesis" $small
expect_err "not an fgsim results folder"
rm "$TMP/thesis/.fgsim-results" && echo "mine" >"$TMP/thesis/.fgsim-results"
expect_exit 2 "$FGSIM" run "$mmc" -o "$TMP/thesis" $small
ok; [ "$(cat "$TMP/thesis/ch1.tex")" = chapter ] || fail "a folder with a fake marker was replaced"
# fgsim plot redraws only fgsim's folders: one holding a sweep.csv and the user's own
# files is refused, never replaced.
mkdir -m 750 "$TMP/proj" && echo notes >"$TMP/proj/notes.txt"
printf 'x\n' >"$TMP/proj/sweep.csv"
expect_exit 2 "$FGSIM" plot "$TMP/proj"
expect_err "not an fgsim results folder"
ok; [ "$(stat -c %a "$TMP/proj")" = 750 ] && [ "$(cat "$TMP/proj/notes.txt")" = notes ] || fail "fgsim plot touched a foreign folder"
# The new folder keeps the old one's mode: private results stay private.
mkdir -m 700 "$TMP/private"
expect_exit 0 "$FGSIM" run "$mmc" -o "$TMP/private" $small --set output.plots=false
expect_exit 0 "$FGSIM" run "$mmc" -o "$TMP/private" $small --seed 4
ok; [ "$(stat -c %a "$TMP/private")" = 700 ] || fail "the results folder's mode became $(stat -c %a "$TMP/private")"
# A sweep's points folder that others may write in is not trusted.
expect_exit 0 "$FGSIM" sweep "$mmc" --vary 'cluster.pools.[0].nodes=5,6' -o "$TMP/sw" $small --set output.plots=false
mkdir -m 777 "$TMP/.sw.fgsim-points" && chmod 777 "$TMP/.sw.fgsim-points"
expect_exit 1 "$FGSIM" sweep "$mmc" --vary 'cluster.pools.[0].nodes=5,6' -o "$TMP/sw" $small --set output.plots=false
expect_err "fgsim-points: not a folder of this user's only"
ok; [ -z "$(ls -A "$TMP/.sw.fgsim-points")" ] || fail "fgsim wrote into a points folder it does not trust"
rmdir "$TMP/.sw.fgsim-points"
if [ "$(id -u)" = 0 ]; then
	# What another user left beside DIR is not removed (nor does it block the run).
	mkdir "$TMP/.sw.fgsim-new.4242" && chown nobody "$TMP/.sw.fgsim-new.4242"
	expect_exit 0 "$FGSIM" sweep "$mmc" --vary 'cluster.pools.[0].nodes=5,6' -o "$TMP/sw" $small --set output.plots=false
	expect_file "$TMP/sw/sweep.csv"
	ok; [ -d "$TMP/.sw.fgsim-new.4242" ] || fail "another user's folder beside DIR was removed"
fi

# ---- killed at every step of writing ----------------------------------------------
# fgsim-killpoints kills itself (SIGKILL) at the Nth completed file, rename or step of
# the swap. After each death DIR must be entirely old or entirely new; the next run
# must clean up whatever the dead one left.
if [ ! -x "$kp" ]; then
	echo "SKIP: $kp not built: no kill tests"
else
	k="$TMP/k"
	# old: seed 1; new: seed 2, written once undisturbed for reference.
	for plots in false true; do
		args="run $mmc $small --set output.plots=$plots --set output.jobs=true"
		rm -rf "$k" "$TMP/knew"
		"$kp" $args -o "$TMP/knew" --seed 2 >/dev/null 2>&1
		snapshot "$TMP/knew" "$TMP/new"
		"$kp" $args -o "$k" --seed 1 >/dev/null 2>&1
		snapshot "$k" "$TMP/old"
		n=1; step=1; [ $plots = true ] && step=3; old=0; new=0
		while [ $n -lt 400 ]; do
			FGSIM_KILL_AT=$n "$kp" $args -o "$k" --seed 2 >/dev/null 2>"$TMP/kerr"
			got=$?
			snapshot "$k" "$TMP/now"
			if cmp -s "$TMP/now" "$TMP/old"; then old=$((old + 1))
			elif cmp -s "$TMP/now" "$TMP/new"; then new=$((new + 1))
			else fail "killed at point $n (plots $plots, exit $got): $k is neither the old nor the new results: $(diff "$TMP/old" "$TMP/now" | head -5)"; fi
			[ $got = 0 ] && break
			ok; [ $got = 137 ] || fail "kill point $n: exit $got, wanted 137 (SIGKILL): $(head -c 300 "$TMP/kerr")"
			# back to the old results for the next point
			"$kp" $args -o "$k" --seed 1 >/dev/null 2>&1
			n=$((n + step))
		done
		echo "plots $plots: $n kill points tried, $old left the old results, $new the new"
		ok; [ $old -ge 5 ] && [ $new -ge 1 ] || fail "kill points not reached (old $old, new $new): is fgsim-killpoints built with them?"
		expect_tidy "$k"
	done

	# SIGINT and SIGTERM at every step: exit 128 + signal, the old results intact, no
	# leftovers, no gnuplot left running.
	args="run $mmc $small --set output.plots=true"
	"$kp" $args -o "$k" --seed 1 >/dev/null 2>&1
	snapshot "$k" "$TMP/old"
	n=1
	while [ $n -lt 400 ]; do
		sig=2; [ $((n % 2)) = 0 ] && sig=15
		FGSIM_KILL_AT=$n FGSIM_KILL_SIGNAL=$sig "$kp" $args -o "$k" --seed 2 >/dev/null 2>"$TMP/kerr"
		got=$?
		[ $got = 0 ] && break
		ok; [ $got = $((128 + sig)) ] || fail "signal $sig at point $n: exit $got, wanted $((128 + sig)): $(head -c 300 "$TMP/kerr")"
		snapshot "$k" "$TMP/now"
		expect_same "$TMP/old" "$TMP/now"
		expect_tidy "$k"
		n=$((n + 2))
	done
	ok; pgrep -f "gnuplot -e out=" >/dev/null && fail "a gnuplot of an interrupted run is still running: $(pgrep -af 'gnuplot -e out=')"
	echo "signals: $n points tried"

	# fgsim plot and fgsim sweep, killed at every few steps: the same rule. A redraw
	# of the same files gives the same plots, so after any kill DIR is as it was.
	"$kp" run "$mmc" $small -o "$k" --seed 3 >/dev/null 2>&1
	snapshot "$k" "$TMP/old"
	n=1
	while [ $n -lt 400 ]; do
		FGSIM_KILL_AT=$n "$kp" plot "$k" >/dev/null 2>&1
		got=$?
		snapshot "$k" "$TMP/now"
		expect_same "$TMP/old" "$TMP/now"
		[ $got = 0 ] && break
		n=$((n + 3))
	done
	expect_tidy "$k"
	echo "plot: $n kill points tried"
	sweep="sweep $mmc --vary cluster.pools.[0].nodes=5,6 $small --set output.plots=false"
	"$kp" $sweep -o "$TMP/swref" --seed 2 >/dev/null 2>&1
	rm -rf "$k" "$TMP/.k.fgsim-points"
	"$kp" $sweep -o "$k" --seed 1 >/dev/null 2>&1
	snapshot "$k" "$TMP/old"
	n=1
	while [ $n -lt 400 ]; do
		FGSIM_KILL_AT=$n "$kp" $sweep -o "$k" --seed 2 >/dev/null 2>&1
		got=$?
		if ! cmp -s "$k/sweep.csv" "$TMP/swref/sweep.csv"; then
			snapshot "$k" "$TMP/now"
			expect_same "$TMP/old" "$TMP/now"
		fi
		[ $got = 0 ] && break
		n=$((n + 1))
	done
	expect_same "$TMP/swref/sweep.csv" "$k/sweep.csv"
	expect_tidy "$k"
	echo "sweep: $n kill points tried (the points saved before each kill reused by the next)"

	# A folder created at DIR while fgsim runs is never swallowed: fgsim stops itself
	# (SIGSTOP) at its first kill point, right after staging began; the folder appears;
	# fgsim goes on and must refuse to swap.
	rm -rf "$TMP/late"
	FGSIM_KILL_AT=1 FGSIM_KILL_SIGNAL=19 "$kp" run "$mmc" $small -o "$TMP/late" >/dev/null 2>"$TMP/late.err" &
	pid=$!
	i=0
	while [ $i -lt 100 ] && [ "$(ps -o stat= -p $pid 2>/dev/null | cut -c1)" != T ]; do sleep 0.05; i=$((i + 1)); done
	mkdir "$TMP/late" && echo draft >"$TMP/late/chapter1.tex"
	kill -CONT $pid
	wait $pid
	got=$?
	ok; [ "$got" = 1 ] || fail "a folder that appeared at DIR: exit $got, wanted 1: $(cat "$TMP/late.err")"
	ok; grep -q "appeared or was replaced while fgsim ran" "$TMP/late.err" || fail "no message: $(cat "$TMP/late.err")"
	ok; [ "$(ls -A "$TMP/late")" = chapter1.tex ] && [ "$(cat "$TMP/late/chapter1.tex")" = draft ] || fail "the folder that appeared was touched"
	expect_tidy "$TMP/late"
fi
finish
