# Inputs that outlive their load are checked again when they are read again: a sweep's
# saved point that no longer matches its checksum runs again (and sweep.csv is never
# assembled from one), and a file with an endless line fails at the line limit, at once.
. "$(dirname "$0")/lib.sh"
mmc="$ROOT/scenarios/mmc.cfg"
small="--quiet --set run.horizon=100d --set run.replications=3 --set output.plots=false"
nodes=cluster.pools.[0].nodes

# ---- sweep points -------------------------------------------------------------------
expect_exit 0 "$FGSIM" sweep "$mmc" --vary "$nodes=5:7" -o "$TMP/whole" $small
# Each point file ends with its row count and hash; sweep.csv has every point's rows.
for p in "$TMP/whole/points/"*.csv; do
	ok; tail -1 "$p" | grep -qE '^# end: [0-9]+ rows, fnv1a [0-9a-f]{16}$' || fail "$p: no checksum line: $(tail -1 "$p")"
done
rows=$(($(wc -l <"$TMP/whole/sweep.csv") - 1))
ok; [ $rows -gt 30 ] && [ $((rows % 3)) = 0 ] || fail "sweep.csv has $rows rows"

# damage POINT HOW: the copy's point file, cut short, a row gone, a byte changed, garbage
damage() {
	rm -rf "$TMP/cut"
	cp -r "$TMP/whole" "$TMP/cut"
	rm "$TMP/cut/sweep.csv"
	f=$(ls "$TMP/cut/points/"*.csv | sed -n 2p)
	case $2 in
	truncate) head -c $(($(wc -c <"$f") / 2)) "$f" >"$f.tmp" ;;
	row) sed '5d' "$f" >"$f.tmp" ;;
	edit) sed '5s/,[0-9]/,9/' "$f" >"$f.tmp" ;;
	nocheck) sed '$d' "$f" >"$f.tmp" ;;
	garbage) head -c 3000 /dev/urandom >"$f.tmp" ;;
	esac
	mv "$f.tmp" "$f"
	damaged=$f
}
for how in truncate row edit nocheck garbage; do
	damage 2 $how
	expect_exit 0 "$FGSIM" sweep "$mmc" --vary "$nodes=5:7" -o "$TMP/cut" $small
	# The points of DIR wait beside it (linked) while the sweep runs: named there.
	expect_err "^$TMP/\.cut\.fgsim-points/points/$(basename "$damaged"): not reused, the point runs again: "
	expect_out "3 points: 1 run, 2 reused"
	expect_same "$TMP/whole/sweep.csv" "$TMP/cut/sweep.csv"
	expect_same "$TMP/whole/points/$(basename "$damaged")" "$damaged"
done

# (A point damaged after its check, when sweep.csv is assembled, fails the sweep naming
# it: tests/test_sweep.c.)

# ---- traces and node lists ----------------------------------------------------------
# An endless line stops at the line limit, promptly, as FILE:LINE, exit 2: /dev/zero as
# the trace and as the node list (before: read for ever, the limit applied at the line's end).
ali="$ROOT/scenarios/trace-alibaba.cfg"
for cmd in check run; do
	start=$(date +%s)
	out=""
	[ $cmd = run ] && out="-o $TMP/zero"
	expect_exit 2 timeout 10 "$FGSIM" $cmd "$ali" --set 'workload.arrivals.file="/dev/zero"' $out
	expect_err "^/dev/zero:1: line longer than 65536 bytes"
	expect_exit 2 timeout 10 "$FGSIM" $cmd "$ali" --set 'cluster.nodes_file="/dev/zero"' $out
	expect_err "^/dev/zero:1: line longer than 65536 bytes"
	ok; [ $(($(date +%s) - start)) -le 5 ] || fail "$cmd: /dev/zero took $(($(date +%s) - start)) s"
done
expect_absent "$TMP/zero"
# a 1 GB line (sparse, no disk) in the middle of a trace: its line, at once
printf 'submit,class,tenant,gpus,duration\n0,a,,1,20\n' >"$TMP/long.csv"
truncate -s 1G "$TMP/long.csv"
cat >"$TMP/long.cfg" <<EOF
run = { horizon = "1d"; warmup = "0s"; replications = 1; seed = 1; };
cluster = { pools = ( { name = "p"; nodes = 8; gpus_per_node = 8; } ); };
workload = { arrivals = { process = "trace"; file = "long.csv"; on_bad = "skip"; }; };
policies = ( "fcfs" );
EOF
expect_exit 2 timeout 10 "$FGSIM" check "$TMP/long.cfg"
expect_err "^$TMP/long.csv:3: line longer than 65536 bytes"
rm -f "$TMP/long.csv"

# A trace edited while the run replays it: the run stops at the next replication's check
# with the file named, exit 1, and writes nothing (before: the later replications read
# the edited rows, or a trace cut short ended as "out of memory").
gen() { awk 'BEGIN { print "submit,class,tenant,gpus,duration"; for (i = 0; i < 100000; i++) print i ",a,,1,20" }'; }
cat >"$TMP/t.cfg" <<EOF
run = { horizon = "2d"; warmup = "0s"; replications = 10000; seed = 1; };
cluster = { pools = ( { name = "p"; nodes = 8; gpus_per_node = 8; } ); };
workload = { arrivals = { process = "trace"; file = "t.csv"; }; };
policies = ( "fcfs" );
output = { plots = false; };
EOF
for how in edit cut; do
	gen >"$TMP/t.csv"
	"$FGSIM" run "$TMP/t.cfg" -o "$TMP/t-out" -j 1 --quiet >"$TMP/out" 2>"$TMP/err" &
	pid=$!
	sleep 1.5
	if [ $how = edit ]; then
		printf '1' | dd of="$TMP/t.csv" bs=1 seek=1000 conv=notrunc 2>/dev/null
	else
		truncate -s 500000 "$TMP/t.csv"
	fi
	wait $pid
	rc=$?
	ok; [ $rc = 1 ] || fail "$how: exit $rc, wanted 1: $(head -c 300 "$TMP/err")"
	expect_err "^fgsim run: $TMP/t.csv: changed since it was loaded \(.*\); rerun"
	ok; ! grep -q "out of memory" "$TMP/err" || fail "$how: out of memory: $(cat "$TMP/err")"
	expect_absent "$TMP/t-out"
done
# (each way a trace can change, in place with its mtime put back, cut, grown, replaced,
# during a pass or between passes: tests/test_trace.c)

# The other readers of a user's text file stop at the limit too: an empirical
# distribution's file, and the CSVs `fgsim plot` reads back (summary.csv, sweep.csv).
cat >"$TMP/emp.cfg" <<EOF
run = { horizon = "1d"; warmup = "0s"; replications = 1; seed = 1; };
cluster = { pools = ( { name = "p"; nodes = 8; gpus_per_node = 8; } ); };
workload = { arrivals = { process = "poisson"; rate = "4/h"; };
             classes = ( { name = "a"; service = "empirical(/dev/zero)"; } ); };
policies = ( "fcfs" );
EOF
expect_exit 2 timeout 10 "$FGSIM" check "$TMP/emp.cfg"
expect_err "/dev/zero:1: line longer than 65536 bytes"
cp -r "$TMP/whole" "$TMP/zsweep"
ln -sf /dev/zero "$TMP/zsweep/sweep.csv"
expect_exit 2 timeout 10 "$FGSIM" plot "$TMP/zsweep"
expect_err "^$TMP/zsweep/sweep.csv:1: line longer than 65536 bytes"
expect_exit 0 "$FGSIM" run "$mmc" -o "$TMP/run" $small
ln -sf /dev/zero "$TMP/run/summary.csv"
expect_exit 2 timeout 10 "$FGSIM" plot "$TMP/run"
expect_err "^$TMP/run/summary.csv:1: line longer than 65536 bytes"

finish
