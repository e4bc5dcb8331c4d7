# The GPU-sharing placements in ordinary runs (models/platform/gpushare_place.c): each
# runs the bundled Alibaba replay with CPU and memory, the same bytes at -j 1 and -j 2;
# a run that names one states it; a misspelt name gets "did you mean", FILE:LINE, exit 2;
# and the placement changes where the pods go (not every placement alike).
. "$(dirname "$0")/lib.sh"
sc="$ROOT/scenarios/trace-alibaba.cfg"
common="--quiet --set output.plots=false --set run.replications=2 --set run.horizon=6d"
common="$common --set run.warmup=1d --set workload.arrivals.pod_resources=true"
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
finish
