# report.html's summary: first on the page, a recommendation, and sentences that follow
# the measured mechanisms - the flagship's (head-of-line blocking under fcfs,
# fair-share and aging, idle burst nodes, training paying for priority-preemptive) and
# different ones for a scenario without them; output.objective checked at load and
# followed by the recommendation; no text outside the page's elements.
. "$(dirname "$0")/lib.sh"
check() { ok; python3 "$ROOT/tests/cli/report_check.py" "$@" >"$TMP/check" 2>&1 || fail "$(cat "$TMP/check")"; }

# The flagship, as shipped.
expect_exit 0 "$FGSIM" run "$ROOT/scenarios/fastgpu-promo.cfg" -o "$TMP/flag" --quiet
check "$TMP/flag/report.html" --expect fcfs=hol --expect fair-share=hol --expect aging=hol \
	--expect fcfs=burst-idle --expect priority-preemptive=preemption --not priority-preemptive=hol \
	--not priority=hol --expect fcfs=lost-demand
# the sentence cites summary.csv's figure for fcfs's blocking, in percent
hol=$(awk -F, '$1=="fcfs" && $2=="all" && $3=="hol_blocked_share" { printf "%.2f", 100 * $4 }' "$TMP/flag/summary.csv")
ok; grep -q "could not start for $hol" "$TMP/flag/report.html" || fail "fcfs's blocking $hol% not cited"
# every money and capacity figure the flagship has, in the tables
for label in "burst cost" "burst GPU-hours" "burst nodes peak" "lost revenue" "preemptions" "head blocked"; do
	ok; grep -q "<th>$label" "$TMP/flag/report.html" || fail "no \"$label\" column"
done
# no column of zeros: the flagship kills no job (no kill_at_estimate)
ok; grep -q "<th>killed" "$TMP/flag/report.html" && fail "a killed column of zeros"
ok; grep -q "Zero in every row (not shown): .*killed" "$TMP/flag/report.html" || fail "killed not named as zero"

# The figures the story rests on are on the page, drawn inline: the wait CDF from
# wait_hist.csv (per policy and per class) and the zoom on the flash sale.
for img in wait_cdf wait_cdf_by_class window_flash-sale; do
	ok; grep -q "(plots/$img.png, .svg, .gp, .dat)" "$TMP/flag/report.html" || fail "report.html lacks $img"
done
ok; [ -s "$TMP/flag/wait_hist.csv" ] || fail "no wait_hist.csv beside the report"

# The bundled trace demo's page: its summary first, no loose text (its cluster row once
# stood after its table), its pools table from the node list, a CDF that is one.
expect_exit 0 "$FGSIM" run "$ROOT/scenarios/trace-alibaba.cfg" -o "$TMP/trace" --quiet
check "$TMP/trace/report.html"
ok; grep -q "(plots/wait_cdf.png, .svg, .gp, .dat)" "$TMP/trace/report.html" || fail "trace demo: no CDF"
# easy-backfill's p95 waits of 0 h would be bars of no height: each gets a stroke on the axis
ok; awk -F'\t' 'NR > 1 && $0 !~ /^#/' "$TMP/trace/plots/wait_p95_by_class.dat" | grep -q . &&
	grep -q 'with vectors nohead lt 3' "$TMP/trace/plots/wait_p95_by_class.gp" ||
	fail "trace demo: zero bars not drawn"

# A sweep's page parses with no loose text (tests/cli/test_sweep.sh checks its sections).
expect_exit 0 "$FGSIM" sweep "$ROOT/scenarios/fastgpu-promo.cfg" --vary 'cluster.pools.[1].nodes=8:12:4' \
	--set run.replications=3 -o "$TMP/sweep" --quiet
ok; python3 "$ROOT/tests/cli/report_check.py" "$TMP/sweep/report.html" --loose-only >"$TMP/check" 2>&1 ||
	fail "sweep report: $(cat "$TMP/check")"

# The three pages as a reader sees them, 1400 px wide, in headless Chromium (where the
# machine has it; tests/cli/test_plots.sh checks the layout of the flagship's): each
# renders to a non-trivial image.
chrome=
for c in chromium chromium-browser google-chrome; do command -v $c >/dev/null 2>&1 && { chrome=$c; break; }; done
if [ -n "$chrome" ]; then
	for page in flag trace sweep; do
		timeout 120 $chrome --headless --no-sandbox --disable-gpu --hide-scrollbars \
			--screenshot="$TMP/$page.png" --window-size=1400,3000 "file://$TMP/$page/report.html" >/dev/null 2>&1
		ok; [ "$(wc -c <"$TMP/$page.png" 2>/dev/null || echo 0)" -gt 20000 ] || fail "$page report.html did not render"
	done
else
	echo "SKIP: no chromium: the reports were not rendered"
fi

# A scenario with none of those mechanisms: one-GPU jobs on one pool, no burst nodes,
# no patience. Different sentences: its waits come from the load.
expect_exit 0 "$FGSIM" run "$ROOT/scenarios/mmc.cfg" -o "$TMP/mmc" --quiet --set run.horizon=200d \
	--set 'policies=("fcfs","sjf")'
check "$TMP/mmc/report.html" --expect fcfs=load --expect sjf=load --not fcfs=hol --not fcfs=burst-idle
ok; grep -q 'data-policy="fcfs" data-mechanisms="load"' "$TMP/mmc/report.html" || fail "mmc's fcfs sentence"
# ... with patience: jobs abandon, and the sentence says what revenue that lost
expect_exit 0 "$FGSIM" run "$ROOT/scenarios/mmc.cfg" -o "$TMP/pat" --quiet --set run.horizon=100d \
	--set 'workload.arrivals.rate="5.5/h"' --set 'workload.classes.[0].patience="exponential(30m)"'
check "$TMP/pat/report.html" --expect fcfs=lost-demand --not fcfs=load

# The objective: the recommendation keeps the bound and minimises the goal.
expect_exit 0 "$FGSIM" run "$ROOT/scenarios/fastgpu-promo.cfg" -o "$TMP/obj" --quiet --set run.replications=3 \
	--set 'output.objective="max profit subject to wait_p95 of class:training <= 2h"'
check "$TMP/obj/report.html"
rec=$(sed -n 's/^recommended: //p' "$TMP/check")
want=$(awk -F, '$2=="class:training" && $3=="wait_p95" && $4 <= 7200 { ok[$1] = 1 }
	$2=="all" && $3=="profit" { p[$1] = $4 }
	END { for (k in ok) if (best == "" || p[k] > p[best]) best = k; print best }' "$TMP/obj/summary.csv")
ok; [ "$rec" = "$want" ] || fail "objective: recommended $rec, the figures say $want"
ok; grep -q 'the objective &quot;max profit' "$TMP/obj/report.html" || fail "objective not quoted"

# A bad objective stops the load with FILE:LINE (or the --set key) and the choices.
sed 's/^output = {/output = { objective = "min wait_p59 of class:inference";/' \
	"$ROOT/scenarios/fastgpu-promo.cfg" >"$TMP/bad.cfg"
cp -r "$ROOT/scenarios/traces" "$TMP/" 2>/dev/null
expect_exit 2 "$FGSIM" check "$TMP/bad.cfg"
expect_err 'bad.cfg:[0-9]+: unknown metric "wait_p59" \(did you mean "wait_p50"\?\); valid: arrivals'
expect_exit 2 "$FGSIM" check "$ROOT/scenarios/fastgpu-promo.cfg" --set 'output.objective="min wait_p95 of class:trainig"'
expect_err 'unknown scope "class:trainig"; valid: all, class:inference, class:training'
expect_exit 2 "$FGSIM" check "$ROOT/scenarios/fastgpu-promo.cfg" --set 'output.objective="max profit of class:training"'
expect_err 'profit is not reported for class:NAME; it is for: all, pool:NAME, window:NAME'
expect_exit 2 "$FGSIM" check "$ROOT/scenarios/fastgpu-promo.cfg" --set 'output.objective="min wait_p95 subject to profit > 5"'
expect_err 'expected >= or <= after profit'
# The failures page's scenario: a repeating sale's note says it repeats (the dates are
# its first occurrence's), the work lost to failures and reclaims is not labelled as
# lost to preemption (there is none), and the CDF caption's count has its separators.
expect_exit 0 "$FGSIM" run "$ROOT/scenarios/failures-spot.cfg" -o "$TMP/fspot" --quiet --set run.replications=4
check "$TMP/fspot/report.html"
ok; grep -q 'sale: from 5d 10h to 5d 16h after the start of the run, then every 7d, 2 times in the run' \
	"$TMP/fspot/report.html" || fail "the repeating sale's note does not say it repeats"
ok; grep -q '<th>work lost' "$TMP/fspot/report.html" || fail "no work lost column"
ok; grep -q 'lost to preemption' "$TMP/fspot/report.html" && fail "work lost to failures labelled as preemption"
ok; grep -qE '\([0-9]{1,3}(,[0-9]{3})+ waits after the warm-up' "$TMP/fspot/report.html" ||
	fail "the CDF caption's count of waits is not in the number style"
# a class's memory and CPU columns carry their units
expect_exit 0 "$FGSIM" run "$ROOT/scenarios/mmc.cfg" -o "$TMP/mem" --quiet --set run.horizon=20d \
	--set 'workload.classes.[0].memory=16384' --set 'workload.classes.[0].cpus=4'
ok; grep -q '<th class="l">memory (MiB)</th>' "$TMP/mem/report.html" || fail "memory without its unit"
ok; grep -q '<th class="l">cpus (cores)</th>' "$TMP/mem/report.html" || fail "cpus without their unit"
finish
