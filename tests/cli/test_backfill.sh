# easy-backfill (models/platform/policy_backfill.c): it never delays the head job's reservation
# (checked from jobs.csv by an independent replay, tests/cli/backfill_check.py), it
# beats fcfs on mean wait for a mixed workload on the same arrivals (paired interval
# from compare.csv), and kill_at_estimate kills exactly the jobs whose service exceeds
# their estimate, at their estimate.
. "$(dirname "$0")/lib.sh"

mixed() { # one node of 16 GPUs; small, mid and whole-node jobs; $1 policies, $2 estimate
	cat >"$TMP/bf.cfg" <<CFG
name = "bf";
run = { horizon = "15d"; warmup = "0s"; replications = 10; seed = 21; };
cluster = { pools = ( { name = "gpu"; nodes = 1; gpus_per_node = 16; cost_per_gpu_hour = 1.0; price_per_gpu_hour = 2.0; } ); };
workload = { arrivals = { rate = "2.8/h"; };
  classes = ( { name = "small"; share = 0.6; gpus = 1; service = "exponential(20m)"; $2 },
              { name = "mid"; share = 0.3; gpus = 4; service = "exponential(1h)"; $2 },
              { name = "big"; share = 0.1; gpus = 16; service = "exponential(2h)"; $2 } ); };
policies = ( $1 );
output = { plots = false; jobs = true; };
CFG
}

# Exact estimates: the promise, and the gain over fcfs.
mixed '"fcfs", "easy-backfill"' ''
expect_exit 0 "$FGSIM" run "$TMP/bf.cfg" -o "$TMP/exact" --quiet -j 2
ok; python3 "$ROOT/tests/cli/backfill_check.py" "$TMP/exact/jobs.csv" easy-backfill 16 >"$TMP/check" ||
	fail "easy-backfill delayed a head job: $(cat "$TMP/check")"
cat "$TMP/check"
# ... and the replay can fail: fcfs never backfills, but the same check on a policy
# that jumps the queue (sjf) finds delays
mixed '"sjf"' ''
expect_exit 0 "$FGSIM" run "$TMP/bf.cfg" -o "$TMP/sjf" --quiet -j 2 --set run.replications=2
ok; python3 "$ROOT/tests/cli/backfill_check.py" "$TMP/sjf/jobs.csv" sjf 16 >/dev/null && fail "the replay finds no delay under sjf"
# mean wait: backfill minus fcfs, paired by replication, below zero with its interval
ok; awk -F, '$1 == "easy-backfill" && $2 == "all" && $3 == "wait_mean" { exit !($4 + $5 < 0) }' "$TMP/exact/compare.csv" ||
	fail "easy-backfill does not beat fcfs on mean wait: $(grep 'easy-backfill,all,wait_mean' "$TMP/exact/compare.csv")"
ok; awk -F, '$3 == "killed" && $2 == "all" && $4 != 0 { exit 1 }' "$TMP/exact/summary.csv" || fail "jobs killed without kill_at_estimate"

# Estimates off by a factor in [0.5, 1.5]: with kill_at_estimate, a job is killed if and
# only if its service exceeds its estimate, at start + estimate; the others finish.
mixed '{ name = "easy-backfill"; kill_at_estimate = true; }' 'estimate = "uniform(0.5, 1.5)";'
expect_exit 0 "$FGSIM" run "$TMP/bf.cfg" -o "$TMP/kill" --quiet -j 2 --set run.replications=3
# (times are written with 10 significant digits: the tolerance is their rounding)
ok; awk -F, 'function abs(x) { return x < 0 ? -x : x }
	NR > 1 && $14 == "killed" && !($12 > $13 && abs($8 - $7 - $13) <= 2e-9 * $8 + 1e-9 * $13) { bad++ }
	NR > 1 && $14 == "done" && $12 > $13 * (1 + 1e-12) { bad++ }
	NR > 1 && $14 == "killed" { killed++ } NR > 1 && $14 == "done" { done++ }
	END { printf "%d killed, %d done, %d wrong\n", killed, done, bad; exit !(bad == 0 && killed > 0 && done > 0) }' \
	"$TMP/kill/jobs.csv" >"$TMP/kills" || fail "kill_at_estimate: $(cat "$TMP/kills")"
cat "$TMP/kills"
ok; awk -F, '$2 == "all" && $3 == "kill_rate" { exit !($4 > 0 && $4 < 1) }' "$TMP/kill/summary.csv" || fail "kill_rate missing or out of (0, 1)"

# The reservation on every kind of job and pool: fractions, whole GPUs and gangs of whole
# nodes, two pools (one with burst nodes), wrong estimates with and without kills, and a
# node list of mixed sizes under best-fit. The "all" rows are the bytes the first
# implementation wrote (tests/cli/expected/, written by the version that sorted every
# running job at each pass), so a faster reservation must find the same one.
cat >"$TMP/pools.cfg" <<CFG
name = "bf-pools";
run = { horizon = "3d"; warmup = "6h"; replications = 3; seed = 31; };
cluster = { pools = (
  { name = "big"; nodes = 6; gpus_per_node = 8; cost_per_gpu_hour = 2.0; price_per_gpu_hour = 3.0; },
  { name = "small"; nodes = 10; gpus_per_node = 4; cost_per_gpu_hour = 0.5; price_per_gpu_hour = 1.0;
    burst = { max_nodes = 4; startup = "10m"; threshold = "5m"; cooldown = "15m"; }; } ); };
workload = { arrivals = { rate = "22/h"; };
  classes = (
    { name = "quarter"; share = 0.25; gpus = 0.25; service = "exponential(30m)"; estimate = "uniform(0.5, 1.5)"; pools = [ "small", "big" ]; },
    { name = "half"; share = 0.15; gpus = 0.5; service = "lognormal(40m, 1.0)"; patience = "exponential(2h)"; pools = [ "small" ]; },
    { name = "one"; share = 0.3; gpus = 1; service = "lognormal(30m, 1.0)"; estimate = "uniform(0.3, 1.2)"; pools = [ "big", "small" ]; },
    { name = "four"; share = 0.2; gpus = 4; service = "lognormal(1h, 1.0)"; estimate = "uniform(0.4, 1.3)"; pools = [ "big", "small" ]; },
    { name = "eight"; share = 0.07; gpus = 8; service = "exponential(1h)"; pools = [ "big" ]; },
    { name = "gang"; share = 0.03; gpus = 16; service = "lognormal(2h, 1.0)"; estimate = "uniform(0.7, 1.6)"; pools = [ "big" ]; patience = "exponential(6h)"; } ); };
policies = ( "easy-backfill", { name = "easy-backfill"; kill_at_estimate = true; label = "kill"; } );
output = { plots = false; };
CFG
cat >"$TMP/nodes.cfg" <<CFG
name = "bf-nodes";
run = { horizon = "4d"; warmup = "0s"; replications = 3; seed = 9; };
cluster = { nodes_file = "$ROOT/scenarios/traces/openb_node_list_sample.csv"; format = "alibaba"; cost_per_gpu_hour = 0.5; price_per_gpu_hour = 1.5; };
workload = { arrivals = { rate = "7/h"; };
  classes = (
    { name = "half"; share = 0.2; gpus = 0.5; service = "exponential(40m)"; estimate = "uniform(0.5, 1.5)"; pools = [ "T4", "P100" ]; },
    { name = "one"; share = 0.3; gpus = 1; service = "exponential(1h)"; estimate = "lognormal(1.3, 0.5)"; pools = [ "V100M16", "T4", "P100" ]; },
    { name = "two"; share = 0.2; gpus = 2; service = "exponential(1h)"; pools = [ "T4", "V100M16" ]; },
    { name = "four"; share = 0.15; gpus = 4; service = "lognormal(2h, 1.0)"; estimate = "uniform(0.8, 1.4)"; pools = [ "V100M16", "T4" ]; },
    { name = "eight"; share = 0.1; gpus = 8; service = "constant(2h)"; pools = [ "G2", "V100M16", "V100M32" ]; },
    { name = "gang"; share = 0.05; gpus = 16; service = "exponential(3h)"; estimate = "uniform(0.6, 1.6)"; pools = [ "G2", "V100M32" ]; } ); };
policies = ( "easy-backfill", { name = "easy-backfill"; kill_at_estimate = true; label = "kill"; } );
placement = "best-fit";
output = { plots = false; };
CFG
# ... and a six-hour surge on one pool, when hundreds of jobs of a class wait at once
cat >"$TMP/surge.cfg" <<CFG
name = "bf-surge";
run = { horizon = "2d"; warmup = "0s"; replications = 2; seed = 5; };
cluster = { pools = ( { name = "gpu"; nodes = 12; gpus_per_node = 8; cost_per_gpu_hour = 1.0; price_per_gpu_hour = 2.0; } ); };
workload = { arrivals = { rate = "130/h"; };
  classes = (
    { name = "quarter"; share = 0.2; gpus = 0.25; service = "exponential(20m)"; estimate = "uniform(0.5, 1.5)"; patience = "exponential(3h)"; },
    { name = "one"; share = 0.7; gpus = 1; service = "lognormal(10m, 1.0)"; patience = "exponential(3h)"; },
    { name = "four"; share = 0.08; gpus = 4; service = "lognormal(40m, 1.0)"; estimate = "uniform(0.5, 1.5)"; },
    { name = "gang"; share = 0.02; gpus = 16; service = "exponential(1h)"; estimate = "lognormal(1.3, 0.5)"; } ); };
promotions = ( { name = "surge"; start = "1d"; duration = "6h"; discount = 0.3; demand = 3.0; classes = [ "one", "quarter" ]; } );
policies = ( "easy-backfill", { name = "easy-backfill"; kill_at_estimate = true; label = "kill"; } );
output = { plots = false; };
CFG
for c in pools nodes surge; do
	expect_exit 0 "$FGSIM" run "$TMP/$c.cfg" -o "$TMP/$c" --quiet -j 2
	awk -F, '$2 == "all"' "$TMP/$c/summary.csv" >"$TMP/$c-all.csv"
	expect_same "$TMP/$c-all.csv" "$ROOT/tests/cli/expected/backfill-$c-summary.csv"
done

# kill_at_estimate belongs to easy-backfill
mixed '{ name = "fcfs"; kill_at_estimate = true; }' ''
expect_exit 2 "$FGSIM" run "$TMP/bf.cfg" -o "$TMP/no" --quiet
expect_err 'bf.cfg:8: "kill_at_estimate" applies to the easy-backfill policy only'
expect_absent "$TMP/no"
finish
