# fgsim sweep end to end: sweep.csv's shape and point order, each point equal to a plain
# `fgsim run` at the same settings, the same bytes for any -j, a sweep stopped by SIGINT
# that resumes to the same bytes, stale points not reused, plots, and input errors.
. "$(dirname "$0")/lib.sh"
mmc="$ROOT/scenarios/mmc.cfg"
small="--quiet --set run.horizon=200d --set run.replications=4"
nodes=cluster.pools.[0].nodes
nodes_re="cluster\\.pools\\.\\[0\\]\\.nodes"
rate=workload.arrivals.rate

# Two keys: a range and a list of quoted strings; the first --vary varies slowest.
expect_exit 0 "$FGSIM" sweep "$mmc" --vary "$nodes=5:7" --vary "$rate=\"4/h\",\"4.5/h\"" -o "$TMP/a" $small
expect_out "results in $TMP/a/"
for f in sweep.csv run.json; do expect_file "$TMP/a/$f"; done
ok; [ "$(head -1 "$TMP/a/sweep.csv")" = "$nodes,$rate,policy,scope,metric,mean,half_width,n" ] || fail "sweep.csv header: $(head -1 "$TMP/a/sweep.csv")"
ok; order=$(grep ',fcfs,all,wait_mean,' "$TMP/a/sweep.csv" | cut -d, -f1,2 | tr '\n' ' ')
[ "$order" = "5,4/h 5,4.5/h 6,4/h 6,4.5/h 7,4/h 7,4.5/h " ] || fail "point order: $order"
expect_exit 0 python3 -c "import json; d=json.load(open('$TMP/a/run.json')); assert d['points'] == 6 and d['vary'][0]['values'] == ['5','6','7'], d"

# A point's rows are exactly summary.csv of `fgsim run` at its settings.
expect_exit 0 "$FGSIM" run "$mmc" --set "$nodes=6" --set "$rate=\"4.5/h\"" -o "$TMP/run6" $small --set output.plots=false
grep '^6,4.5/h,' "$TMP/a/sweep.csv" | cut -d, -f3- >"$TMP/point6"
tail -n +2 "$TMP/run6/summary.csv" >"$TMP/summary6"
expect_same "$TMP/point6" "$TMP/summary6"
# more nodes, shorter waits: the curve has the direction queueing theory says
w5=$(grep '^5,4.5/h,fcfs,all,wait_mean,' "$TMP/a/sweep.csv" | cut -d, -f6)
w7=$(grep '^7,4.5/h,fcfs,all,wait_mean,' "$TMP/a/sweep.csv" | cut -d, -f6)
ok; python3 -c "import sys; sys.exit(not ($w7 < $w5))" || fail "wait_mean at 7 nodes ($w7) not below 5 nodes ($w5)"

# Same bytes for any -j.
expect_exit 0 "$FGSIM" sweep "$mmc" --vary "$nodes=5:7" --vary "$rate=\"4/h\",\"4.5/h\"" -o "$TMP/b" $small -j 2
expect_same "$TMP/a/sweep.csv" "$TMP/b/sweep.csv"

# Decimal ranges take a step and print without binary noise.
expect_exit 0 "$FGSIM" sweep "$mmc" --vary run.confidence=0.8:0.9:0.05 -o "$TMP/dec" $small --set output.plots=false
ok; [ "$(grep ',fcfs,all,wait_mean,' "$TMP/dec/sweep.csv" | cut -d, -f1 | tr '\n' ' ')" = "0.8 0.85 0.9 " ] || fail "decimal range values"

# Plots: valid PNG and SVG per default metric; `fgsim plot DIR` redraws them.
files=""
for m in wait_p95 utilization profit abandon_rate; do
	for e in png svg gp dat; do expect_file "$TMP/a/plots/sweep_$m.$e"; done
	files="$files $TMP/a/plots/sweep_$m.png $TMP/a/plots/sweep_$m.svg"
done
ok; python3 "$ROOT/tests/cli/imgcheck.py" $files >"$TMP/img" || fail "bad images: $(cat "$TMP/img")"
ok; grep -q "set ylabel 'p95 wait (h" "$TMP/a/plots/sweep_wait_p95.gp" || fail "wait_p95 axis label"
# the x axis named from the scenario (the pool's name), not the raw key
ok; grep -q "set xlabel 'nodes in pool gpu'" "$TMP/a/plots/sweep_wait_p95.gp" || fail "x label: $(grep xlabel "$TMP/a/plots/sweep_wait_p95.gp")"
# the lines named by the second key in the same words, not "fcfs, workload.arrivals.rate=4/h"
for g in "$TMP/a/plots/"sweep_*.gp; do
	raw=$(grep -o "title '[^']*'" "$g" | grep -E "$rate|=" | head -1)
	ok; [ -z "$raw" ] || fail "$g: raw key in a title: $raw"
done
ok; grep -q "title 'fcfs, arrival rate 4.5/h'" "$TMP/a/plots/sweep_wait_p95.gp" ||
	fail "key: $(grep -o "title '[^']*'" "$TMP/a/plots/sweep_wait_p95.gp" | head -3)"
ok; grep -q "^# fcfs, arrival rate 4/h:" "$TMP/a/plots/sweep_wait_p95.dat" || fail "dat block comment"
rm -f "$TMP/a/plots/"*.png "$TMP/a/plots/"*.svg
expect_exit 0 "$FGSIM" plot "$TMP/a"
expect_file "$TMP/a/plots/sweep_profit.png"
expect_exit 0 "$FGSIM" sweep "$mmc" --vary "$nodes=5,6" -o "$TMP/m" $small --metrics wait_mean,p_wait --scope class:jobs
expect_file "$TMP/m/plots/sweep_p_wait.png"
expect_absent "$TMP/m/plots/sweep_profit.png"

# Three policies: sweep_compare.csv holds each policy's paired difference from the first at
# every point, equal to `fgsim run`'s compare.csv at the point's settings and to the mean
# of the per-replication differences kept in points/; the plots of the differences and a
# report.html that parses, with no text outside its elements, and that `fgsim plot` redraws.
three="--set policies=(\"fcfs\",\"sjf\",\"easy-backfill\")"
expect_exit 0 "$FGSIM" sweep "$mmc" --vary "$nodes=5:7" $three -o "$TMP/p3" $small
expect_out "report: $TMP/p3/report.html"
expect_file "$TMP/p3/sweep_compare.csv"
ok; [ "$(head -1 "$TMP/p3/sweep_compare.csv")" = "$nodes,policy,scope,metric,diff_mean,half_width,n" ] ||
	fail "sweep_compare.csv header: $(head -1 "$TMP/p3/sweep_compare.csv")"
# rows: per point, the 2 other policies times the rows one policy has in sweep.csv
per=$(grep -c '^5,fcfs,' "$TMP/p3/sweep.csv")
ok; [ "$(tail -n +2 "$TMP/p3/sweep_compare.csv" | wc -l)" = $((3 * 2 * per)) ] || fail "sweep_compare.csv rows"
ok; [ -z "$(cut -d, -f2 "$TMP/p3/sweep_compare.csv" | grep -x fcfs)" ] || fail "the baseline compared with itself"
expect_exit 0 "$FGSIM" run "$mmc" --set "$nodes=6" $three -o "$TMP/run6p3" $small --set output.plots=false
grep '^6,' "$TMP/p3/sweep_compare.csv" | cut -d, -f2- >"$TMP/cmp6"
tail -n +2 "$TMP/run6p3/compare.csv" >"$TMP/run6cmp"
expect_same "$TMP/cmp6" "$TMP/run6cmp"
ok; python3 - "$TMP/p3" <<'PY' || fail "sweep_compare.csv is not the paired means of points/"
import csv, glob, json, sys
d = sys.argv[1]
run = json.load(open(d + "/run.json"))
reps = {}
for i, pid in enumerate(run["point_ids"]):
    rows = [l for l in open("%s/points/%s.replications.csv" % (d, pid)) if not l.startswith("#")]
    for r in csv.DictReader(rows):
        reps[(run["vary"][0]["values"][i], r["policy"], r["scope"], r["metric"], r["replication"])] = r["value"]
n = 0
for r in csv.DictReader(open(d + "/sweep_compare.csv")):
    x = r["cluster.pools.[0].nodes"]
    diffs = []
    for k in range(4):
        a, b = (reps[(x, p, r["scope"], r["metric"], str(k))] for p in (r["policy"], "fcfs"))
        if a and b:
            diffs.append(float(a) - float(b))
    if not diffs:
        assert r["diff_mean"] == "", r
        continue
    want = sum(diffs) / len(diffs)
    assert abs(float(r["diff_mean"]) - want) <= 1e-9 * max(1, abs(want)), (r, want)
    assert int(r["n"]) == len(diffs), r
    n += 1
assert n > 100, n
PY
for m in wait_p95 utilization profit abandon_rate; do
	for e in png svg gp dat; do expect_file "$TMP/p3/plots/sweep_compare_$m.$e"; done
done
ok; grep -q "set xzeroaxis" "$TMP/p3/plots/sweep_compare_wait_p95.gp" || fail "no zero line in the difference plot"
ok; grep -q "set ylabel 'p95 wait minus fcfs (" "$TMP/p3/plots/sweep_compare_wait_p95.gp" || fail "difference y label"
# titles short enough for 1000 px, tic labels in numfmt's style (no exponents), the key
# below the plot, and each policy's points offset from the others'
for g in "$TMP/p3/plots/"sweep_*.gp; do
	t=$(sed -n "s/^set title '\(.*\)'\$/\1/p" "$g")
	ok; [ -n "$t" ] && [ ${#t} -le 60 ] || fail "$g: title of ${#t} characters: $t"
	ok; ! grep -E '^set [xy]tics' "$g" | grep -qE '"[^"]*[0-9]e[+-]?[0-9]' || fail "$g: exponent in a tic label"
	ok; grep -q "set key outside below" "$g" || fail "$g: key not below the plot"
done
ok; python3 - "$TMP/p3/plots/sweep_wait_p95.dat" <<'PY' || fail "points not offset per policy"
import sys
blocks = [b for b in open(sys.argv[1]).read().split("\n\n\n") if b.strip()]
xs = [[float(l.split()[0]) for l in b.splitlines() if l and not l.startswith("#")] for b in blocks]
assert len(xs) == 3 and xs[0][0] < xs[1][0] < xs[2][0] and abs(xs[1][0] - 5) < 1e-9, xs
PY
ok; python3 - "$TMP/p3/report.html" <<'PY' || fail "report.html of a sweep"
import html.parser, sys
class P(html.parser.HTMLParser):
    void = {"meta", "img", "br", "link", "input", "hr"}
    def __init__(s):
        super().__init__(); s.stack = []; s.ids = set(); s.loose = []; s.text = []
    def handle_starttag(s, t, a):
        s.ids.add(dict(a).get("id"))
        if t not in s.void: s.stack.append(t)
    def handle_endtag(s, t):
        assert s.stack and s.stack[-1] == t, (t, s.stack[-3:]); s.stack.pop()
    def handle_data(s, d):
        if d.strip() and (not s.stack or s.stack[-1] in ("table", "tr", "body", "html", "ul")):
            s.loose.append(d.strip())
        s.text.append(d)
p = P(); p.feed(open(sys.argv[1]).read()); p.close()
assert not p.stack, p.stack
assert not p.loose, p.loose[:3]
for i in ("best", "swept", "plots", "metrics", "differences", "files"):
    assert i in p.ids, i
text = " ".join(p.text)
assert "nodes in pool gpu" in text and "e+0" not in text, text[:300]
assert "plot-sweep_compare_wait_p95" in p.ids
PY
rm "$TMP/p3/report.html"
expect_exit 0 "$FGSIM" plot "$TMP/p3"
expect_file "$TMP/p3/report.html"

# Interrupted and resumed: SIGINT after the first point is saved, then the same command
# again skips the saved points and ends with the bytes of an uninterrupted sweep.
long="--quiet --set run.horizon=2000d --set output.plots=false"
expect_exit 0 "$FGSIM" sweep "$mmc" --vary "$nodes=5:8" -o "$TMP/whole" $long -j 2
"$FGSIM" sweep "$mmc" --vary "$nodes=5:8" -o "$TMP/cut" $long 2>"$TMP/cut.err" &
pid=$!
i=0
# Points are saved beside the folder until the sweep ends (the folder changes as one).
while [ $i -lt 400 ] && ! ls "$TMP/.cut.fgsim-points/points/"????????????????.csv >/dev/null 2>&1; do sleep 0.05; i=$((i + 1)); done
kill -INT $pid
wait $pid
got=$?
ok; [ "$got" = 130 ] || fail "interrupted sweep exit $got, wanted 130 (128 + SIGINT): $(cat "$TMP/cut.err")"
ok; grep -q "run the same command again to resume" "$TMP/cut.err" || fail "no resume hint: $(cat "$TMP/cut.err")"
expect_absent "$TMP/cut"
saved=$(ls "$TMP/.cut.fgsim-points/points/"????????????????.csv | wc -l)
ok; [ "$saved" -ge 1 ] && [ "$saved" -lt 4 ] || fail "$saved points saved after the interrupt"
expect_exit 0 "$FGSIM" sweep "$mmc" --vary "$nodes=5:8" -o "$TMP/cut" $long
expect_out "4 points: $((4 - saved)) run, $saved reused"
expect_same "$TMP/whole/sweep.csv" "$TMP/cut/sweep.csv"

# Stale points are not reused: another seed, an edited scenario, a damaged point file.
expect_exit 0 "$FGSIM" sweep "$mmc" --vary "$nodes=5,6" -o "$TMP/st" $small --set output.plots=false
expect_out "2 run, 0 reused"
expect_exit 0 "$FGSIM" sweep "$mmc" --vary "$nodes=5,6" -o "$TMP/st" $small --set output.plots=false
expect_out "0 run, 2 reused"
expect_exit 0 "$FGSIM" sweep "$mmc" --vary "$nodes=5,6" -o "$TMP/st" $small --set output.plots=false --seed 7
expect_out "2 run, 0 reused"
sed 's/rate = "4.5\/h"/rate = "4.4\/h"/' "$mmc" >"$TMP/mmc2.cfg"
expect_exit 0 "$FGSIM" sweep "$TMP/mmc2.cfg" --vary "$nodes=5,6" -o "$TMP/st" $small --set output.plots=false
expect_out "2 run, 0 reused"
for f in "$TMP/st/points/"*.csv; do sed -i '1s/point [0-9a-f]*/point 0000000000000000/' "$f"; done
expect_exit 0 "$FGSIM" sweep "$TMP/mmc2.cfg" --vary "$nodes=5,6" -o "$TMP/st" $small --set output.plots=false
expect_out "2 run, 0 reused"

# Input errors: exit 2, the --vary key named, nothing written.
expect_exit 2 "$FGSIM" sweep "$mmc" --vary no.such.key=1,2 -o "$TMP/e1" $small
expect_err '^--vary no.such.key: no such key'
expect_absent "$TMP/e1"
expect_exit 2 "$FGSIM" sweep "$mmc" --vary "$nodes=2,0" -o "$TMP/e2" $small
expect_err "^--vary $nodes_re: "
expect_absent "$TMP/e2"
expect_exit 2 "$FGSIM" sweep "$mmc" --vary "$nodes=7:5" -o "$TMP/e3" $small
expect_err "^--vary $nodes_re: range 7:5 is empty"
expect_exit 2 "$FGSIM" sweep "$mmc" --vary run.confidence=0.8:0.9 -o "$TMP/e3" $small
expect_err "needs a step"
expect_exit 2 "$FGSIM" sweep "$mmc" --vary "$nodes=5,,6" -o "$TMP/e3" $small
expect_err "empty value"
expect_exit 2 "$FGSIM" sweep "$mmc" -o "$TMP/e3" $small
expect_err "no --vary"
expect_exit 2 "$FGSIM" sweep "$mmc" --vary "$nodes=5,6" --vary "$nodes=7" -o "$TMP/e3" $small
expect_err "varied twice"
expect_exit 2 "$FGSIM" sweep "$mmc" --vary "$nodes=5,6" --metrics wiat_p95 -o "$TMP/e3" $small
expect_err 'unknown metric "wiat_p95" \(did you mean "wait_p95"\?\)'
expect_exit 2 "$FGSIM" sweep "$mmc" --vary "$nodes=5,6" --scope pool:gpx -o "$TMP/e3" $small
expect_err 'did you mean "pool:gpu"'
expect_exit 2 "$FGSIM" sweep "$mmc" --vary "$nodes=5,6" --scope class:jobs --metrics utilization -o "$TMP/e3" $small
expect_err "utilization is not reported for scope class:jobs"
# --scope alone: the default metrics that scope does not report are left out, not warned about
expect_exit 0 "$FGSIM" sweep "$mmc" --vary "$nodes=5,6" --scope class:jobs -o "$TMP/e4" $small
ok; ! grep -q 'warning: plot' "$TMP/err" || fail "a default metric the scope lacks was warned about: $(cat "$TMP/err")"
ok; grep -q '"plot_metrics": "wait_p95,abandon_rate"' "$TMP/e4/run.json" || fail "plot_metrics: $(grep plot_metrics "$TMP/e4/run.json")"
expect_absent "$TMP/e3"
# a class's key is named by its class ("classes" -> "class", not "classe"), a checkpoint's
# every as its interval, and the failure metrics in words
fspot="$ROOT/scenarios/failures-spot.cfg"
expect_exit 0 "$FGSIM" sweep "$fspot" --vary 'workload.classes.[1].checkpoint.every="1h","3h"' \
	--scope class:training --metrics goodput_gpu_hours -o "$TMP/ck" --quiet --set run.replications=2
ok; grep -q "set xlabel 'checkpoint interval in class training'" "$TMP/ck/plots/sweep_goodput_gpu_hours.gp" ||
	fail "checkpoint x label: $(grep xlabel "$TMP/ck/plots/sweep_goodput_gpu_hours.gp")"
ok; grep -q "set ylabel 'goodput (GPU-hours kept)'" "$TMP/ck/plots/sweep_goodput_gpu_hours.gp" ||
	fail "goodput y label: $(grep ylabel "$TMP/ck/plots/sweep_goodput_gpu_hours.gp")"
ok; grep -q 'classe ' "$TMP/ck/report.html" && fail "report.html says classe"
# a second key whose words match the x axis's ("nodes") says which pool it is in the key
expect_exit 0 "$FGSIM" sweep "$fspot" --vary 'cluster.pools.[0].nodes=4,5' \
	--vary 'cluster.pools.[1].nodes=3,4' --metrics wait_p95 -o "$TMP/2p" --quiet --set run.replications=2
ok; grep -q "title 'priority, nodes (pool spot) 3'" "$TMP/2p/plots/sweep_wait_p95.gp" ||
	fail "same words: $(grep -o "title '[^']*'" "$TMP/2p/plots/sweep_wait_p95.gp" | tail -1)"
# One policy: the decision is the best point per metric (a "best policy at each point"
# table was the one policy at every point, every cell green), ranked by paired
# replications; figures written with ± as on every page, not +-.
ok; grep -q '<h2>Best point per metric</h2>' "$TMP/ck/report.html" &&
	! grep -q 'Best policy at each point' "$TMP/ck/report.html" || fail "one policy: no best point table"
ok; grep -q '<td class="l"><b>[0-9]h</b></td><td class="num">[0-9,.]* ± [0-9,.]*</td>' "$TMP/ck/report.html" ||
	fail "one policy: the best point's row"
ok; grep -q '+-' "$TMP/ck/report.html" "$TMP/p3/report.html" && fail "a sweep report writes +- for ±"
ok; grep -q 'Best policy at each point' "$TMP/p3/report.html" || fail "three policies: no best policy table"
# categories on the x axis (checkpoint intervals "1h", "3h") are points with error bars,
# no line between them; numbers (nodes 5, 6, 7) keep theirs
ok; grep -q 'with points lt 1' "$TMP/ck/plots/sweep_goodput_gpu_hours.gp" &&
	! grep -q 'linespoints' "$TMP/ck/plots/sweep_goodput_gpu_hours.gp" || fail "categorical x drawn with lines"
ok; grep -q 'with linespoints lt 1' "$TMP/a/plots/sweep_wait_p95.gp" || fail "numeric x drawn without lines"
# the key's title keeps a blank line from the x label (gnuplot set them touching)
ok; grep -q "title \"\\\\n\".'bars: 95% confidence intervals'" "$TMP/ck/plots/sweep_goodput_gpu_hours.gp" ||
	fail "key title: $(grep 'set key' "$TMP/ck/plots/sweep_goodput_gpu_hours.gp")"
finish
