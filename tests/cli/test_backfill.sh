# easy-backfill (models/policy_backfill.c): it never delays the head job's reservation
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

# kill_at_estimate belongs to easy-backfill
mixed '{ name = "fcfs"; kill_at_estimate = true; }' ''
expect_exit 2 "$FGSIM" run "$TMP/bf.cfg" -o "$TMP/no" --quiet
expect_err 'bf.cfg:8: "kill_at_estimate" applies to the easy-backfill policy only'
expect_absent "$TMP/no"
finish
