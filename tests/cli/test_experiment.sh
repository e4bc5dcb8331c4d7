# Experiment features end to end: run.precision and run.warmup = "auto" (bad keys exit
# 2 with FILE:LINE or --set KEY and leave nothing; results byte-identical for any -j and
# equal to a fixed run with the final count; the choices on stderr and in run.json),
# and simultaneous intervals with the best policy marked in the headline.
. "$(dirname "$0")/lib.sh"
mmc="$ROOT/scenarios/mmc.cfg"
out="$TMP/out-dir"

# A scenario whose run group is given on lines 2-4: run.precision on line 3.
bad() {
	printf 'name = "x";\nrun = { horizon = "20d"; warmup = %s;\n  replications = 3; %s\n};\n' "$1" "$2" >"$TMP/x.cfg"
	sed -n '/^cluster/,$p' "$mmc" >>"$TMP/x.cfg"
	expect_exit 2 "$FGSIM" run "$TMP/x.cfg" -o "$out" --quiet
	expect_err "$3"
	expect_absent "$out"
}
bad '"1d"' 'precision = { metrics = ["wait_p59"]; relative = 0.05; };' 'x.cfg:3: unknown metric "wait_p59" \(did you mean "wait_p50"\?\)'
bad '"1d"' 'precision = { metrics = ["wait_p95"]; relative = 0.05; max_replicatons = 9; };' 'x.cfg:3: unknown key "max_replicatons" \(did you mean "max_replications"\?\)'
bad '"1d"' 'precision = { metrics = ["wait_p95"]; relative = 1.5; };' 'x.cfg:3: relative must lie in \(0, 1\), got 1.5'
bad '"1d"' 'precision = { metrics = ["wait_p95"]; absolute = -2; };' 'x.cfg:3: absolute must be positive'
bad '"1d"' 'precision = { metrics = ["wait_p95"]; relative = 0.1; absolute = 5.0; };' 'x.cfg:3: precision needs exactly one target'
bad '"1d"' 'precision = { metrics = ["wait_p95"]; };' 'x.cfg:3: precision needs exactly one target'
bad '"1d"' 'precision = { metrics = []; relative = 0.1; };' 'x.cfg:3: metrics must be a non-empty list'
bad '"1d"' 'precision = { relative = 0.1; };' 'x.cfg:3: missing key "metrics"'
bad '"1d"' 'precision = { metrics = ["wait_p95"]; relative = 0.1; max_replications = 2; };' 'x.cfg:3: max_replications \(2\) is below run.replications \(3\)'
bad '"1d"' 'precision = { metrics = ["wait_p95"]; relative = 0.1; scope = "pool:gpx"; };' 'x.cfg:3: unknown scope "pool:gpx"'
bad '"1d"' 'precision = { metrics = ["cost"]; relative = 0.1; scope = "class:jobs"; };' 'x.cfg:3: metric "cost" is not reported for scope "class:jobs"'
bad '"1d"' 'precision = 5;' 'x.cfg:3: precision must be a group'
bad '"autom"' '' 'x.cfg:2: .*autom'
expect_exit 2 "$FGSIM" run "$mmc" -o "$out" --quiet --set 'run.precision={metrics=["wait_p95"];relative=2.0;}'
expect_err '^--set run.precision: relative must lie in \(0, 1\)'
expect_absent "$out"
expect_exit 2 "$FGSIM" run "$mmc" -o "$out" --quiet --set 'run.precision={metrics=["wait_p95"];relatve=0.1;}'
expect_err '^--set run.precision: unknown key "relatve"'
expect_absent "$out"

# Precision-driven: met, said on stderr and in run.json; same bytes on 1 and 2 threads
# and as a fixed run with the replications it ended with.
three='policies=["fcfs","sjf","priority"]'
prec='run.precision={metrics=["wait_mean","wait_p95"];relative=0.1;max_replications=60;}'
common="--set run.horizon=100d --set run.replications=4 --set output.plots=false"
expect_exit 0 "$FGSIM" run "$mmc" -o "$TMP/p1" $common --set "$three" --set "$prec" -j 1
expect_err '^precision: met after [0-9]+ replications'
expect_exit 0 "$FGSIM" run "$mmc" -o "$TMP/p2" $common --set "$three" --set "$prec" -j 2 --quiet
ok; [ -s "$TMP/err" ] && fail "--quiet still printed: $(head -c 200 "$TMP/err")"
n=$(python3 -c "import json; d=json.load(open('$TMP/p1/run.json')); p=d['precision']; assert p['met'] and p['replications'] == d['replications'] and p['worst_ratio'] <= 1, p; print(p['replications'])")
ok; [ -n "$n" ] && [ "$n" -gt 4 ] || fail "precision did not add replications (n=$n)"
expect_exit 0 "$FGSIM" run "$mmc" -o "$TMP/f" $common --set "$three" --set run.replications="$n" --quiet
for f in summary.csv replications.csv compare.csv; do
	expect_same "$TMP/p1/$f" "$TMP/p2/$f"
	expect_same "$TMP/p1/$f" "$TMP/f/$f"
done
# Given up at max_replications: said, and run.json says so.
expect_exit 0 "$FGSIM" run "$mmc" -o "$TMP/g" $common --quiet --set 'run.precision={metrics=["wait_p99"];absolute=1.0;max_replications=6;}'
expect_err '^precision: gave up at max_replications = 6: wait_p99 of fcfs'
expect_exit 0 python3 -c "import json; d=json.load(open('$TMP/g/run.json')); p=d['precision']; assert not p['met'] and p['replications'] == 6, p; assert any('gave up' in w for w in d['warnings']), d['warnings']"

# warmup = "auto": the choice on stderr and in run.json, and the run uses it (the same
# bytes as a run with that warm-up written out).
expect_exit 0 "$FGSIM" run "$mmc" -o "$TMP/w" $common --set run.warmup=auto --set run.horizon=20d
expect_err '^warm-up: [0-9.e+]+ s .* chosen by MSER-5 on the jobs in system of fcfs replication 0'
w=$(python3 -c "import json; w=json.load(open('$TMP/w/run.json'))['warmup']; assert w['auto'] and 0 <= w['seconds'] <= 10*86400, w; print(repr(w['seconds']))")
expect_exit 0 "$FGSIM" run "$mmc" -o "$TMP/w2" $common --set run.horizon=20d --set "run.warmup=${w}s" --quiet
expect_same "$TMP/w/summary.csv" "$TMP/w2/summary.csv"
expect_exit 0 "$FGSIM" plot "$TMP/w"
ok; grep -q "warm-up chosen by MSER-5 (s)</td><td>$w" "$TMP/w/report.html" || fail "report.html does not show the chosen warm-up $w"

# Three policies: the headline marks the best and its ties, the report lists them.
expect_exit 0 "$FGSIM" run "$mmc" -o "$TMP/h" $common --set "$three" --set output.plots=true
expect_out 'simultaneous 97.5% intervals \(Bonferroni\)'
expect_out '^sjf +[0-9.e+]+ \+- [0-9.e+]+\*'
ok; grep -q 'Best policy per key metric' "$TMP/h/report.html" || fail "report.html lacks the best-policy table"
ok; grep -q 'simultaneous 95% intervals (Bonferroni over the 2 comparisons' "$TMP/h/report.html" || fail "report.html does not say the comparison intervals are simultaneous"
finish
