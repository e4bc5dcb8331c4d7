# A job's CPU and memory must fit its pools at load (models/scenario/scenario_workload.c,
# ld_need_fits): one node with its GPUs, CPU and memory together, or for a gang (more GPUs
# than a node has) the whole nodes it takes, their CPU and memory added up. Otherwise
# FILE:LINE, exit 2: a job that never fits would wait for ever.
. "$(dirname "$0")/lib.sh"
# cfg NAME POOLS CLASS: a scenario with those pools and one class
cfg() {
	cat >"$TMP/$1.cfg" <<CFG
name = "$1";
run = { horizon = "1d"; warmup = "0s"; replications = 1; seed = 1; };
cluster = { pools = ( $2 ); };
workload = { arrivals = { rate = "2/h"; };
  classes = ( { name = "a"; share = 1.0; $3 service = "exponential(1h)"; } ); };
policies = ( "fcfs" );
CFG
}
big='{ name = "big"; nodes = 4; gpus_per_node = 8; cpus_per_node = 96; memory_per_node = 262144; }'
# a gang of 2 nodes: 192 cores and 524288 MiB together, more than one node has
cfg gang "$big" 'gpus = 16; cpus = 160; memory = 500000;'
expect_exit 0 "$FGSIM" check "$TMP/gang.cfg"
cfg gang-cpu "$big" 'gpus = 16; cpus = 200;'
expect_exit 2 "$FGSIM" check "$TMP/gang-cpu.cfg"
expect_err 'gang-cpu.cfg:5: class "a" asks for 16 GPUs, 200 cores and 0 MiB: a gang takes whole nodes'
cfg gang-mem "$big" 'gpus = 16; memory = 600000;'
expect_exit 2 "$FGSIM" check "$TMP/gang-mem.cfg"
expect_err 'gang-mem.cfg:5: class "a" asks for 16 GPUs, 0 cores and 600000 MiB: a gang'
# the GPUs, CPU and memory on one node together: the 2-GPU node has the cores, the
# 8-GPU nodes the GPUs, neither both, and one 2-GPU node is no gang of 4 GPUs (before,
# any node with the cores would do)
two="$big, { name = \"small\"; nodes = 1; gpus_per_node = 2; cpus_per_node = 128; }"
cfg joint "$two" 'gpus = 4; cpus = 100;'
expect_exit 2 "$FGSIM" check "$TMP/joint.cfg"
expect_err 'joint.cfg:5: class "a" asks for 4 GPUs, 100 cores and 0 MiB: no node of its pools has that much'
cfg joint-ok "$two" 'gpus = 2; cpus = 100;'
expect_exit 0 "$FGSIM" check "$TMP/joint-ok.cfg"
# a node without a limit (cpus_per_node 0) has any
cfg nolimit '{ name = "p"; nodes = 2; gpus_per_node = 8; }' 'gpus = 16; cpus = 1000;'
expect_exit 0 "$FGSIM" check "$TMP/nolimit.cfg"
# the run refuses it the same way, creating nothing
expect_exit 2 "$FGSIM" run "$TMP/gang-cpu.cfg" -o "$TMP/out-dir" --quiet
expect_err 'gang-cpu.cfg:5: .*a gang takes whole nodes'
expect_absent "$TMP/out-dir"

# a replayed pod (pod_resources): a 16-GPU pod on the three 8-GPU G2 nodes (96 cores
# each) fits as two whole nodes with 150 cores, not with 200; the pod list's FILE:LINE
sc="$ROOT/scenarios/trace-alibaba.cfg"
pods="$TMP/pods.csv"
head -1 "$ROOT/scenarios/traces/openb_pod_list_sample.csv" >"$pods"
echo 'p0,150000,1024,16,1000,G2,LS,Running,0,100,0' >>"$pods"
expect_exit 0 "$FGSIM" check "$sc" --set workload.arrivals.file="$pods" --set workload.arrivals.pod_resources=true
sed -i 's/^p0,150000,/p0,200000,/' "$pods"
expect_exit 2 "$FGSIM" check "$sc" --set workload.arrivals.file="$pods" --set workload.arrivals.pod_resources=true
expect_err "pods.csv:2: no node of class \"LS\"'s pools and its gpu_spec has 16 GPUs, 200 cores .*\(a gang: nor"
finish
