# The GPU-sharing placements in ordinary runs (models/platform/gpushare_place.c): each
# runs the bundled Alibaba replay with CPU and memory, the same bytes at -j 1 and -j 2;
# a run that names one states it; a misspelt name gets "did you mean", FILE:LINE, exit 2;
# and the placement changes where the pods go (not every placement alike); with CPU limits
# fragmentation_gpus is the paper's measure.
. "$(dirname "$0")/lib.sh"
sc="$ROOT/scenarios/trace-alibaba.cfg"
# the window without its three pods of 8 GPUs and 120 cores, which no node of the 7-node
# subset (96 cores) holds: with CPU and memory the load refuses them (test_need_fits.sh)
awk -F, '!($4 == 8 && $2 > 96000)' "$ROOT/scenarios/traces/openb_pod_list_window.csv" >"$TMP/window.csv"
common="--quiet --set output.plots=false --set run.replications=2 --set run.horizon=6d"
common="$common --set run.warmup=1d --set workload.arrivals.pod_resources=true"
common="$common --set workload.arrivals.file=\"$TMP/window.csv\""
for pl in random dot-product gpu-clustering gpu-packing best-fit-multi fgd; do
	# shellcheck disable=SC2086
	expect_exit 0 "$FGSIM" run "$sc" -o "$TMP/$pl-1" -j 1 $common --set "placement=\"$pl\""
	# shellcheck disable=SC2086
	expect_exit 0 "$FGSIM" run "$sc" -o "$TMP/$pl-2" -j 2 $common --set "placement=\"$pl\""
	expect_same "$TMP/$pl-1/summary.csv" "$TMP/$pl-2/summary.csv"
	expect_same "$TMP/$pl-1/jobs.csv" "$TMP/$pl-2/jobs.csv"
done
# where the pods went differs between placements (node column of jobs.csv)
ok; a=$(cut -d, -f9,10 "$TMP/fgd-1/jobs.csv" | md5sum)
b=$(cut -d, -f9,10 "$TMP/gpu-packing-1/jobs.csv" | md5sum)
[ "$a" != "$b" ] || fail "fgd and gpu-packing placed every pod alike"
ok; a=$(cut -d, -f9,10 "$TMP/random-1/jobs.csv" | md5sum)
[ "$a" != "$b" ] || fail "random and gpu-packing placed every pod alike"

# check names it
expect_exit 0 "$FGSIM" check "$sc" --set 'placement="fgd"'
expect_out '^placement: fgd$'
# the flash sale on openb: GPU shares beside a few 8-GPU jobs load every pool alike, 0.93
# of what packing allows, and 3.6% abandon: no "expect many abandoned jobs" (it warned
# when the 8-GPU jobs went to pools by their GPUs, the T4 pool's 17 four-GPU nodes too)
expect_exit 0 "$FGSIM" check "$ROOT/scenarios/openb-flashsale.cfg"
ok; ! grep -q 'warning' "$TMP/err" || fail "openb-flashsale warns: $(cat "$TMP/err")"
expect_out '^pool T4: 404 nodes .* 0.9333 of what packing allows$'
# ... and at 1.5 times the arrivals it does expect them, on every pool
expect_exit 0 "$FGSIM" check "$ROOT/scenarios/openb-flashsale.cfg" \
	--set workload.arrivals.rate=1230/h
ok; [ "$(grep -c '^warning: pool .*expect many abandoned jobs$' "$TMP/err")" = 7 ] ||
	fail "openb-flashsale at 1230/h: $(cat "$TMP/err")"
# a misspelt one: FILE:LINE, did you mean, exit 2
expect_exit 2 "$FGSIM" check "$sc" --set 'placement="fdg"'
expect_err 'placement.*"fdg".*did you mean "fgd"'
# a synthetic workload: classes are the shapes; fractions of a GPU share GPUs
cat >"$TMP/syn.cfg" <<CFG
name = "syn";
run = { horizon = "2d"; warmup = "0s"; replications = 2; seed = 3; };
cluster = { pools = ( { name = "gpu"; nodes = 4; gpus_per_node = 4; cpus_per_node = 32;
  memory_per_node = 131072; cost_per_gpu_hour = 1.0; price_per_gpu_hour = 2.0; } ); };
workload = { arrivals = { rate = "30/h"; };
  classes = ( { name = "a"; share = 0.7; gpus = 0.5; cpus = 4; service = "exponential(1h)"; },
              { name = "b"; share = 0.3; gpus = 2; cpus = 8; service = "exponential(2h)"; } ); };
policies = ( "fcfs" );
placement = "fgd";
output = { plots = false; jobs = true; };
CFG
expect_exit 0 "$FGSIM" run "$TMP/syn.cfg" -o "$TMP/syn1" -j 1 --quiet
expect_exit 0 "$FGSIM" run "$TMP/syn.cfg" -o "$TMP/syn2" -j 2 --quiet
expect_same "$TMP/syn1/summary.csv" "$TMP/syn2/summary.csv"

# fragmentation_gpus with CPU limits is the paper's (docs/outputs.md): run.json says so,
# and a policy without a head (easy-backfill) reports it too; without CPU, the old one
ok; grep -q '"fragmentation": "paper"' "$TMP/syn1/run.json" || fail "run.json does not name the paper's measure"
expect_exit 0 "$FGSIM" run "$TMP/syn.cfg" -o "$TMP/syn-gpu" --quiet \
	--set 'workload.classes.[0].cpus=0' --set 'workload.classes.[1].cpus=0'
ok; ! grep -q '"fragmentation"' "$TMP/syn-gpu/run.json" || fail "a GPU-only run names a measure"
# a node of 4 GPUs and 8 cores, jobs of 1 GPU and 8 cores: a busy node's 3 other GPUs are
# free and no task can use them. The head-based measure sees none (a 1-GPU job fits
# wherever a GPU is free); the paper's sees 3 a busy node: 3 x 16 x utilization.
sed -e 's/cpus_per_node = 32/cpus_per_node = 8/' -e 's/rate = "30\/h"/rate = "8\/h"/' \
	-e 's/gpus = 0.5; cpus = 4/gpus = 1; cpus = 8/' -e 's/gpus = 2; cpus = 8/gpus = 1; cpus = 8/' \
	-e 's/"fcfs"/"fcfs", "easy-backfill"/' "$TMP/syn.cfg" >"$TMP/cpu.cfg"
expect_exit 0 "$FGSIM" run "$TMP/cpu.cfg" -o "$TMP/cpu" --quiet
for pol in fcfs easy-backfill; do
	ok; awk -F, -v p="$pol" '$1 == p && $2 == "all" { v[$3] = $4 }
		END { g = 48 * v["utilization"]; f = v["fragmentation_gpus"]
		      exit !(f > 1 && f - g < 1e-6 * g && g - f < 1e-6 * g) }' "$TMP/cpu/summary.csv" ||
		fail "$pol: fragmentation_gpus is not 3 GPUs a busy node: $(grep -E "^$pol,all,(frag|util)" "$TMP/cpu/summary.csv")"
done
finish
