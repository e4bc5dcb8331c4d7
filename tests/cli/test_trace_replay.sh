# Trace replay end to end: the hand-written Alibaba-format sample replays every scheduled
# GPU pod as a job, the same jobs for every policy and thread count; the bundled demo
# (two weeks of the real trace) queues, keeps its cluster busy, differs between
# replications and counts its arrivals on the console as summary.csv does; bad traces are
# refused with the trace's own FILE:LINE (or skipped and counted), before any output.
. "$(dirname "$0")/lib.sh"
demo="$ROOT/scenarios/trace-alibaba.cfg"
# the small hand-written sample (scenarios/traces/README.md), whose counts are known
sc="$TMP/sample.cfg"
cat >"$sc" <<EOF
run = { horizon = "1d"; warmup = "0s"; replications = 2; seed = 1; };
cluster = { nodes_file = "$ROOT/scenarios/traces/openb_node_list_sample.csv"; format = "alibaba";
            cost_per_gpu_hour = 1.0; price_per_gpu_hour = 2.5; minimum_billing = "1m"; };
workload = { arrivals = { process = "trace"; file = "$ROOT/scenarios/traces/openb_pod_list_sample.csv";
                          format = "alibaba"; on_bad = "skip"; }; };
policies = ( "fcfs", "sjf" );
placement = "best-fit";
output = { jobs = true; plots = false; };
EOF

expect_exit 0 "$FGSIM" check "$sc"
expect_out '30 rows: 22 jobs before the horizon, 0 after it, 8 skipped, 0 rejected'
expect_exit 0 "$FGSIM" run "$sc" -o "$TMP/a" --quiet
expect_exit 0 "$FGSIM" run "$sc" -o "$TMP/b" --quiet -j 2
expect_same "$TMP/a/summary.csv" "$TMP/b/summary.csv"
expect_same "$TMP/a/jobs.csv" "$TMP/b/jobs.csv"
# every policy, every replication: the 22 jobs, all accounted for
ok; [ "$(grep -c ',all,arrivals,22,0,2$' "$TMP/a/summary.csv")" = 2 ] || fail "arrivals are not 22 for both policies"
ok; [ "$(awk -F, '$3=="all" && $4=="arrivals" {a=$5} $3=="all" && $4=="jobs_done" {d=$5} $3=="all" && $4=="in_system_end" {s=$5} $3=="all" && $4=="abandoned" {b=$5} END {print a - d - s - b}' "$TMP/a/replications.csv")" = 0 ] || fail "conservation"
ok; [ "$(grep -c '^fcfs,0,' "$TMP/a/jobs.csv")" = 22 ] || fail "jobs.csv does not hold the 22 jobs of replication 0"
# The console's count is the jobs that arrived, as summary.csv counts them, under scale
# too (it said "22 jobs replayed" when scale 7.5 made about 165 arrive).
console_count() { sed -n 's/^trace: \([0-9,.]*\) jobs arrived.*/\1/p' "$TMP/out" | tr -d ,; }
same_number() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a != "" && b != "" && (a - b) ^ 2 < 0.01) }'; }
for s in 1 7.5; do
	expect_exit 0 "$FGSIM" run "$sc" -o "$TMP/n$s" --set workload.arrivals.scale=$s
	want=$(awk -F, '$1=="fcfs" && $2=="all" && $3=="arrivals" {print $4}' "$TMP/n$s/summary.csv")
	ok; same_number "$(console_count)" "$want" ||
		fail "scale $s: the console says '$(console_count)' jobs arrived, summary.csv $want"
done
expect_out 'each replayed 7.5 times on average'
ok; awk -v a="$want" 'BEGIN { exit !(a > 100) }' || fail "scale 7.5: only $want arrivals"

# The bundled demo: thousands of real pods on 36 GPUs. It queues (p95 wait above 0 under
# fcfs), keeps the GPUs busy (the old 22-pod sample: 4%), and its replications differ
# (scale 0.9 draws the pods each one replays; a pure replay would be identical).
expect_exit 0 "$FGSIM" check "$demo"
expect_out '3,682 rows: 2,782 jobs before the horizon'
expect_exit 0 "$FGSIM" run "$demo" -o "$TMP/demo" --set output.plots=false
get() { awk -F, -v p="$1" -v s="$2" -v m="$3" '$1==p && $2==s && $3==m {print $4}' "$TMP/demo/summary.csv"; }
ok; awk -v w="$(get fcfs all wait_p95)" 'BEGIN { exit !(w > 0) }' || fail "demo: fcfs p95 wait $(get fcfs all wait_p95), not above 0"
ok; awk -v u="$(get fcfs all utilization)" 'BEGIN { exit !(u > 0.4) }' || fail "demo: utilisation $(get fcfs all utilization)"
ok; awk -v a="$(get fcfs all arrivals)" 'BEGIN { exit !(a > 2000) }' || fail "demo: only $(get fcfs all arrivals) arrivals"
per_rep() { awk -F, -v m="$1" '$1=="fcfs" && $3=="all" && $4==m {print $5}' "$TMP/demo/replications.csv" | sort -u | wc -l; }
ok; [ "$(per_rep arrivals)" -gt 5 ] || fail "demo: the replications replay the same pods"
ok; [ "$(per_rep wait_mean)" -gt 5 ] || fail "demo: the replications wait the same"
ok; same_number "$(console_count)" "$(get fcfs all arrivals)" ||
	fail "demo: the console says '$(console_count)' jobs arrived, summary.csv $(get fcfs all arrivals)"
expect_out '^trace: [0-9,.]+ jobs arrived after the warm-up \(mean over 10 replications'

# time compression: speedup 2 halves every submit time
expect_exit 0 "$FGSIM" run "$sc" -o "$TMP/c" --quiet --set workload.arrivals.speedup=2
ok; [ "$(awk -F, '$1=="fcfs" && $2==0 && $3==5 {print $6}' "$TMP/c/jobs.csv")" = 1800 ] || fail "speedup 2: job 5 should arrive at 1800 s"

# bad traces
head -1 "$ROOT/scenarios/traces/fgsim_sample.csv" >"$TMP/empty.csv"
sed -n '1,4p' "$ROOT/scenarios/traces/fgsim_sample.csv" >"$TMP/bad.csv"
echo '100,inference,t1,one,60' >>"$TMP/bad.csv"
sed -n '5,9p' "$ROOT/scenarios/traces/fgsim_sample.csv" >>"$TMP/bad.csv"
printf 'submit,class,tenant,gpus,duration\n0,inference,t1,64,60\n' >"$TMP/big.csv"
printf 'submit,class,tenant,gpus,duration\n0,mystery,t1,1,60\n' >"$TMP/unknown.csv"
for f in empty bad big unknown; do
	cat >"$TMP/$f.cfg" <<EOF2
run = { horizon = "1d"; replications = 2; };
cluster = { pools = ( { name = "p"; nodes = 2; gpus_per_node = 8; } ); };
workload = { arrivals = { process = "trace"; file = "$f.csv"; };
  classes = ( { name = "inference"; }, { name = "training"; } ); };
policies = ( "fcfs" );
EOF2
done
expect_exit 2 "$FGSIM" run "$TMP/empty.cfg" -o "$TMP/outdir"
expect_err 'empty.csv'
expect_exit 2 "$FGSIM" run "$TMP/bad.cfg" -o "$TMP/outdir"
expect_err 'bad.csv:5: '
expect_exit 0 "$FGSIM" check "$TMP/bad.cfg" --set workload.arrivals.on_bad=skip
expect_out '1 rejected'
expect_exit 2 "$FGSIM" run "$TMP/big.cfg" -o "$TMP/outdir"
expect_err 'big.csv:2: a job of 64 GPUs, more than class "inference".s pools can run'
expect_exit 2 "$FGSIM" run "$TMP/unknown.cfg" -o "$TMP/outdir"
expect_err 'unknown.csv:2: class "mystery" is not one of the scenario.s classes'
expect_absent "$TMP/outdir"
expect_exit 2 "$FGSIM" check "$sc" --set workload.arrivals.rate=5/h
expect_err 'a replayed trace brings its own arrival times'
# A large head job that abandons lets the small job behind it start at that moment,
# not at the next departure: job 0 holds 2 of 4 GPUs until 1000 s, job 1 (4 GPUs)
# waits and gives up at 110 s, job 2 (1 GPU) starts then.
printf 'submit,class,tenant,gpus,duration\n0,c,t1,2,1000\n10,c,t1,4,60\n20,c,t1,1,60\n' >"$TMP/head.csv"
cat >"$TMP/head.cfg" <<EOF2
run = { horizon = "1d"; replications = 1; };
cluster = { pools = ( { name = "p"; nodes = 1; gpus_per_node = 4; } ); };
workload = { arrivals = { process = "trace"; file = "head.csv"; };
  classes = ( { name = "c"; patience = "constant(100s)"; } ); };
policies = ( "fcfs" );
output = { plots = false; jobs = true; };
EOF2
expect_exit 0 "$FGSIM" run "$TMP/head.cfg" -o "$TMP/head" --quiet
ok; [ "$(awk -F, '$3==1 {print $8 "," $14}' "$TMP/head/jobs.csv")" = "110,abandoned" ] || fail "job 1 should abandon at 110 s"
ok; [ "$(awk -F, '$3==2 {print $7}' "$TMP/head/jobs.csv")" = 110 ] || fail "job 2 should start at 110 s, when the head abandoned"
finish
