# `fgsim fill` reads the 5-column pod lists of cluster-trace-gpu-v2023
# (name,cpu_milli,memory_mib,num_gpu,gpu_milli) in whatever order their rows come: 4,000
# pods drawn from the default 11-column list's rows in a shuffled order, given once as a
# 5-column list and once as an 11-column one (gpu_spec emptied, as the 5 columns have
# none), fill the same 40 nodes alike, byte for byte; a run cannot replay either (the
# 5 columns have no times), fill does not need it to.
. "$(dirname "$0")/lib.sh"
S=$TMP/s
mkdir -p "$S"
head -41 "$ROOT/scenarios/traces/openb/openb_node_list_gpu_node.csv" >"$S/nodes.csv"
def="$ROOT/scenarios/traces/openb/openb_pod_list_default.csv"
# a fixed shuffle (awk's own generator, seeded): rows of every kind, CPU-only ones too
awk -F, 'NR > 1' "$def" | awk 'BEGIN { srand(11) } { printf "%.12f\t%s\n", rand(), $0 }' |
	sort -k1,1 | cut -f2- | head -4000 >"$S/rows.txt"
{ echo "name,cpu_milli,memory_mib,num_gpu,gpu_milli"
  awk -F, -v OFS=, '{ print $1, $2, $3, $4, $5 }' "$S/rows.txt"; } >"$S/p5.csv"
{ head -1 "$def"; awk -F, -v OFS=, '{ $6 = ""; print }' "$S/rows.txt"; } >"$S/p11.csv"
ok; [ "$(wc -l <"$S/p5.csv")" = 4001 ] || fail "p5.csv has $(wc -l <"$S/p5.csv") lines"
# the shuffle is real: the rows are out of creation_time order
ok; awk -F, 'NR > 1 && $9 < t { out = 1 } { t = $9 } END { exit !out }' "$S/p11.csv" ||
	fail "the generated list is in creation_time order"
# kinds the lists must both carry: shares, whole GPUs, CPU-only pods
for pat in ',1,[1-9][0-9]*$' ',[2-8],1000$' ',0,0$'; do
	ok; grep -qE "$pat" "$S/p5.csv" || fail "no pod matching $pat"
done
for v in 5 11; do
	cat >"$S/f$v.cfg" <<C
name = "f$v"; run = { horizon = "1d"; replications = 2; seed = 3; };
cluster = { nodes_file = "nodes.csv"; format = "alibaba"; };
workload = { arrivals = { process = "trace"; file = "p$v.csv"; format = "alibaba"; }; };
policies = ( "fcfs" ); output = { plots = false; };
C
	expect_exit 0 "$FGSIM" fill "$S/f$v.cfg" --seeds 3 -j 2 --quiet -o "$TMP/o$v"
	expect_file "$TMP/o$v/fill.csv"
done
expect_same "$TMP/o5/fill.csv" "$TMP/o11/fill.csv"
# and in file order the 5 columns are what fill replays: another order, other numbers
{ head -1 "$S/p5.csv"; tail -n +2 "$S/p5.csv" | sort; } >"$S/p5s.csv"
sed 's/p5.csv/p5s.csv/' "$S/f5.cfg" >"$S/f5s.cfg"
expect_exit 0 "$FGSIM" fill "$S/f5s.cfg" --seeds 3 -j 2 --quiet -o "$TMP/o5s"
ok; ! cmp -s "$TMP/o5/fill.csv" "$TMP/o5s/fill.csv" || fail "the rows' order changed nothing"
# a run replays times: the 5-column list is refused there with FILE:LINE, exit 2
expect_exit 2 "$FGSIM" check "$S/f5.cfg"
expect_err 'p5.csv:1: '
finish
