# Clusters from a node list and scaled trace replay, end to end: pools of mixed node sizes
# never hold more than a node's own GPUs (checked job by job from jobs.csv under load);
# arrivals.scale replays each row floor(scale) or floor(scale)+1 times, the same for every
# policy and thread count; bad node lists and bad keys exit 2 with FILE:LINE and no output.
. "$(dirname "$0")/lib.sh"
sc="$ROOT/scenarios/trace-alibaba.cfg"
nodes="$ROOT/scenarios/traces/openb_node_list_sample.csv"

expect_exit 0 "$FGSIM" check "$sc"
expect_out 'cluster: read from .*openb_node_list_sample.csv \(19 rows: 5 GPU pools, 3 CPU-only nodes left out\)'
expect_out 'pool T4: 4 nodes \(1 x 4 \+ 3 x 2 GPUs\) = 10 T4 GPUs'
expect_out 'memory: about'

# Under load (each pod 20 times, time compressed 4x), every node of every pool: never
# more GPUs in use than the node has, and some node of a smaller size filled exactly.
expect_exit 0 "$FGSIM" run "$sc" -o "$TMP/load" --quiet --set workload.arrivals.scale=20 \
	--set workload.arrivals.speedup=4 --set output.plots=false
ok; python3 -c "import json, sys; n = json.load(open(sys.argv[1]))['nodes_file']; \
assert n['file'].endswith('openb_node_list_sample.csv') and (n['rows'], n['pools'], n['cpu_only_skipped']) == (19, 5, 3), n" \
	"$TMP/load/run.json" 2>/dev/null ||
	fail "run.json does not keep the node list's counts"
ok; python3 - "$nodes" "$TMP/load/jobs.csv" >"$TMP/cap.txt" 2>&1 <<'EOF' || fail "node capacity: $(cat "$TMP/cap.txt")"
import csv, sys
from collections import defaultdict
sizes = defaultdict(list)  # pool -> node sizes, numbered the largest first
for r in csv.DictReader(open(sys.argv[1])):
    if int(r["gpu"]) > 0:
        sizes[r["model"]].append(int(r["gpu"]))
for p in sizes:
    sizes[p].sort(reverse=True)
events = defaultdict(list)  # (policy, rep, pool, node) -> (t, +-gpus)
gpu_events = defaultdict(list)
placed = 0
for r in csv.DictReader(open(sys.argv[2])):
    if not r["pool"]:
        continue
    placed += 1
    key, pool, g = (r["policy"], r["replication"]), r["pool"], float(r["gpus"])
    t0, t1 = float(r["start"]), float(r["end"])
    where = r["node"]
    if "+" in where:  # a gang: whole nodes
        parts = [(int(n), sizes[pool][int(n)]) for n in where.split("+")]
    elif ":" in where:  # a fraction on one GPU
        n, gpu = map(int, where.split(":"))
        parts = [(n, g)]
        gpu_events[key + (pool, n, gpu)] += [(t0, 1, g), (t1, 0, -g)]
    else:
        parts = [(int(where), g)]
    for n, use in parts:
        assert n < len(sizes[pool]), f"node {n} of pool {pool} does not exist"
        events[key + (pool, n)] += [(t0, 1, use), (t1, 0, -use)]
full_small = 0
for k, ev in events.items():
    size, use = sizes[k[2]][k[3]], 0
    for t, _, d in sorted(ev):  # ends before starts at the same time
        use += d
        assert use <= size + 1e-9, f"{k}: {use} GPUs in use at t={t} on a node of {size}"
        full_small |= size < max(sizes[k[2]]) and abs(use - size) < 1e-9
for k, ev in gpu_events.items():
    use = 0
    for t, _, d in sorted(ev):
        use += d
        assert use <= 1 + 1e-9, f"{k}: GPU shared beyond 100% ({use}) at t={t}"
assert placed > 1000, f"only {placed} jobs placed: not a load test"
assert full_small, "no smaller node was ever filled: the check proves nothing"
print("ok", placed)
EOF
cat "$TMP/cap.txt"

# Scale: a generated trace of 2000 one-GPU jobs on a pool that never queues.
awk 'BEGIN { print "submit,class,tenant,gpus,duration"; for (i = 0; i < 2000; i++) print i * 30 ",jobs,,1,10" }' >"$TMP/t.csv"
cat >"$TMP/s.cfg" <<'EOF'
run = { horizon = "1d"; warmup = "0s"; replications = 3; seed = 5; };
cluster = { pools = ( { name = "p"; nodes = 4; gpus_per_node = 8; } ); };
workload = { arrivals = { process = "trace"; file = "t.csv"; scale = 2; }; };
policies = ( "fcfs", "sjf" );
output = { plots = false; };
EOF
arrivals() { awk -F, '$3 == "all" && $4 == "arrivals" { print $1, $2, $5 }' "$1/replications.csv"; }
expect_exit 0 "$FGSIM" run "$TMP/s.cfg" -o "$TMP/s2" --quiet
ok; [ "$(arrivals "$TMP/s2" | awk '$3 != 4000' | wc -l)" = 0 ] || fail "scale 2: not 4000 arrivals in every replication: $(arrivals "$TMP/s2")"
# 0.5 and 1.5: binomial counts, n = 2000 rows with p = 0.5, inside 3.29 sd (99.9%) of
# n x scale; the same for both policies (common random numbers), not the same in every
# replication (a stream per replication); byte-identical for any -j.
for s in 0.5 1.5; do
	expect_exit 0 "$FGSIM" run "$TMP/s.cfg" -o "$TMP/s$s" --quiet --set workload.arrivals.scale=$s
	expect_exit 0 "$FGSIM" run "$TMP/s.cfg" -o "$TMP/s$s-j3" --quiet --set workload.arrivals.scale=$s -j 3
	expect_same "$TMP/s$s/replications.csv" "$TMP/s$s-j3/replications.csv"
	ok; arrivals "$TMP/s$s" | awk -v s=$s '{ m = 2000 * s; if (($3 - m) ^ 2 > (3.29 * sqrt(2000 * 0.25)) ^ 2) bad = 1 } END { exit bad }' ||
		fail "scale $s: an arrival count beyond 3.29 sd of $((2000)) x $s: $(arrivals "$TMP/s$s")"
	ok; [ "$(arrivals "$TMP/s$s" | awk '{ a[$2] = a[$2] " " $3 } END { for (r in a) print a[r] }' | awk '$1 != $2' | wc -l)" = 0 ] ||
		fail "scale $s: policies saw different arrivals: $(arrivals "$TMP/s$s")"
	ok; [ "$(arrivals "$TMP/s$s" | awk '$1 == "fcfs" { print $3 }' | sort -u | wc -l)" -gt 1 ] ||
		fail "scale $s: every replication had the same count: $(arrivals "$TMP/s$s")"
done
expect_exit 0 "$FGSIM" run "$TMP/s.cfg" -o "$TMP/s0.5-again" --quiet --set workload.arrivals.scale=0.5
expect_same "$TMP/s0.5/summary.csv" "$TMP/s0.5-again/summary.csv"
# scale and speedup together: both copies of the row at 600 s arrive at 300 s
expect_exit 0 "$FGSIM" run "$TMP/s.cfg" -o "$TMP/sp" --quiet --set workload.arrivals.speedup=2 --set output.jobs=true
ok; [ "$(awk -F, '$1 == "fcfs" && $2 == 0 && $6 == 300' "$TMP/sp/jobs.csv" | wc -l)" = 2 ] || fail "scale 2, speedup 2: not two jobs at 300 s"

# Bad scale and misplaced keys.
expect_exit 2 "$FGSIM" run "$TMP/s.cfg" -o "$TMP/outdir" --set workload.arrivals.scale=0
expect_err '^--set workload.arrivals.scale: scale must lie in \(0, 1000\]'
sed 's/scale = 2;/scale = -1;/' "$TMP/s.cfg" >"$TMP/neg.cfg"
expect_exit 2 "$FGSIM" run "$TMP/neg.cfg" -o "$TMP/outdir"
expect_err '^.*neg.cfg:3: scale must lie'
cat >"$TMP/pois.cfg" <<'EOF'
run = { horizon = "1d"; };
cluster = { pools = ( { name = "p"; nodes = 4; gpus_per_node = 8; } ); };
workload = { arrivals = { process = "poisson"; rate = "1/h";
                          scale = 2; };
  classes = ( { name = "a"; service = "exponential(1h)"; } ); };
policies = ( "fcfs" );
EOF
expect_exit 2 "$FGSIM" check "$TMP/pois.cfg"
expect_err 'pois.cfg:4: "scale" applies to a replayed trace'

# Bad node lists: the node list's own FILE:LINE; bad cluster groups: the scenario's.
cfg_with() { # cfg_with NAME CLUSTER-GROUP
	cat >"$TMP/$1.cfg" <<EOF
run = { horizon = "1d"; };
cluster = $2;
workload = { arrivals = { process = "trace"; file = "t.csv"; }; };
policies = ( "fcfs" );
EOF
}
nodes_with() { printf 'sn,cpu_milli,memory_mib,gpu,model\nn0,1000,1000,8,A\n%s\nn2,1000,1000,4,A\n' "$2" >"$TMP/$1.csv"; cfg_with "$1" "{ nodes_file = \"$1.csv\"; }"; }
nodes_with n_bad 'n1,1000,1000,x,A'
nodes_with n_big 'n1,1000,1000,65,A'
nodes_with n_nomodel 'n1,1000,1000,2,'
nodes_with n_fields 'n1,1000,1000,2'
for f in n_bad n_big n_nomodel n_fields; do
	expect_exit 2 "$FGSIM" run "$TMP/$f.cfg" -o "$TMP/outdir"
	expect_err "^$TMP/$f.csv:3: "
done
expect_err 'expected 5 fields'
expect_exit 2 "$FGSIM" check "$TMP/n_big.cfg"
expect_err 'gpu "65" is not a whole number from 0 to 64'
cfg_with both "{ nodes_file = \"n_bad.csv\";
  pools = ( { name = \"p\"; nodes = 1; gpus_per_node = 1; } ); }"
expect_exit 2 "$FGSIM" run "$TMP/both.cfg" -o "$TMP/outdir"
expect_err 'both.cfg:3: give either "pools" or "nodes_file", not both'
cfg_with fmt "{ nodes_file = \"n_bad.csv\"; format = \"google\"; }"
expect_exit 2 "$FGSIM" run "$TMP/fmt.cfg" -o "$TMP/outdir"
expect_err 'fmt.cfg:2: unknown node list format "google"'
cfg_with money "{ cost_per_gpu_hour = 1.0;
  pools = ( { name = \"p\"; nodes = 1; gpus_per_node = 1; } ); }"
expect_exit 2 "$FGSIM" run "$TMP/money.cfg" -o "$TMP/outdir"
expect_err 'money.cfg:2: "cost_per_gpu_hour" goes with "nodes_file"'
cfg_with price "{ nodes_file = \"$nodes\"; price_per_gpu_hour = -1; }"
expect_exit 2 "$FGSIM" run "$TMP/price.cfg" -o "$TMP/outdir"
expect_err 'price.cfg:2: price_per_gpu_hour must not be negative'
cfg_with missing "{ nodes_file = \"nowhere.csv\"; }"
# a file that cannot be read is placed where the scenario names it; a bad row, in the file
expect_exit 2 "$FGSIM" run "$TMP/missing.cfg" -o "$TMP/outdir"
expect_err '^[^ ]*missing.cfg:2: .*nowhere.csv: cannot open'
expect_exit 2 "$FGSIM" run "$sc" -o "$TMP/outdir" --set cluster.nodes_file=nowhere.csv
expect_err '^--set cluster.nodes_file: .*nowhere.csv: cannot open'
# a trace job bigger than any node of the node list's pools
printf 'submit,class,tenant,gpus,duration\n0,a,,12,60\n' >"$TMP/t12.csv"
cfg_with big "{ nodes_file = \"$nodes\"; }"
sed -i 's/t.csv/t12.csv/' "$TMP/big.cfg"
expect_exit 2 "$FGSIM" run "$TMP/big.cfg" -o "$TMP/outdir"
expect_err 't12.csv:2: a job of 12 GPUs'
expect_absent "$TMP/outdir"
finish
