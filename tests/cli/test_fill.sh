#!/bin/sh
# test_fill.sh - `fgsim fill`: fill.csv's shape, conservation (allocated + failed =
# arrived at every point past the trace's first pod), the same bytes for any -j, errors
# with FILE:LINE and exit 2. A 40-node cut of the openb cluster keeps it fast.
. "$(dirname "$0")/lib.sh"
S=$TMP/s
mkdir -p $S
head -41 "$ROOT/scenarios/traces/openb/openb_node_list_gpu_node.csv" > $S/nodes.csv
head -301 "$ROOT/scenarios/traces/openb/openb_pod_list_default.csv" > $S/pods.csv
cat > $S/f.cfg <<'C'
name = "f"; run = { horizon = "1d"; replications = 2; seed = 3; };
cluster = { nodes_file = "nodes.csv"; format = "alibaba"; };
workload = { arrivals = { process = "trace"; file = "pods.csv"; format = "alibaba"; on_bad = "skip"; }; };
policies = ( "fcfs" ); output = { plots = false; };
C
expect_exit 0 "$FGSIM" fill $S/f.cfg --seeds 3 -j 1 --quiet -o $TMP/a
expect_file $TMP/a/fill.csv
expect_file $TMP/a/plots/fill_alloc.png
expect_file $TMP/a/plots/fill_frag.svg
expect_file $TMP/a/plots/fill_alloc.gp
ok; [ "$(head -1 $TMP/a/fill.csv)" = "placement,arrived_pct,alloc_pct_mean,alloc_pct_half_width,frag_pct_mean,frag_pct_half_width,failed_pct_mean,n" ] || fail "fill.csv header"
# 6 placements x 131 points (0..130) + header
ok; [ "$(wc -l < $TMP/a/fill.csv)" = 787 ] || fail "fill.csv has $(wc -l < $TMP/a/fill.csv) lines, wanted 787"
# conservation: allocated + failed = arrived demand; at point k the arrived demand is
# k% or a little more (one pod: at most 8 GPUs of 40 nodes' GPUs), never less
ok; awk -F, 'NR > 1 && $2 > 0 && $2 <= 120 { s = $3 + $7; if (s < $2 - 1e-6 || s > $2 + 8 * 100 / 160 + 1e-6) { print; bad = 1 } }
	NR > 1 && $8 != 3 { bad = 1 } END { exit bad }' $TMP/a/fill.csv || fail "allocated + failed != arrived"
# allocation never falls as pods arrive (none leaves)
ok; awk -F, 'NR > 1 { if ($1 == p && $3 < a - 1e-9) bad = 1; p = $1; a = $3 } END { exit bad }' $TMP/a/fill.csv || fail "allocation fell"
expect_exit 0 "$FGSIM" fill $S/f.cfg --seeds 3 -j 3 --quiet -o $TMP/b
expect_same $TMP/a/fill.csv $TMP/b/fill.csv
expect_exit 0 "$FGSIM" fill $S/f.cfg --seeds 2 --placements fgd,random --until 0.5 --quiet -o $TMP/c
ok; [ "$(wc -l < $TMP/c/fill.csv)" = 103 ] || fail "2 placements x 51 points"
expect_exit 0 "$FGSIM" fill $S/f.cfg --seeds 2 --placements gpu-packing --shuffle --quiet -o $TMP/d
# what it says it fills, counts in the number style (1,200 pods; 1 placement, not 1 placements)
head -1201 "$ROOT/scenarios/traces/openb/openb_pod_list_default.csv" > $S/pods1200.csv
expect_exit 0 "$FGSIM" fill $S/f.cfg --set workload.arrivals.file='"pods1200.csv"' --seeds 1 \
	--placements fgd --until 0.1 -o $TMP/g
expect_err '^fill: 40 nodes, [0-9]+ GPUs, 1,200 pods; 1 placement x 1 seed to 10%$'
# the table's columns name the points they read: --until's 130% by default, not "@end"
expect_exit 0 "$FGSIM" fill $S/f.cfg --seeds 2 --placements fgd -o $TMP/t
expect_out '^placement +alloc @100% +alloc @130% +frag @130%$'
expect_out '^fgd +[0-9]+\.[0-9]{2}% +[0-9]+\.[0-9]{2}% +[0-9]+\.[0-9]{2}%$'
# errors
expect_exit 2 "$FGSIM" fill $S/f.cfg --placements fgd,bestfit -o $TMP/e
expect_err 'unknown placement "bestfit"'
expect_exit 2 "$FGSIM" fill $S/f.cfg --until 0 -o $TMP/e
expect_err 'until'
expect_absent $TMP/e
# fill's options are lines of the one option table: checked there, unknown elsewhere
expect_exit 2 "$FGSIM" fill $S/f.cfg --seeds 0 -o $TMP/e
expect_err '--seeds takes a whole number in 1..1000'
expect_exit 2 "$FGSIM" fill $S/f.cfg --placements , -o $TMP/e
expect_err '--placements is empty'
expect_exit 2 "$FGSIM" fill $S/f.cfg -o $TMP/e --until
expect_err 'unknown or incomplete option "--until"'
expect_exit 2 "$FGSIM" run $S/f.cfg --shuffle -o $TMP/e
expect_err 'unknown or incomplete option "--shuffle"'
expect_absent $TMP/e
# fill and run read the node list through one reader (trace_each_node): a bad row gets
# the same FILE:LINE message from both
sed 's/^\(openb-node-0007\),[0-9]*,/\1,9x,/' $S/nodes.csv > $S/n2.csv
sed 's/nodes.csv/n2.csv/' $S/f.cfg > $S/f2.cfg
expect_exit 2 "$FGSIM" check $S/f2.cfg
cp $TMP/err $TMP/err-check
expect_err 'n2.csv:9: '
expect_exit 2 "$FGSIM" fill $S/f2.cfg --quiet -o $TMP/e
expect_same $TMP/err-check $TMP/err
sed 's/^openb-pod-0005,.*/openb-pod-0005,12000,x,1,1000,,LS,Running,0,1,0/' $S/pods.csv > $S/p2.csv
cp $S/p2.csv $S/pods.csv
expect_exit 2 "$FGSIM" fill $S/f.cfg --quiet -o $TMP/e
expect_err 'pods.csv:7: '
finish
