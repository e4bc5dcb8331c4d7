# fgsim run end to end: the files docs/outputs.md names, byte-identical results for the same
# seed whatever the thread count, --set/--seed, and an interrupted run that leaves the
# previous results as they were.
. "$(dirname "$0")/lib.sh"
mmc="$ROOT/scenarios/mmc.cfg"
small="--quiet --set run.horizon=200d --set run.replications=4"

expect_exit 0 "$FGSIM" run "$mmc" -o "$TMP/a" $small
expect_out "results in $TMP/a/"
for f in summary.csv replications.csv run.json; do expect_file "$TMP/a/$f"; done
ok; [ "$(head -1 "$TMP/a/summary.csv")" = "policy,scope,metric,mean,half_width,n" ] || fail "summary.csv header"
ok; [ "$(head -1 "$TMP/a/replications.csv")" = "policy,replication,scope,metric,value" ] || fail "replications.csv header"
for m in wait_mean wait_p50 wait_p95 wait_p99 wait_max p_wait response_mean abandon_rate jobs_done \
	throughput_per_h utilization queue_mean slowdown_mean revenue cost profit lost_revenue gpu_hours; do
	ok; grep -q "^fcfs,all,$m," "$TMP/a/summary.csv" || fail "summary.csv lacks metric $m"
done
ok; ls -A "$TMP/a" | grep -v '^\.fgsim-results$' | grep -q '^\.' && fail "temporary files left in the output folder"
expect_exit 0 python3 -c "import json,sys; d=json.load(open('$TMP/a/run.json')); assert d['events'] > 0 and d['rng']['generator'] == 'gsl_rng_taus2' and d['scenario']['run']['replications'] == 4, d"

# Same seed, same bytes; any thread count. $TMP/a ran on the default -j, the CPUs online.
expect_exit 0 "$FGSIM" run "$mmc" -o "$TMP/a1" $small -j 1
expect_same "$TMP/a/summary.csv" "$TMP/a1/summary.csv"
expect_same "$TMP/a/replications.csv" "$TMP/a1/replications.csv"
# the default: the CPUs online, no more than the 4 replications to run
ncpu=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)
expect_exit 0 python3 -c "import json; t = json.load(open('$TMP/a/run.json'))['threads']; \
assert t == min($ncpu, 4), t"
expect_exit 0 "$FGSIM" run "$mmc" -o "$TMP/b" $small -j 2
expect_same "$TMP/a/summary.csv" "$TMP/b/summary.csv"
expect_same "$TMP/a/replications.csv" "$TMP/b/replications.csv"
expect_exit 0 "$FGSIM" run "$mmc" -o "$TMP/c" $small -j 3
expect_same "$TMP/a/summary.csv" "$TMP/c/summary.csv"
# Another seed, other numbers.
expect_exit 0 "$FGSIM" run "$mmc" -o "$TMP/d" $small --seed 99
ok; cmp -s "$TMP/a/summary.csv" "$TMP/d/summary.csv" && fail "--seed 99 gave the same summary as seed 1"
expect_exit 0 python3 -c "import json; assert json.load(open('$TMP/d/run.json'))['seed'] == 99"
# run.json records the command line as given, --set values included
expect_exit 0 "$FGSIM" run "$mmc" -o "$TMP/e" $small --set run.seed=5
expect_exit 0 python3 -c "import json; c = json.load(open('$TMP/e/run.json'))['command']; \
assert ['--set', 'run.seed=5'] in [c[i:i + 2] for i in range(len(c))], c"

# Two policies: compare.csv pairs them; optional timeseries.csv and jobs.csv.
prom="$ROOT/scenarios/fastgpu-promo.cfg"
expect_exit 0 "$FGSIM" run "$prom" -o "$TMP/p" --quiet --set run.replications=3 --set run.horizon=5d --set run.warmup=1d \
	--set 'promotions.[0].start="2d 20:00"' --set output.timeseries_step=1h --set output.jobs=true -j 2
expect_file "$TMP/p/compare.csv"
ok; [ "$(head -1 "$TMP/p/compare.csv")" = "policy,scope,metric,diff_mean,half_width,n" ] || fail "compare.csv header"
ok; [ "$(head -1 "$TMP/p/timeseries.csv")" = "policy,replication,t,queued,running,busy_gpus,utilization,arrivals_per_h,price_factor,burst_nodes,busy_gpus:h100,busy_gpus:l4" ] || fail "timeseries.csv header"
# 5 days of hourly samples for every policy and replication
rows=$(($(wc -l <"$TMP/p/timeseries.csv") - 1))
npol=$(grep -c ',all,wait_mean,' "$TMP/p/summary.csv")
ok; [ "$rows" = $((120 * 3 * npol)) ] || fail "timeseries.csv has $rows rows, wanted $((120 * 3 * npol))"
ok; cut -d, -f9 "$TMP/p/timeseries.csv" | grep -qx '0.5' || fail "timeseries.csv never shows the sale's price factor 0.5"
expect_file "$TMP/p/jobs.csv"
# jobs.csv: every job leaves done or abandoned, or is still in the system at the end.
expect_exit 0 "$FGSIM" run "$prom" -o "$TMP/p1" --quiet --set run.replications=3 --set run.horizon=5d --set run.warmup=1d \
	--set 'promotions.[0].start="2d 20:00"' --set output.timeseries_step=1h --set output.jobs=true -j 1
expect_same "$TMP/p/jobs.csv" "$TMP/p1/jobs.csv"
expect_same "$TMP/p/timeseries.csv" "$TMP/p1/timeseries.csv"

# The headline: plain numbers (no 1.005e+04), waits in a unit that suits them, a
# column's means and half-widths to one number of decimals, thousands separated by commas.
expect_exit 0 "$FGSIM" run "$mmc" -o "$TMP/h" --set run.horizon=200d --set run.replications=4 \
	--set output.plots=false
expect_out '^policy +wait_mean \((s|min|h|d)\) +wait_p95 \((s|min|h|d)\) +abandon_rate +utilization +profit$'
expect_out '^fcfs +[0-9]+\.[0-9]+ \+- [0-9]+\.[0-9]+ +[0-9.]+ \+- [0-9.]+ +0 \+- 0 +0\.[0-9]{4} \+- 0\.[0-9]{4} +[0-9]{1,3}(,[0-9]{3})+ \+- [0-9,]+$'
ok; grep -E '^fcfs' "$TMP/out" | grep -qE '[0-9]e[-+]' && fail "scientific notation in the headline: $(grep ^fcfs "$TMP/out")"

# check: the Erlang C prediction beside the model.
expect_exit 0 "$FGSIM" check "$mmc"
expect_out 'offered load 0.9000, Erlang C: P\(wait>0\) 0.76249'
expect_out '^class jobs: .*, service exponential\(1h\), patience never,'
# check names failures, spot, maintenance, repeats and burst planning in durations
expect_exit 0 "$FGSIM" check "$ROOT/scenarios/failures-spot.cfg" --set 'cluster.pools.[2].burst.prewarm="30m"' \
	--set 'cluster.pools.[0].maintenance=({start="3d"; duration="4h"; nodes=2; mode="preempt";})'
expect_out '^  failures: mtbf exponential\(30d\), repair lognormal\(6h, 1\): available 0\.99'
expect_out '^  spot: reclaimed after exponential\(8h\) with 2m notice'
expect_out '^  maintenance: 2 nodes out for 4h from 3d, their jobs interrupted at the start$'
expect_out '^promotion sale: from 5d 10h for 6h, every 7d, 2 times in the run, 30% off, demand x30 \(scopes window:sale#1 to #2\)$'
expect_out '^  burst: pre-warmed 30m before each promotion its classes see'
expect_exit 0 "$FGSIM" analytic mmc 4.5 1 5
expect_out '^P_wait=0.76249'

# The stability warning counts what packing allows: 5-GPU jobs on 8-GPU nodes fit one a
# node, so 0.70 of the GPUs is 1.12 of what the nodes hold (check and run both say so,
# and run.json keeps it); with patience on every class abandonment bounds the queue (a
# note, not a warning); with patience on one class of two the queue still grows.
load_cfg() { # $1 rate, $2 the first class's share and patience, $3 a second class or nothing
	cat <<CFG
name = "load"; run = { horizon = "1d"; replications = 2; };
cluster = { pools = ( { name = "p"; nodes = 10; gpus_per_node = 8; } ); };
workload = { arrivals = { rate = "$1"; };
  classes = ( { name = "a"; gpus = 5; service = "exponential(1h)"; $2 } $3 ); };
policies = ( "fcfs" ); output = { plots = false; };
CFG
}
load_cfg 11.2/h "" "" >"$TMP/five.cfg"
expect_exit 0 "$FGSIM" check "$TMP/five.cfg"
expect_out '^pool p: 10 nodes x 8 .* offered load 0.7000 of GPUs, 1.1200 of what packing allows$'
expect_err '^warning: pool p: offered load 0.700 of GPUs, 1.120 of what packing allows >= 1: the queue grows without bound$'
expect_exit 0 "$FGSIM" run "$TMP/five.cfg" -o "$TMP/five" --quiet
expect_err '^warning: pool p: offered load 0.700 of GPUs, 1.120 of what packing allows >= 1: the queue grows without bound$'
ok; grep -q '"pool p: offered load 0.700 of GPUs, 1.120 of what packing allows >= 1: the queue grows' \
	"$TMP/five/run.json" || fail "run.json lacks the packing warning"
# the same jobs at 4 GPUs fit two a node: one figure, under 1, no warning
sed 's/gpus = 5;/gpus = 4;/' "$TMP/five.cfg" >"$TMP/four.cfg"
expect_exit 0 "$FGSIM" check "$TMP/four.cfg"
expect_out '^pool p: 10 nodes x 8 .* offered load 0.5600$'
ok; grep -q 'warning' "$TMP/err" && fail "a stable pool warned: $(cat "$TMP/err")"
patient='patience = "exponential(1h)";'
load_cfg 30/h "share = 0.5; $patient" \
	", { name = \"b\"; share = 0.5; service = \"exponential(1h)\"; $patient }" >"$TMP/patient.cfg"
expect_exit 0 "$FGSIM" run "$TMP/patient.cfg" -o "$TMP/patient" --quiet
expect_err '^warning: pool p: offered load .* >= 1: abandonment bounds the queue \(every class has patience\); expect many abandoned jobs$'
ok; grep -q 'grows without bound' "$TMP/err" && fail "an all-patient scenario said the queue grows"
expect_exit 0 python3 -c "import json; d = json.load(open('$TMP/patient/run.json')); assert d['warnings'] == [] and 'abandonment bounds' in d['notes'][0], d"
load_cfg 30/h "share = 0.5; $patient" ", { name = \"b\"; share = 0.5; service = \"exponential(1h)\"; }" \
	>"$TMP/some.cfg"
expect_exit 0 "$FGSIM" check "$TMP/some.cfg"
expect_err '^warning: pool p: offered load .* >= 1: the queue grows without bound$'
ok; grep -q 'abandonment' "$TMP/err" && fail "patience on one class of two said abandonment bounds the queue"

# Interrupted: SIGINT stops the run, exit 130, the previous results stay as they were.
cp -r "$TMP/a" "$TMP/keep"
"$FGSIM" run "$mmc" -o "$TMP/a" --quiet --set run.horizon=100000d --set run.replications=50 >/dev/null 2>"$TMP/err" &
pid=$!
sleep 1
kill -INT $pid
wait $pid; rc=$?
ok; [ $rc = 130 ] || fail "SIGINT: exit $rc, wanted 130"
expect_err 'stopped by signal 2'
expect_same "$TMP/a/summary.csv" "$TMP/keep/summary.csv"
expect_same "$TMP/a/run.json" "$TMP/keep/run.json"
finish
