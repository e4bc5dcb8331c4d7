# Plots and report.html: every plot is a valid PNG and SVG with its script and data
# beside it, `fgsim plot DIR` redraws them from the CSVs, a missing gnuplot is a warning
# and not a failed run, and the report renders in headless Chromium with its tables and
# plots laid out (skipped, with a message, where Chromium cannot be had).
. "$(dirname "$0")/lib.sh"
prom="$ROOT/scenarios/fastgpu-promo.cfg"
mmc="$ROOT/scenarios/mmc.cfg"
imgcheck="$ROOT/tests/cli/imgcheck.py"
plots="wait_cdf wait_cdf_by_class wait_p95_by_class queue_over_time utilization_over_time utilization_by_pool
money_by_policy window_flash-sale"
small="--quiet --set run.replications=3 --set run.horizon=3d --set run.warmup=12h --set output.timeseries_step=30m"

# check_plots DIR NAME... : each plot's PNG (signature, chunks, CRCs), SVG (well-formed
# XML with an <svg> root), script and data are there; nothing temporary is left.
check_plots() {
	d=$1; shift
	files=""
	for p in "$@"; do
		for e in png svg gp dat; do expect_file "$d/plots/$p.$e"; done
		files="$files $d/plots/$p.png $d/plots/$p.svg"
	done
	ok; python3 "$imgcheck" $files >"$TMP/img" || fail "bad images: $(cat "$TMP/img")"
	ok; [ -z "$(find "$d" -name '.*tmp*')" ] || fail "temporary files left: $(find "$d" -name '.*tmp*')"
}

have_gnuplot=1
command -v gnuplot >/dev/null 2>&1 || { have_gnuplot=0; echo "SKIP: gnuplot is not installed (make deps installs it): image checks left out"; }

# A run draws the plots and the report, and says where they are.
expect_exit 0 "$FGSIM" run "$prom" -o "$TMP/p" $small --set 'promotions.[0].start="1d 20:00"' --set output.jobs=true
expect_out "^report: $TMP/p/report.html"
expect_file "$TMP/p/report.html"
expect_file "$TMP/p/plots/style.gp"
if [ $have_gnuplot = 1 ]; then
	expect_out "^plots in $TMP/p/plots/ \(8 drawn"
	check_plots "$TMP/p" $plots
	ok; grep -q 'CDF per policy (wait_hist.csv)' "$TMP/p/plots/wait_cdf.gp" || fail "wait_cdf.gp: the title does not name wait_hist.csv"
	# The scripts redraw by hand, in plots/, as the report says.
	rm "$TMP/p/plots/money_by_policy.png"
	ok; (cd "$TMP/p/plots" && gnuplot money_by_policy.gp) 2>"$TMP/err" || fail "gnuplot money_by_policy.gp: $(cat "$TMP/err")"
	expect_file "$TMP/p/plots/money_by_policy.png"
fi

# wait_hist.csv: every started job's wait once per scope it belongs to (the jobs.csv
# rows that started after the warm-up, per policy, all and per class; the classes add
# up to all), buckets in ascending order; the CDFs rise to 1 and the pooled one lies in
# the replications' range. timeseries.csv: the pools' busy GPUs add up to busy_gpus.
ok; python3 - "$TMP/p" <<'PY' 2>"$TMP/err" || fail "wait_hist.csv / timeseries.csv: $(tail -3 "$TMP/err")"
import csv, collections, sys
d = sys.argv[1]
started, hist, last = collections.Counter(), collections.Counter(), {}
for r in csv.DictReader(open(d + "/jobs.csv")):
    if r["start"] and float(r["arrival"]) >= 12 * 3600:
        started[(r["policy"], "all")] += 1
        started[(r["policy"], "class:" + r["class"])] += 1
for r in csv.DictReader(open(d + "/wait_hist.csv")):
    k = (r["policy"], r["scope"])
    lo, up, n, f, fmin, fmax = (float(r[c]) for c in ("lower", "upper", "count", "cdf", "cdf_min", "cdf_max"))
    assert n > 0 and lo <= up and 0 <= fmin <= f + 1e-9 and f <= fmax + 1e-9 <= 1 + 1e-9, r
    if k in last:
        assert lo >= last[k][0] and f >= last[k][1], ("not ascending", r)
    last[k] = (up, f)
    hist[k] += int(n)
assert all(abs(f - 1) < 1e-9 for _, f in last.values()), "a CDF that does not end at 1"
for k, n in started.items():
    assert hist[k] == n, ("started", k, n, "wait_hist.csv", hist[k])
for pol in {k[0] for k in hist}:
    assert sum(n for k, n in hist.items() if k[0] == pol and k[1].startswith("class:")) == hist[(pol, "all")]
rows = list(csv.reader(open(d + "/timeseries.csv")))
h = rows[0]
pools = [i for i, c in enumerate(h) if c.startswith("busy_gpus:")]
assert [h[i] for i in pools] == ["busy_gpus:h100", "busy_gpus:l4"] and "burst_nodes" in h, h
for r in rows[1:]:
    assert abs(sum(float(r[i]) for i in pools) - float(r[h.index("busy_gpus")])) < 1e-6, r
PY
# The CDFs' data: per block x ascending, the share from 0 to 1 and rising, ending at 1,
# inside its band; the axis from 0 to 1 on a log scale; the zoom's blocks lie in the
# hour before to 3 h after the 4 h window.
ok; python3 - "$TMP/p/plots" <<'PY' 2>"$TMP/err" || fail "plot data: $(tail -3 "$TMP/err")"
import sys
p = sys.argv[1]
def blocks(name):
    out, cur = [], []
    for line in open(p + "/" + name):
        if line.startswith("#"):
            continue
        if not line.strip():
            if cur: out.append(cur)
            cur = []
            continue
        cur.append([float(v) for v in line.split()])
    if cur: out.append(cur)
    return out
for name, n in (("wait_cdf.dat", 7), ("wait_cdf_by_class.dat", 14)):
    b = blocks(name)
    assert len(b) == n, (name, len(b))
    for pts in b:
        xs, fs = [q[0] for q in pts], [q[1] for q in pts]
        assert xs == sorted(xs) and fs == sorted(fs) and 0 <= fs[0] and fs[-1] == 1, (name, pts[:3])
        assert all(q[2] - 1e-9 <= q[1] <= q[3] + 1e-9 for q in pts), (name, "outside its band")
    gp = open(p + "/" + name.replace(".dat", ".gp")).read()
    assert "set yrange [0:1.001]" in gp and "set logscale x" in gp and "filledcurves" in gp, name
w = blocks("window_flash-sale.dat")
assert len(w) == 7 * 4 + 1, len(w)  # queue, 2 pools, burst per policy; arrivals
for pts in w:
    assert all(-1 - 1e-9 <= q[0] <= 7 + 1e-9 and q[2] <= q[1] + 1e-9 <= q[3] + 2e-9 for q in pts), pts[:2]
assert max(q[1] for pts in w[21:28] for q in pts) > 0, "no burst node in the zoom"
PY

# `fgsim plot DIR` redraws everything from the CSVs: the same data files, and the report.
cp -r "$TMP/p" "$TMP/full"
cp -r "$TMP/p/plots" "$TMP/first"
rm -rf "$TMP/p/plots" "$TMP/p/report.html"
expect_exit 0 "$FGSIM" plot "$TMP/p/"
expect_out "^report: $TMP/p/report.html"
expect_file "$TMP/p/report.html"
for p in $plots; do expect_same "$TMP/first/$p.dat" "$TMP/p/plots/$p.dat"; done
[ $have_gnuplot = 1 ] && check_plots "$TMP/p" $plots

# A folder from before wait_hist.csv: the CDF from jobs.csv, without a band; with
# neither, no CDF (no plot drawn from four quantiles passes for a distribution). A zoom
# of a promotion the folder no longer has is removed.
mv "$TMP/p/wait_hist.csv" "$TMP/wait_hist.csv"
: >"$TMP/p/plots/window_gone.png"
expect_exit 0 "$FGSIM" plot "$TMP/p"
ok; grep -q 'CDF per policy (jobs.csv)' "$TMP/p/plots/wait_cdf.gp" || fail "wait_cdf.gp: the title does not name jobs.csv"
expect_absent "$TMP/p/plots/window_gone.png"
rm "$TMP/p/jobs.csv"
expect_exit 0 "$FGSIM" plot "$TMP/p"
for e in png svg gp dat; do expect_absent "$TMP/p/plots/wait_cdf.$e"; done
mv "$TMP/wait_hist.csv" "$TMP/p/wait_hist.csv"
# A plot that no longer applies is removed, not left stale.
rm "$TMP/p/timeseries.csv"
expect_exit 0 "$FGSIM" plot "$TMP/p"
for e in png svg gp dat; do expect_absent "$TMP/p/plots/queue_over_time.$e"; expect_absent "$TMP/p/plots/window_flash-sale.$e"; done

# One policy, no time series, no promotion: the plots that apply, a report without a
# comparison.
expect_exit 0 "$FGSIM" run "$mmc" -o "$TMP/m" --quiet --set run.horizon=50d --set run.replications=2
[ $have_gnuplot = 1 ] && check_plots "$TMP/m" wait_cdf wait_p95_by_class utilization_by_pool money_by_policy
expect_absent "$TMP/m/plots/queue_over_time.png"
expect_absent "$TMP/m/plots/wait_cdf_by_class.png" # one class: the same jobs as wait_cdf
ok; grep -q 'id="compare"' "$TMP/m/report.html" && fail "report.html of one policy has a comparison"

# output.plots = false: no plots, no report.
expect_exit 0 "$FGSIM" run "$mmc" -o "$TMP/n" --quiet --set run.horizon=20d --set output.plots=false
expect_absent "$TMP/n/plots"
expect_absent "$TMP/n/report.html"

# No gnuplot: with plots on, a run is refused before it simulates (a report without its
# plots would be partial results); with output.plots = false it runs.
expect_exit 1 env PATH=/nonexistent "$FGSIM" run "$mmc" -o "$TMP/g" --quiet --set run.horizon=20d
expect_err 'gnuplot not found: install gnuplot .*output.plots=false'
expect_absent "$TMP/g"
expect_exit 0 env PATH=/nonexistent "$FGSIM" run "$mmc" -o "$TMP/g" --quiet --set run.horizon=20d --set output.plots=false
expect_exit 1 env PATH=/nonexistent "$FGSIM" plot "$TMP/g"
expect_absent "$TMP/g/plots"
# ... and a redraw without it leaves the folder as it was: the images there are the
# ones drawn from its files.
expect_exit 1 env PATH=/nonexistent "$FGSIM" plot "$TMP/m"
expect_file "$TMP/m/plots/wait_cdf.png"
expect_file "$TMP/m/plots/wait_cdf.svg"
expect_file "$TMP/m/plots/wait_cdf.gp"

# Bad uses of `fgsim plot`.
expect_exit 2 "$FGSIM" plot
expect_err 'usage: fgsim plot DIR'
expect_exit 2 "$FGSIM" plot "$TMP/nowhere"
expect_err 'summary.csv: cannot read'
mkdir "$TMP/empty"
expect_exit 2 "$FGSIM" plot "$TMP/empty"
printf 'a,b\n1,2\n' >"$TMP/empty/summary.csv"
expect_exit 2 "$FGSIM" plot "$TMP/empty"
expect_err 'no column "policy"'
expect_exit 2 "$FGSIM" plot "$TMP/p" "$TMP/m"

# The report is self-contained: nothing fetched from anywhere.
ok; grep -Eiq '<script|<link|<img|src=|url\(.?http|href=.http' "$TMP/p/report.html" &&
	fail "report.html refers to something outside itself: $(grep -Eio '<script|<link|<img|src=[^ ]*|https?:[^ "]*' "$TMP/p/report.html" | head -3)"

# Headless Chromium: the tables and plots are laid out, and a screenshot shows them.
chrome=""
for c in chromium chromium-browser google-chrome; do command -v $c >/dev/null 2>&1 && { chrome=$c; break; }; done
if [ -z "$chrome" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "installing chromium for the report check (apt-get)"
	{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } >"$TMP/apt.log" 2>&1
	command -v chromium >/dev/null 2>&1 && chrome=chromium
fi
if [ -z "$chrome" ]; then
	echo "SKIP: no chromium (and it could not be installed): report.html not rendered"
elif [ $have_gnuplot = 1 ]; then
	run_chrome() { timeout 90 "$chrome" --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
		--user-data-dir="$TMP/chrome" "$@" 2>>"$TMP/chrome.log"; }
	# A copy of the report with a script that measures the laid-out page (the report
	# itself has no script).
	sed 's#</body>#<script>var t = document.querySelectorAll("table"), s = document.querySelectorAll("figure svg"), lt = 0, ls = 0;\
t.forEach(function (e) { var r = e.getBoundingClientRect(); if (r.width > 100 \&\& r.height > 20 \&\& e.rows.length > 1) lt++; });\
s.forEach(function (e) { var r = e.getBoundingClientRect(); if (r.width > 400 \&\& r.height > 200 \&\& e.querySelectorAll("path").length > 5) ls++; });\
document.body.setAttribute("data-check", "tables=" + t.length + " laid_out=" + lt + " svgs=" + s.length + " drawn=" + ls);</script></body>#' \
		"$TMP/full/report.html" >"$TMP/full/check.html"
	run_chrome --window-size=1200,900 --dump-dom "file://$TMP/full/check.html" >"$TMP/dom.html"
	check=$(grep -o 'data-check="[^"]*"' "$TMP/dom.html")
	echo "chromium layout: $check"
	ok; echo "$check" | grep -Eq 'tables=([0-9]+) laid_out=\1 svgs=8 drawn=8"' || fail "report.html in chromium: $check (wanted every table laid out and 8 plots drawn)"
	ok; [ "$(echo "$check" | sed 's/.*tables=\([0-9]*\).*/\1/')" -ge 9 ] || fail "report.html has fewer than 9 tables: $check"
	for id in scenario results compare classes pools windows plots; do
		ok; grep -q "id=\"$id\"" "$TMP/dom.html" || fail "report.html lacks the section #$id"
	done
	# The screenshot, at 0.4 scale to keep decoding it quick: plot colours (Okabe-Ito
	# blue and vermillion) and text on a white page; tall enough to reach the plots below
	# the summary and the tables.
	run_chrome --force-device-scale-factor=0.4 --window-size=1100,12000 --screenshot="$TMP/shot.png" "file://$TMP/full/report.html" >/dev/null
	expect_file "$TMP/shot.png"
	python3 "$imgcheck" "$TMP/shot.png" --pixels 0072B2 D55E00 >"$TMP/shot.json"
	echo "screenshot: $(cat "$TMP/shot.json")"
	ok; python3 -c "import json, sys; d = json.load(open(sys.argv[1])); \
assert 0.05 < d['nonwhite_share'] < 0.6 and min(d['near'].values()) > 2000, d" "$TMP/shot.json" 2>"$TMP/err" ||
		fail "the screenshot does not show the report's plots: $(tail -1 "$TMP/err")"
fi
# A repeating promotion: its zoom shows the first occurrence and says that it repeats;
# the curves over time shade every occurrence (three of them: every 20h from 12h, the
# fourth would start after the 3-day horizon).
expect_exit 0 "$FGSIM" run "$prom" -o "$TMP/rep" $small --set 'promotions.[0].start="12h"' \
	--set 'promotions.[0].repeat="20h"' --set 'promotions.[0].count=10'
ok; grep -q 'It repeats every 20 h, 3 times in the run: this is the first occurrence' \
	"$TMP/rep/report.html" || fail "the zoom's caption does not say the promotion repeats"
ok; grep -q 'flash-sale (50% off, first of 3)' "$TMP/rep/plots/window_flash-sale.gp" ||
	fail "the zoom's title does not say it is the first of 3"
ok; n=$(grep -c 'fc rgb shade_promo' "$TMP/rep/plots/queue_over_time.gp")
[ "$n" = 3 ] || fail "queue_over_time shades $n promotion windows, not 3"
finish
