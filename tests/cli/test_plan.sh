# fgsim plan end to end: on M/M/c the server count it finds is the one Erlang C gives
# for the same target (targets chosen, and checked here, to be far from a knife edge),
# for <= and >= targets; its output form; plan.csv; LO and HI edge cases; input errors.
. "$(dirname "$0")/lib.sh"
mmc="$ROOT/scenarios/mmc.cfg"
nodes=cluster.pools.[0].nodes
nodes_re="cluster\\.pools\\.\\[0\\]\\.nodes"
sim="--quiet --set run.horizon=1000d --set run.replications=8"
lambda=4.5 # per hour, as in mmc.cfg; mean service 1 h
mu=1

# Erlang C's value of a field (Wq in hours, P_wait) at c servers; empty when unstable.
erlang() { "$FGSIM" analytic mmc $lambda $mu "$2" 2>/dev/null | sed -n "s/^$1=//p"; }
# Asserts that a target on field (in Erlang C's units, x scale = the metric's) is not on a
# knife edge at answer c: c meets it with room (x1.4) and c-1 misses it by as much.
far_from_edge() { # FIELD SCALE TARGET C
	lo=$(erlang "$1" $(($4 - 1)))
	hi=$(erlang "$1" "$4")
	ok; python3 -c "import sys; lo=float('${lo:-inf}')*$2; hi=float('$hi')*$2; sys.exit(not (hi*1.4 < $3 < lo/1.4))" ||
		fail "target $3 is on a knife edge for $1: $hi at c=$4, ${lo:-unstable} at c=$(($4 - 1))"
}

# 1. Mean wait at most 3 minutes: Erlang C's smallest c with Wq <= 0.05 h.
answer=$("$FGSIM" analytic min-servers $lambda $mu 0.05 | sed 's/^c=//')
far_from_edge Wq 3600 180 "$answer"
expect_exit 0 "$FGSIM" plan "$mmc" --vary "$nodes=1:20" --target 'wait_mean<=3m' -o "$TMP/p1" $sim -j 2
ok; [ "$(head -1 "$TMP/out")" = "$nodes=$answer" ] || fail "plan said $(head -1 "$TMP/out"), Erlang C says $nodes=$answer"
expect_out "^wait_mean \(all, policy fcfs\) at $nodes_re=$answer: .* min \(95% CI\), one-sided upper bound [0-9.]+ min <= 3\.000 min$"
expect_out "^cost at $nodes_re=$answer: .* USD; profit: "
expect_file "$TMP/p1/plan.csv"
expect_file "$TMP/p1/run.json"
ok; [ "$(head -1 "$TMP/p1/plan.csv")" = "$nodes,policy,scope,metric,mean,half_width,bound,holds,cost,cost_half_width,profit,profit_half_width" ] ||
	fail "plan.csv header: $(head -1 "$TMP/p1/plan.csv")"
# every row's verdict agrees with its bound; the answer holds and one node fewer does not
ok; awk -F, 'NR > 1 && (($7 <= 180) != $8) { bad = 1 } END { exit bad }' "$TMP/p1/plan.csv" || fail "a plan.csv verdict disagrees with its bound"
ok; grep -q "^$answer,.*,1,[^,]*,[^,]*,[^,]*,[^,]*$" "$TMP/p1/plan.csv" || fail "no holding row for $answer"
ok; grep -q "^$((answer - 1)),.*,0,[^,]*,[^,]*,[^,]*,[^,]*$" "$TMP/p1/plan.csv" || fail "no failing row for $((answer - 1))"
ok; [ "$(($(wc -l <"$TMP/p1/plan.csv") - 1))" -le 7 ] || fail "bisection over 20 values tried $(($(wc -l <"$TMP/p1/plan.csv") - 1))"
expect_exit 0 python3 -c "import json; d=json.load(open('$TMP/p1/run.json')); assert d['answer'] == $answer and d['target'] == 'wait_mean<=3m', d"
# the same answer whatever the thread count (common random numbers, same seeds)
expect_exit 0 "$FGSIM" plan "$mmc" --vary "$nodes=1:20" --target 'wait_mean<=3m' -o "$TMP/p1j" $sim
expect_same "$TMP/p1/plan.csv" "$TMP/p1j/plan.csv"

# 2. Share of jobs that wait at most 15%: the smallest c with Erlang C's P_wait <= 0.15.
c=1
while :; do
	p=$(erlang P_wait $c)
	[ -n "$p" ] && python3 -c "import sys; sys.exit(not ($p <= 0.15))" && break
	c=$((c + 1))
done
far_from_edge P_wait 1 0.15 $c
expect_exit 0 "$FGSIM" plan "$mmc" --vary "$nodes=1:16" --target 'p_wait<=0.15' --scope class:jobs -o "$TMP/p2" $sim
ok; [ "$(head -1 "$TMP/out")" = "$nodes=$c" ] || fail "p_wait: plan said $(head -1 "$TMP/out"), Erlang C says $c"

# 3. A >= target on the lower bound: throughput reaches the arrival rate once the queue
# is stable, i.e. at the smallest c that M/M/c accepts (c mu > lambda).
c=1
while [ -z "$(erlang Wq $c)" ]; do c=$((c + 1)); done
expect_exit 0 "$FGSIM" plan "$mmc" --vary "$nodes=1:12" --target 'throughput_per_h>=4.3' -o "$TMP/p3" $sim
ok; [ "$(head -1 "$TMP/out")" = "$nodes=$c" ] || fail "throughput: plan said $(head -1 "$TMP/out"), stability says $c"
expect_out "lower bound .* >= 4.3"

# LO already meets the target: the answer is LO. HI does not: exit 1, said clearly.
expect_exit 0 "$FGSIM" plan "$mmc" --vary "$nodes=12:14" --target 'wait_mean<=3m' -o "$TMP/p4" $sim
ok; [ "$(head -1 "$TMP/out")" = "$nodes=12" ] || fail "LO meets the target: $(head -1 "$TMP/out")"
expect_out "^$nodes_re=12 is the low end of --vary: the target may hold below it too$"
expect_exit 1 "$FGSIM" plan "$mmc" --vary "$nodes=5:6" --target 'wait_mean<=3m' -o "$TMP/p5" $sim
expect_err "not met even at $nodes_re=6"
ok; [ ! -s "$TMP/out" ] || fail "stdout not empty when no answer: $(cat "$TMP/out")"

# A promotion's window as the scope (the planner's question in README).
prom="$ROOT/scenarios/fastgpu-promo.cfg"
expect_exit 0 "$FGSIM" plan "$prom" --vary 'cluster.pools.[1].nodes=4:40' --target 'wait_p95<=30m' --scope window:flash-sale \
	--policy priority -o "$TMP/p6" --quiet --set run.replications=4 --set run.horizon=5d --set 'promotions.[0].start="2d 20:00"'
expect_out '^cluster\.pools\.\[1\]\.nodes=[0-9]+$'
expect_out '^wait_p95 \(window:flash-sale, policy priority\)'

# The flagship's L4 pool has 16 burst nodes: plan says how many its answer leaned on and
# how to ask without them; asked so, it names none and needs more nodes of its own.
short="--quiet --set run.replications=3 --set run.horizon=5d"
expect_exit 0 "$FGSIM" plan "$prom" --vary 'cluster.pools.[1].nodes=2:24' --target 'wait_p95<=5m' --scope window:flash-sale \
	--policy priority -o "$TMP/p7" $short
with=$(sed -n 's/^cluster\.pools\.\[1\]\.nodes=//p' "$TMP/out")
expect_out "^burst nodes used at cluster\.pools\.\[1\]\.nodes=$with: peak [0-9]+ of 16 \(pool l4\), [0-9]{1,3}(,[0-9]{3})*(\.[0-9]+)? GPU-hours, [0-9]{1,3}(,[0-9]{3})*(\.[0-9]+)? USD "
expect_out '^without burst nodes: add --set cluster\.pools\.\[1\]\.burst\.max_nodes=0$'
expect_exit 0 "$FGSIM" plan "$prom" --vary 'cluster.pools.[1].nodes=2:24' --target 'wait_p95<=5m' --scope window:flash-sale \
	--policy priority -o "$TMP/p8" $short --set 'cluster.pools.[1].burst.max_nodes=0'
without=$(sed -n 's/^cluster\.pools\.\[1\]\.nodes=//p' "$TMP/out")
ok; grep -q 'burst' "$TMP/out" && fail "plan without burst nodes mentions them: $(cat "$TMP/out")"
ok; [ -n "$with" ] && [ -n "$without" ] && [ "$without" -gt "$with" ] ||
	fail "without burst nodes the answer ($without) should be above the one with them ($with)"
# run's headline lists them per policy, each policy's peak at most the 16 allowed
expect_exit 0 "$FGSIM" run "$prom" -o "$TMP/r7" --set run.replications=2 --set run.horizon=5d --set output.plots=false \
	--set 'policies=["fcfs","priority"]'
expect_out '^burst nodes \(peak: the most at once in any replication; GPU-hours and cost: means\):$'
expect_out '^  priority:  peak ([0-9]|1[0-6]) of 16 \(pool l4\), [0-9]{1,3}(,[0-9]{3})*(\.[0-9]+)? GPU-hours, [0-9]{1,3}(,[0-9]{3})*(\.[0-9]+)? USD$'

# Input errors: exit 2, a did-you-mean where one is near, no output folder.
e="$TMP/e"
expect_exit 2 "$FGSIM" plan "$mmc" --vary "$nodes=1:20" --target 'wiat_p95<=600' -o "$e" $sim
expect_err 'unknown metric "wiat_p95" \(did you mean "wait_p95"\?\)'
expect_exit 2 "$FGSIM" plan "$mmc" --vary "$nodes=1:20" --target 'wait_p95=600' -o "$e" $sim
expect_err "METRIC<=VALUE or METRIC>=VALUE"
expect_exit 2 "$FGSIM" plan "$mmc" --vary "$nodes=1:20" --target 'wait_p95<=soon' -o "$e" $sim
expect_err "neither a number nor a duration"
expect_exit 2 "$FGSIM" plan "$mmc" --vary "$nodes=1:20" --target 'wait_p95<=600' --scope pool:gpx -o "$e" $sim
expect_err 'did you mean "pool:gpu"'
expect_exit 2 "$FGSIM" plan "$mmc" --vary "$nodes=1:20" --target 'wait_p95<=600' --policy fcsf -o "$e" $sim
expect_err 'did you mean "fcfs"'
expect_exit 2 "$FGSIM" plan "$mmc" --vary "$nodes=1:20" --target 'utilization<=0.5' --scope class:jobs -o "$e" $sim
expect_err "utilization is not reported for scope class:jobs"
expect_exit 2 "$FGSIM" plan "$mmc" --vary "$nodes=1:20:2" --target 'wait_p95<=600' -o "$e" $sim
expect_err "leave the STEP out"
expect_exit 2 "$FGSIM" plan "$mmc" --vary "$nodes=4,8" --target 'wait_p95<=600' -o "$e" $sim
expect_err "one integer key over a range"
expect_exit 2 "$FGSIM" plan "$mmc" --vary "no.such.key=1:20" --target 'wait_p95<=600' -o "$e" $sim
expect_err '^--vary no.such.key: no such key'
expect_exit 2 "$FGSIM" plan "$mmc" --vary "$nodes=0:20" --target 'wait_p95<=600' -o "$e" $sim
expect_err "^--vary $nodes_re: "
expect_exit 2 "$FGSIM" plan "$mmc" --vary "$nodes=1:20" -o "$e" $sim
expect_err "no --target"
expect_exit 2 "$FGSIM" plan "$mmc" --vary "$nodes=1:20" --target 'wait_p95<=600' -o "$e" $sim --set run.replications=1
expect_err "at least 2"
expect_absent "$e"
finish
