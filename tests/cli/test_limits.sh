# Limits: `check` prints the memory estimate; run and check refuse a scenario whose
# estimate is over the cap (exit 2, the estimate and the cap, the FILE:LINE or --set KEY
# of the setting that drives it, no output folder) unless --force; the 20-million-job
# M/M/c benchmark is not refused; the estimate is not below what a run really takes;
# an unstable scenario runs, warns, and its report says so.
. "$(dirname "$0")/lib.sh"
mmc="$ROOT/scenarios/mmc.cfg"

expect_exit 0 "$FGSIM" check "$ROOT/tests/bench/mmc-20m.cfg"
expect_out '^memory: about [0-9.]+ MB at peak on 1 thread \([0-9.,]+ jobs in the system per replication'
# a large count in the number style, not 6.852e+05
expect_exit 0 "$FGSIM" check "$ROOT/scenarios/bench-large.cfg"
expect_out '^memory: about [0-9.]+ MB at peak on 1 thread \([0-9]{3},[0-9]{3} jobs in the system'
expect_out ' jobs in the system per replication, [0-9]+ bytes each;'
expect_out 'cap [0-9.]+ [KMGT]B \(half of this machine.s physical memory\)'

# Offered load 2 for 274,000 years: terabytes of queued jobs, more than any machine's half.
cat >"$TMP/grow.cfg" <<'EOF'
run = { replications = 2;
        horizon = "100000000d"; };
cluster = { pools = ( { name = "gpu"; nodes = 5; gpus_per_node = 1; } ); };
workload = { arrivals = { rate = "10/h"; };
  classes = ( { name = "jobs"; service = "exponential(1h)"; } ); };
policies = ( "fcfs" );
EOF
expect_exit 2 "$FGSIM" check "$TMP/grow.cfg"
expect_err "^$TMP/grow.cfg:2: estimated peak memory [0-9.]+ TB exceeds the cap [0-9.]+ [KMGT]B \(half of this machine.s physical memory\): pool gpu.s offered load 2 >= 1"
expect_exit 2 "$FGSIM" run "$TMP/grow.cfg" -o "$TMP/outdir"
expect_err "^$TMP/grow.cfg:2: estimated peak memory"
expect_absent "$TMP/outdir"
expect_exit 2 "$FGSIM" run "$mmc" -o "$TMP/outdir" --set workload.arrivals.rate=10/h --set run.horizon=100000000d
expect_err '^--set run.horizon: estimated peak memory'
expect_absent "$TMP/outdir"
expect_exit 0 "$FGSIM" check "$TMP/grow.cfg" --force
expect_err 'going on \(--force\)'
expect_out '^memory: about [0-9.]+ TB'

# A cap of our own: the bundled M/M/c fits in 1 GB, not in 1 MB; 100,000 replications
# keep more figures than 100 MB.
expect_exit 0 "$FGSIM" check "$mmc" --max-memory 1G
expect_out 'cap 1 GB \(--max-memory\)'
expect_exit 2 "$FGSIM" run "$mmc" -o "$TMP/outdir" --max-memory 1M
expect_err 'mmc.cfg:[0-9]+: estimated peak memory [0-9.]+ MB exceeds the cap 1 MB \(--max-memory\)'
expect_absent "$TMP/outdir"
expect_exit 2 "$FGSIM" check "$mmc" --set run.replications=100000 --max-memory 100M
expect_err '^--set run.replications: .* 1 policies x 100000 replications keep'
expect_exit 2 "$FGSIM" check "$mmc" --max-memory lots
expect_err '--max-memory takes a size'
expect_exit 2 "$FGSIM" run "$mmc" --max-memory
expect_err 'unknown or incomplete option'

# The estimate against the run: a queue that grows to about 240,000 jobs (load 2 for
# 2000 days); run.json keeps both. Not below the peak RSS, nor above three times it.
expect_exit 0 "$FGSIM" run "$mmc" -o "$TMP/u" --quiet --set workload.arrivals.rate=10/h \
	--set run.horizon=2000d --set run.replications=1 --set output.plots=true
expect_err 'warning: pool gpu: offered load 2.000 >= 1'
est=$(python3 -c "import json, sys; print(json.load(open(sys.argv[1]))['memory_estimate_bytes'])" "$TMP/u/run.json")
rss=$(python3 -c "import json, sys; print(json.load(open(sys.argv[1]))['peak_rss_kb'])" "$TMP/u/run.json")
ok; [ -n "$est" ] && [ -n "$rss" ] && [ "$est" -ge $((rss * 1024)) ] && [ "$est" -le $((3 * rss * 1024)) ] ||
	fail "estimate $est bytes against peak RSS $rss KB"
# the report says the scenario is unstable; a stable one's does not
ok; grep -q 'id="unstable"><b>Unstable scenario.</b> pool gpu: offered load 2.000 &gt;= 1' "$TMP/u/report.html" ||
	fail "report.html does not say the scenario is unstable"
expect_exit 0 "$FGSIM" run "$mmc" -o "$TMP/s" --quiet --set run.horizon=20d --set run.replications=2
ok; ! grep -q 'Unstable scenario' "$TMP/s/report.html" || fail "a stable scenario's report says it is unstable"
finish
