# Clusters from a node list and scaled trace replay, end to end: pools of mixed node sizes
# never hold more than a node's own GPUs (checked job by job from jobs.csv under load);
# per-pool figures agree with each other and with "all" (a pool paid for GPU-hours ran
# jobs: done, or running at the end); report.html shows the node list's pools;
# arrivals.scale replays each row floor(scale) or floor(scale)+1 times, the same for every
# policy and thread count; bad node lists and bad keys exit 2 with FILE:LINE and no output.
. "$(dirname "$0")/lib.sh"
demo="$ROOT/scenarios/trace-alibaba.cfg"
nodes="$ROOT/scenarios/traces/openb_node_list_sample.csv"
# the hand-written samples (scenarios/traces/README.md): 22 pods on 5 pools of 79 GPUs
sc="$TMP/sample.cfg"
cat >"$sc" <<EOF
run = { horizon = "1d"; warmup = "0s"; replications = 2; seed = 1; };
cluster = { nodes_file = "$nodes"; format = "alibaba";
            cost_per_gpu_hour = 1.0; price_per_gpu_hour = 2.5; minimum_billing = "1m"; };
workload = { arrivals = { process = "trace"; file = "$ROOT/scenarios/traces/openb_pod_list_sample.csv";
                          format = "alibaba"; on_bad = "skip"; }; };
policies = ( "fcfs", "sjf" );
placement = "best-fit";
output = { jobs = true; };
EOF

expect_exit 0 "$FGSIM" check "$sc"
expect_out 'cluster: read from .*openb_node_list_sample.csv \(19 rows: 5 GPU pools, 3 CPU-only nodes left out\)'
expect_out 'pool T4: 4 nodes \(1 x 4 \+ 3 x 2 GPUs\) = 10 T4 GPUs'
expect_out 'memory: about'
expect_exit 0 "$FGSIM" check "$demo"
expect_out 'cluster: read from .*openb_node_list_subset.csv \(7 rows: 4 GPU pools, 0 CPU-only nodes left out\)'
expect_out 'pool T4: 2 nodes \(1 x 4 \+ 1 x 2 GPUs\) = 6 T4 GPUs'
# The offered load: the cluster's once, and per pool each pod's GPU-time spread over the
# pools whose nodes hold it, so the 8-GPU pods load only G2 (not 0.5861 on every pool);
# the pools' figures weighted by their GPUs give the cluster's back.
# counts in the number style: one node, not "1 nodes"
expect_out '^pool P100: 1 node x 2 P100 GPUs, offered load'
expect_out '^pool G2: 3 nodes x 8 G2 GPUs, offered load'
expect_out '^arrivals: replayed from .* \(3,682 rows: 2,782 jobs before the horizon'
expect_out "^offered load: 0.5861 of the cluster's 36 GPUs; per pool, each job split over"
ok; python3 - "$TMP/out" <<'PY' || fail "the pools' offered loads do not split the cluster's"
import re, sys
text = open(sys.argv[1]).read()
load = {}
for name, shape, x in re.findall(r"^pool (\S+): (.*) GPUs, offered load ([0-9.]+)$", text, re.M):
    m = re.search(r"= (\d+) \S+$", shape) or re.match(r"(\d+) nodes? x (\d+) ", shape)
    load[name] = (int(m.group(1)) * (int(m.group(2)) if m.lastindex == 2 else 1), float(x))
assert set(load) == {"P100", "V100M16", "G2", "T4"}, load
assert load["G2"][1] > 0.7 and max(x for n, (g, x) in load.items() if n != "G2") < 0.35, load
mix = sum(g * x for g, x in load.values()) / sum(g for g, x in load.values())
assert abs(mix - 0.5861) < 2e-4, mix
PY

# Per-pool figures, replication by replication, in the sample (whose one V100M16 job runs
# past the horizon: it showed 0 jobs done beside $60 of revenue) and in the demo: the
# pools' jobs done, GPU-hours and revenue add up to "all"; their running jobs at the end
# are some of "all"'s jobs in the system; a pool with revenue or GPU-hours has a job done
# or running. Warm-up 0: a job that arrived in a warm-up is billed after it, not counted.
expect_exit 0 "$FGSIM" run "$sc" -o "$TMP/pools" --quiet
expect_exit 0 "$FGSIM" run "$demo" -o "$TMP/demo" --quiet --set run.warmup=0s --set output.jobs=false
for d in pools demo; do
	ok; python3 - "$TMP/$d/replications.csv" >"$TMP/pp.txt" 2>&1 <<'EOF' || fail "$d: per-pool figures: $(cat "$TMP/pp.txt")"
import csv, sys
from collections import defaultdict
v = defaultdict(dict)  # (policy, rep) -> {(scope, metric): value}
for r in csv.DictReader(open(sys.argv[1])):
    v[r["policy"], r["replication"]][r["scope"], r["metric"]] = float(r["value"]) if r["value"] else 0.0
pools_with_money = 0
for k, f in v.items():
    pools = sorted({s for s, _ in f if s.startswith("pool:")})
    assert len(pools) > 1, f"{k}: no per-pool rows"
    for m in ("jobs_done", "gpu_hours", "revenue"):
        total = sum(f[p, m] for p in pools)
        assert abs(total - f["all", m]) <= 1e-6 * max(1, f["all", m]), f"{k} {m}: pools {total}, all {f['all', m]}"
    running = sum(f[p, "in_system_end"] for p in pools)
    assert running <= f["all", "in_system_end"], f"{k}: {running} running on pools, {f['all', 'in_system_end']} in the system"
    for p in pools:
        ran = f[p, "jobs_done"] + f[p, "in_system_end"]
        if f[p, "revenue"] > 0 or f[p, "gpu_hours"] > 0:
            pools_with_money += 1
            assert ran > 0, f"{k} {p}: revenue {f[p, 'revenue']}, GPU-hours {f[p, 'gpu_hours']} and no job"
        else:
            assert ran == 0, f"{k} {p}: {ran} jobs and no revenue"
assert pools_with_money >= 4, "too few pools ran anything: the check proves little"
print("ok")
EOF
done
# the case the issue found: the sample's V100M16 runs one job past the horizon, no job done
ok; grep -q '^fcfs,pool:V100M16,in_system_end,1,0,2$' "$TMP/pools/summary.csv" ||
	fail "pool V100M16: its job running at the horizon is not counted"
ok; grep -q '^fcfs,pool:V100M16,jobs_done,0,0,2$' "$TMP/pools/summary.csv" ||
	fail "pool V100M16: the sample's job should not be done"

# report.html: the node list's pools in a table (there was none), every table row inside
# a table (the cluster group was a row after the scenario table closed), and the per-pool
# table's jobs running at the end.
ok; python3 - "$TMP/pools/report.html" >"$TMP/rep.txt" 2>&1 <<'EOF' || fail "report: $(cat "$TMP/rep.txt")"
import sys
from html.parser import HTMLParser
class P(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack, self.loose, self.heads, self.cells = [], [], [], []
    def handle_starttag(self, tag, attrs):
        if tag in ("tr", "td", "th") and "table" not in self.stack:
            self.loose.append(tag)
        if tag not in ("br", "img", "meta", "link", "input", "hr", "path", "rect", "circle", "use", "line", "polyline", "polygon", "image"):
            self.stack.append(tag)
    def handle_endtag(self, tag):
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass
    def handle_data(self, d):
        if self.stack and self.stack[-1] == "th":
            self.heads.append(d.strip())
        if self.stack and self.stack[-1] == "td":
            self.cells.append(d.strip())
p = P()
text = open(sys.argv[1]).read()
p.feed(text)
assert not p.loose, f"table parts outside a table: {p.loose}"
for h in ("GPUs per node", "price per GPU-hour", "running at the end"):
    assert h in p.heads, f"no column {h!r}: {p.heads[:40]}"
assert "1 x 4 + 3 x 2" in p.cells, "T4's node sizes are not in the pools table"
assert "Read from the node list" in text
print("ok")
EOF

# Bar charts' y axes: tics from the range, so a utilisation of a few percent reads on
# several tics (it had one, "0", under a fixed 0-20-100), and no exponent in the labels.
ok; sed -n 's/^set yrange \[[-0-9.e]*:\([0-9.e+]*\)\]$/\1/p; s/^set ytics [-0-9.e]*, \([0-9.e+-]*\)$/\1/p' \
	"$TMP/pools/plots/utilization_by_pool.gp" | awk 'NR == 1 { hi = $1 } NR == 2 { step = $1 } END { exit !(step > 0 && hi / step >= 3) }' ||
	fail "utilization_by_pool.gp: fewer than 3 tics: $(grep -E 'yrange|ytics' "$TMP/pools/plots/utilization_by_pool.gp")"
ok; ! grep -q 'e[+-][0-9]' "$TMP/pools/plots/money_by_policy.dat" "$TMP/pools/plots/utilization_by_pool.dat" ||
	fail "bar labels in exponent notation"

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

# CPU and memory (pod_resources): the sample's nodes and pods with their CPU and memory
# and gpu_spec, under load, differ from GPU alone (pods wait for CPU on nodes with GPUs
# free); the same twice and for any -j. cpu_pods: the CPU-only pods arrive too.
for v in false true; do
	expect_exit 0 "$FGSIM" run "$sc" -o "$TMP/res-$v" --quiet --set workload.arrivals.scale=20 \
		--set workload.arrivals.speedup=4 --set output.plots=false --set workload.arrivals.pod_resources=$v
done
done_of() { awk -F, '$1 == "fcfs" && $2 == "all" && $3 == "jobs_done" { print $4 }' "$1/summary.csv"; }
ok; [ "$(done_of "$TMP/res-false")" != "$(done_of "$TMP/res-true")" ] ||
	fail "pod_resources: the same jobs done as GPUs alone ($(done_of "$TMP/res-true"))"
ok; [ "$(done_of "$TMP/res-true")" -lt "$(done_of "$TMP/res-false")" ] ||
	fail "pod_resources: more jobs done with CPU and memory than without"
expect_exit 0 "$FGSIM" run "$sc" -o "$TMP/res-j3" --quiet --set workload.arrivals.scale=20 -j 3 \
	--set workload.arrivals.speedup=4 --set output.plots=false --set workload.arrivals.pod_resources=true
expect_same "$TMP/res-true/summary.csv" "$TMP/res-j3/summary.csv"
expect_exit 0 "$FGSIM" run "$sc" -o "$TMP/cpupods" --quiet --set workload.arrivals.cpu_pods=true --set output.plots=false
arr_of() { awk -F, '$1 == "fcfs" && $2 == "all" && $3 == "arrivals" { print $4 }' "$1/summary.csv"; }
cpu_only=$(awk -F, 'NR > 1 && $4 == 0 && $11 != "" { n++ } END { print n + 0 }' "$ROOT/scenarios/traces/openb_pod_list_sample.csv")
ok; [ "$cpu_only" -gt 0 ] && [ "$(arr_of "$TMP/cpupods")" = "$(( $(arr_of "$TMP/pools") + cpu_only ))" ] ||
	fail "cpu_pods: $(arr_of "$TMP/cpupods") arrivals, wanted $(arr_of "$TMP/pools") + $cpu_only CPU-only pods"
# a pod whose gpu_spec names no model of the cluster, or that no node has the CPU for
pods="$TMP/pods.csv"
head -1 "$ROOT/scenarios/traces/openb_pod_list_sample.csv" >"$pods"
echo 'p0,1000,1024,1,1000,A100,LS,Running,0,100,0' >>"$pods"
expect_exit 2 "$FGSIM" check "$sc" --set workload.arrivals.file="$pods" --set workload.arrivals.pod_resources=true
expect_err "pods.csv:2: no node of class \"LS\"'s pools and its gpu_spec has 1 GPUs"
expect_exit 0 "$FGSIM" check "$sc" --set workload.arrivals.file="$pods"
sed -i 's/A100/T4/; s/^p0,1000,/p0,999000,/' "$pods"
expect_exit 2 "$FGSIM" check "$sc" --set workload.arrivals.file="$pods" --set workload.arrivals.pod_resources=true
expect_err "pods.csv:2: no node .* 999 cores"

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
expect_exit 2 "$FGSIM" check "$TMP/s.cfg" --set workload.arrivals.pod_resources=true
expect_err 'pod_resources.*needs format = "alibaba"'

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
