# Nothing from a scenario, a sweep's --vary or a results folder is executed: a policy
# label and a promotion name holding a gnuplot backquote command (`touch FILE`) are drawn
# as written, by `fgsim run`, `fgsim sweep --vary policies=...` and `fgsim plot DIR` on a
# folder whose summary.csv was edited; and a policy with a loss still gets its money plot
# (gnuplot 5.4 crashed on an all-NaN labels plot).
. "$(dirname "$0")/lib.sh"
if ! command -v gnuplot >/dev/null 2>&1; then
	echo "SKIP: gnuplot is not installed (make deps installs it)"
	finish
	exit $?
fi
imgcheck="$ROOT/tests/cli/imgcheck.py"

# drawn DIR PLOT... : each plot's PNG and SVG are there and valid
drawn() {
	d=$1; shift
	files=""
	for p in "$@"; do
		expect_file "$d/plots/$p.png"
		files="$files $d/plots/$p.png $d/plots/$p.svg"
	done
	ok; python3 "$imgcheck" $files >"$TMP/img" || fail "bad images: $(cat "$TMP/img")"
}

cat >"$TMP/inj.cfg" <<CFG
name = "inj";
run = { horizon = "4d"; warmup = "12h"; replications = 2; seed = 1; };
cluster = { pools = ( { name = "p\`touch $TMP/POOL\`"; gpu = "H100-SXM"; nodes = 2; gpus_per_node = 8;
                        cost_per_gpu_hour = 2.0; price_per_gpu_hour = 3.0; } ); };
workload = { arrivals = { process = "poisson"; rate = "8/h"; };
  classes = ( { name = "c\`touch $TMP/CLASS\`"; share = 1.0; gpus = 1; service = "exponential(1h)"; } ); };
promotions = ( { name = "sale\`touch $TMP/PROMO\`@x"; start = "2d"; duration = "4h"; discount = 0.5; demand = 2.0; } );
policies = ( { name = "fcfs"; label = "f\`touch $TMP/LABEL\` a^b_c{d}@e&f 'q'"; }, "sjf" );
output = { plots = true; timeseries_step = "1h"; };
CFG
expect_exit 0 "$FGSIM" run "$TMP/inj.cfg" -o "$TMP/r" --quiet
for m in POOL CLASS PROMO LABEL; do expect_absent "$TMP/$m"; done
expect_out "7 (of 7 )?drawn"
# the promotion's zoom too; its name is too long for a file stem: window_1
drawn "$TMP/r" wait_cdf wait_p95_by_class queue_over_time utilization_over_time utilization_by_pool money_by_policy \
	window_1
# shown as written: no enhanced-text markup (^ _ { } @ &), the backquotes kept
ok; grep -qF "f\`touch $TMP/LABEL\` a^b_c{d}@e&amp;f 'q'" "$TMP/r/plots/wait_cdf.svg" ||
	fail "wait_cdf.svg does not show the label as written"
ok; grep -qF "sale\`touch $TMP/PROMO\`@x (50% off)" "$TMP/r/plots/queue_over_time.svg" ||
	fail "queue_over_time.svg does not show the promotion's name as written"

# The same label through a sweep's --vary.
expect_exit 0 "$FGSIM" sweep "$ROOT/scenarios/mmc.cfg" --quiet -o "$TMP/s" --set run.horizon=20d --set run.replications=2 \
	--vary "policies=(\"fcfs\",{name=\"sjf\";label=\"s\`touch $TMP/SWEEP\`\";})" --vary 'cluster.pools.[0].nodes=5:6'
expect_absent "$TMP/SWEEP"
drawn "$TMP/s" sweep_wait_p95 sweep_utilization sweep_profit sweep_abandon_rate

# A results folder someone sent: its summary.csv names a policy `touch FILE`.
cp -r "$TMP/r" "$TMP/sent"
sed -i "s|^sjf,|\"j\`touch $TMP/SENT\`\",|" "$TMP/sent/summary.csv"
ok; grep -q "touch $TMP/SENT" "$TMP/sent/summary.csv" || fail "summary.csv was not edited"
rm -f "$TMP/sent/jobs.csv" "$TMP/sent/timeseries.csv"
expect_exit 0 "$FGSIM" plot "$TMP/sent"
expect_absent "$TMP/SENT"
drawn "$TMP/sent" wait_cdf wait_p95_by_class utilization_by_pool money_by_policy
# ... and one whose run.json names a plot metric that is a path: no file outside plots/
sed -i 's/"plot_metrics": "[^"]*"/"plot_metrics": "..\/..\/evil,profit"/' "$TMP/s/run.json"
expect_exit 0 "$FGSIM" plot "$TMP/s"
expect_err 'not a metric'
expect_absent "$TMP/evil.gp"
drawn "$TMP/s" sweep_profit

# One policy at a loss: revenue has no negative bar and profit no positive one; the
# money plot is still drawn.
sed 's/^policies = .*/policies = ( "fcfs" );/; s/price_per_gpu_hour = 3.0/price_per_gpu_hour = 0.5/' "$TMP/inj.cfg" >"$TMP/loss.cfg"
expect_exit 0 "$FGSIM" run "$TMP/loss.cfg" -o "$TMP/l" --quiet
ok; grep -q '^fcfs,all,profit,-' "$TMP/l/summary.csv" || fail "the loss scenario makes no loss"
expect_out "7 (of 7 )?drawn"
ok; grep -q 'killed by signal' "$TMP/err" && fail "gnuplot crashed: $(cat "$TMP/err")"
drawn "$TMP/l" money_by_policy

# Names from a trace pass the same check, placed at the trace's line, shown escaped.
printf 'submit,class,tenant,gpus,duration\n0,c,t1,1,60\n5,c,t\033]0;x\007,1,60\n' >"$TMP/esc.csv"
printf 'submit,class,tenant,gpus,duration\n0,c,t1,1,60\n5,c\302\205,t1,1,60\n' >"$TMP/c1.csv"
printf 'submit,class,tenant,gpus,duration\n0,c,t1,1,60\n5,c,t\355\240\200,1,60\n' >"$TMP/sur.csv"
for f in esc c1 sur; do
	cat >"$TMP/$f.cfg" <<CFG
run = { horizon = "1d"; replications = 2; };
cluster = { pools = ( { name = "p"; nodes = 2; gpus_per_node = 8; } ); };
workload = { arrivals = { process = "trace"; file = "$f.csv"; }; };
policies = ( "fcfs" );
CFG
	expect_exit 2 "$FGSIM" run "$TMP/$f.cfg" -o "$TMP/t$f" --quiet
	expect_err "$f.csv:3: .*(control characters|invalid UTF-8)"
	expect_absent "$TMP/t$f"
	ok; LC_ALL=C grep -q "$(printf '[\001-\010\016-\037\177]')" "$TMP/err" && fail "$f: a raw control character reached stderr"
done
finish
