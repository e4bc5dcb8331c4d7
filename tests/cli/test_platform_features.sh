# Burst capacity, balking and tenants from the command line: every bad key or value is
# refused with exit 2, FILE:LINE (or --set KEY) and no output folder; a scenario that
# uses none of them writes the same bytes as before they existed; check describes them.
. "$(dirname "$0")/lib.sh"
out="$TMP/out-dir"

# scenario POOL_EXTRA CLASS_EXTRA TOP_EXTRA > file: the pool is on line 4, the class on
# line 7, the extra top-level text on line 9.
scenario() {
	cat <<EOF
name = "feat";
run = { horizon = "2d"; replications = 2; seed = 3; };
cluster = { pools = (
  { name = "p"; nodes = 2; gpus_per_node = 2; cost_per_gpu_hour = 1.0; price_per_gpu_hour = 2.0; $1 } ); };
workload = {
  arrivals = { rate = "3/h"; };
  classes = ( { name = "a"; share = 1.0; gpus = 1; service = "exponential(1h)"; tenant_mix = "zipf(5, 1.0)"; $2 } ); };
policies = ( "fcfs", "fair-share" );
$3
EOF
}

# bad NAME POOL_EXTRA CLASS_EXTRA TOP_EXTRA REGEX
bad() {
	scenario "$2" "$3" "$4" >"$TMP/$1.cfg"
	expect_exit 2 "$FGSIM" run "$TMP/$1.cfg" -o "$out" --quiet
	expect_err "^$TMP/$1.cfg:$5"
	expect_absent "$out"
	expect_exit 2 "$FGSIM" check "$TMP/$1.cfg"
	expect_err "^$TMP/$1.cfg:$5"
}
bad neg-nodes 'burst = { max_nodes = -1; };' '' '' '4: "max_nodes" = -1 is outside \[0, 100000\]'
bad no-max 'burst = { startup = "5m"; };' '' '' '4: missing key "max_nodes"'
bad bad-startup 'burst = { max_nodes = 2; startup = "ten minutes"; };' '' '' '4: .*ten minutes'
bad zero-startup 'burst = { max_nodes = 2; startup = "0s"; };' '' '' '4: "startup" must be a positive length of time'
bad bad-threshold 'burst = { max_nodes = 2; threshold = "5"; };' '' '' '4: .*"5"'
bad bad-cooldown 'burst = { max_nodes = 2; cooldown = "-3m"; };' '' '' '4: .*-3m'
bad neg-cost 'burst = { max_nodes = 2; cost_per_gpu_hour = -0.5; };' '' '' '4: cost_per_gpu_hour must not be negative'
bad burst-key 'burst = { max_nodes = 2; startp = "5m"; };' '' '' '4: unknown key "startp" \(did you mean "startup"\?\)'
bad burst-type 'burst = 4;' '' '' '4: burst must be a group'
bad balk-scale '' 'balking = { wait_scale = "0s"; };' '' '7: "wait_scale" must be a positive length of time'
bad balk-missing '' 'balking = { price_elasticity = 1.0; };' '' '7: missing key "wait_scale"'
bad balk-elastic '' 'balking = { wait_scale = "30m"; price_elasticity = -1.0; };' '' '7: price_elasticity must lie in \[0, 100\]'
bad balk-key '' 'balking = { wait_scale = "30m"; elasticity = 1.0; };' '' '7: unknown key "elasticity"'
bad weight-neg '' '' 'tenants = { weights = [ 1.0, -2.0 ]; };' '9: tenant weight 2 must lie in \(0, 1e9\]'
bad weight-long '' '' 'tenants = { weights = [ 1, 1, 1, 1, 1, 1 ]; };' '9: weights lists 6 tenants, the scenario has 5'
bad weight-kind '' '' 'tenants = { weights = "zipff"; };' '9: unknown tenant weights "zipff" \(did you mean "zipf"\?\)'
bad quota-small '' '' 'tenants = { quota_gpus = 0.5; };' '9: quota_gpus = 0.5 is below class "a"'
bad quota-zero '' '' 'tenants = { quota_gpus = 0; };' '9: quota_gpus must be positive'
bad tenants-key '' '' 'tenants = { quota_gpu = 2; };' '9: unknown key "quota_gpu" \(did you mean "quota_gpus"\?\)'

# --set into the new groups names the override
scenario 'burst = { max_nodes = 2; };' '' '' >"$TMP/good.cfg"
expect_exit 2 "$FGSIM" run "$TMP/good.cfg" -o "$out" --quiet --set 'cluster.pools.[0].burst.max_nodes=-2'
expect_err '^--set cluster.pools.\[0\].burst.max_nodes: "max_nodes" = -2 is outside'
expect_absent "$out"
expect_exit 2 "$FGSIM" run "$TMP/good.cfg" -o "$out" --quiet --set 'cluster.pools.[0].burst.startup=soon'
expect_err '^--set cluster.pools.\[0\].burst.startup: '
expect_absent "$out"

# check describes what is switched on
scenario 'burst = { max_nodes = 2; startup = "7m"; };' 'balking = { wait_scale = "30m"; };' \
	'tenants = { weights = "zipf"; quota_gpus = 2; };' >"$TMP/all.cfg"
expect_exit 0 "$FGSIM" check "$TMP/all.cfg"
expect_out 'burst: up to 2 nodes .*start-up 7m'
expect_out 'balking: P = 1 - exp'
expect_out 'tenants: 5, fair-share weights given, quota 2 GPUs each'
# ... and what plans ahead: a weekly profile and day 0's weekday, a repeating promotion
# (3d, 5d of a 7d run: 2 times), a forecast trigger (no queue threshold then) and a
# pre-warm; failures and spot laws in time units, as the scenario wrote them
expect_exit 0 "$FGSIM" check "$ROOT/scenarios/fastgpu-promo.cfg" \
	--set 'workload.arrivals.weekly_profile=[1.0,1.0,1.0,1.0,1.1,0.6,0.5]' \
	--set 'run.start_weekday="saturday"' --set 'promotions.[0].repeat="2d"' \
	--set 'cluster.pools.[1].burst.trigger="forecast"' --set 'cluster.pools.[1].burst.prewarm="30m"'
expect_out '^arrivals: 120/h x daily profile x weekly profile$'
expect_out '^  weekly profile \(monday first\): 1 1 1 1 1.1 0.6 0.5; day 0 is a saturday$'
expect_out '^promotion flash-sale: from 3d 20h for 4h, every 2d, 2 times in the run, 50% off'
expect_out '^  burst: up to 16 nodes for the next hour.s expected arrivals \(forecast, target 0.8\), start-up 10m, 0.6 USD/GPU-h'
expect_out '^  burst: pre-warmed 30m before each promotion'
ok; grep -q 'expected wait exceeds' "$TMP/out" && fail "a forecast pool's check names a queue threshold"
expect_exit 0 "$FGSIM" check "$ROOT/scenarios/failures-spot.cfg"
expect_out '^  failures: mtbf exponential\(30d\), repair lognormal\(6h, 1\): available 0.9917'
expect_out '^  spot: reclaimed after exponential\(8h\) with 2m notice, back after exponential\(2h\)$'
expect_out '^promotion sale: from 5d 10h for 6h, every 7d, 2 times in the run'
expect_exit 0 "$FGSIM" run "$TMP/all.cfg" -o "$TMP/all" --quiet --set output.plots=false
for m in balked balk_rate burst_gpu_hours burst_cost burst_nodes_peak fragmentation_gpus; do
	ok; grep -q "^fcfs,all,$m," "$TMP/all/summary.csv" || fail "summary.csv lacks $m"
done

# Nothing configured: mmc.cfg's rows are the bytes fgsim wrote before these features
# (tests/cli/expected/, written by the previous version), new metric rows (and a pool's jobs running at the end) aside.
expect_exit 0 "$FGSIM" run "$ROOT/scenarios/mmc.cfg" -o "$TMP/mmc" --quiet -j 2 --set run.horizon=300d --set output.plots=false
grep -vE -e ',(balked|balk_rate|burst_gpu_hours|burst_cost|fragmentation_gpus|killed|kill_rate|burst_nodes_peak),' \
	-e ',pool:[^,]*,in_system_end,' "$TMP/mmc/summary.csv" >"$TMP/mmc-old-rows.csv"
expect_same "$TMP/mmc-old-rows.csv" "$ROOT/tests/cli/expected/mmc-300d-summary.csv"
# ... and switched on but neutral (no burst node, equal weights) changes no byte either
scenario '' '' '' >"$TMP/plain.cfg"
scenario 'burst = { max_nodes = 0; };' '' 'tenants = { weights = "equal"; };' >"$TMP/neutral.cfg"
for f in plain neutral; do
	expect_exit 0 "$FGSIM" run "$TMP/$f.cfg" -o "$TMP/$f" --quiet --set output.plots=false --set output.jobs=true \
		--set output.timeseries_step=10m
done
for f in summary.csv replications.csv compare.csv jobs.csv timeseries.csv; do
	expect_same "$TMP/plain/$f" "$TMP/neutral/$f"
done
finish
