# Policy and placement plugins (models/fgsim_plugin.h): the FCFS plugin gives the
# built-in fcfs's summary.csv byte for byte on the flagship scenario; every loading
# error is FILE:LINE, exit 2, no output left; every deliberate breach by a test plugin
# (tests/plugins/) stops the run with the plugin's name and the time, exit 1.
. "$(dirname "$0")/lib.sh"
: "${BUILD:=build}"
case "$BUILD" in /*) ;; *) BUILD="$ROOT/$BUILD" ;; esac
TP="$BUILD/tests/plugins"
out="$TMP/out-dir"

# The same platform under the built-in fcfs and the plugin named "fcfs": every byte of
# summary.csv (and replications.csv) the same, on the flagship scenario and at -j 1 and 2.
flag="$ROOT/scenarios/fastgpu-promo.cfg"
expect_exit 0 "$FGSIM" run "$flag" -o "$TMP/builtin" --quiet -j 2 --set output.plots=false --set 'policies=("fcfs")'
expect_exit 0 "$FGSIM" run "$flag" -o "$TMP/plugin" --quiet -j 1 --set output.plots=false \
	--set 'policies=({ name = "fcfs"; plugin = "../models/plugins/fcfs.so"; })'
expect_same "$TMP/builtin/summary.csv" "$TMP/plugin/summary.csv"
expect_same "$TMP/builtin/replications.csv" "$TMP/plugin/replications.csv"
# ... and it is labelled by its name, beside a built-in (an absolute path works too)
expect_exit 0 "$FGSIM" run "$flag" -o "$TMP/both" --quiet -j 2 --set output.plots=false --set run.replications=2 \
	--set "policies=(\"fcfs\", { name = \"my-fcfs\"; plugin = \"$ROOT/models/plugins/fcfs.so\"; })"
ok; grep -q '^my-fcfs,all,wait_mean,' "$TMP/both/summary.csv" || fail "no my-fcfs rows in summary.csv"

# A small platform to misbehave on: the policy (line 6) and placement come from $1, $2.
scenario() {
	cat >"$TMP/plug.cfg" <<CFG
name = "plug";
run = { horizon = "2d"; warmup = "0s"; replications = 2; seed = 3; };
cluster = { pools = ( { name = "gpu"; nodes = 4; gpus_per_node = 2; cost_per_gpu_hour = 1.0; price_per_gpu_hour = 2.0; } ); };
workload = { arrivals = { rate = "$3"; };
  classes = ( { name = "a"; share = 1.0; gpus = 1; service = "exponential(1h)"; } ); };
policies = ( $1 );
placement = $2;
output = { plots = false; jobs = true; };
CFG
}

# Loading errors: exit 2, FILE:LINE, nothing written.
bad_load() {
	scenario "$1" '"first-fit"' "6/h"
	expect_exit 2 "$FGSIM" run "$TMP/plug.cfg" -o "$out" --quiet
	expect_err "$2"
	expect_absent "$out"
	expect_exit 2 "$FGSIM" check "$TMP/plug.cfg"
	expect_err "$2"
}
bad_load '{ name = "x"; plugin = "nope.so"; }' 'plug.cfg:6: plugin .*/nope.so: No such file or directory'
bad_load "{ name = \"x\"; plugin = \"$TP/nosym.so\"; }" 'plug.cfg:6: plugin .*nosym.so: no symbol "fgsim_policy"'
bad_load "{ name = \"x\"; plugin = \"$TP/old_abi.so\"; }" 'plug.cfg:6: plugin .*old_abi.so: built for plugin ABI 2, this fgsim speaks ABI 1'
bad_load "{ name = \"x\"; plugin = \"$TP/incomplete.so\"; }" 'plug.cfg:6: plugin .*incomplete.so: its table lacks a required function'
bad_load "{ name = \"x\"; plugin = \"$TP/misbehave.so\"; params = { mode = \"reject\"; }; }" \
	'plug.cfg:6: plugin .*misbehave.so rejects its parameters: mode "reject" rejects on purpose'
bad_load "{ name = \"x\"; plugin = \"$ROOT/models/plugins/lottery.so\"; params = { tickets = -1; }; }" \
	'plug.cfg:6: plugin .*lottery.so rejects its parameters: tickets must be a positive number'
bad_load "{ name = \"x\"; plugin = \"$ROOT/models/plugins/lottery.so\"; params = { t9 = 2; }; }" \
	'plug.cfg:6: plugin .*lottery.so rejects its parameters: unknown parameter "t9"'
bad_load "{ name = \"x\"; plugin = \"$ROOT/models/plugins/fcfs.so\"; params = { list = [1, 2]; }; }" \
	'plug.cfg:6: param "list" must be a number, true/false or a string'
bad_load '{ name = "fcfs"; params = { a = 1; }; }' 'plug.cfg:6: params are for a plugin policy'
bad_load "{ name = \"x\"; plugin = \"$ROOT/models/plugins/fcfs.so\"; step = \"1h\"; }" 'plug.cfg:6: "step" applies to a built-in policy'
# a placement plugin's loading errors, at its own line
scenario '"fcfs"' "{ name = \"p\"; plugin = \"$TP/nosym.so\"; }" "6/h"
expect_exit 2 "$FGSIM" run "$TMP/plug.cfg" -o "$out" --quiet
expect_err 'plug.cfg:7: plugin .*nosym.so: no symbol "fgsim_placement"'
expect_absent "$out"
# --set names the key
scenario '"fcfs"' '"first-fit"' "6/h"
expect_exit 2 "$FGSIM" run "$TMP/plug.cfg" -o "$out" --quiet --set 'policies=({ name = "x"; plugin = "gone.so"; })'
expect_err '^--set policies: plugin .*gone.so'
expect_absent "$out"

# Breaches at run time: exit 1, the plugin's name and path, the replication and the
# simulated time, and no results written.
breach() {
	scenario "$1" "$2" "12/h"
	expect_exit 1 "$FGSIM" run "$TMP/plug.cfg" -o "$out" --quiet
	expect_err "$3"
	expect_absent "$out"
}
at='replication [0-9]+, at t = [0-9.e+]+ s'
breach "{ name = \"stale\"; plugin = \"$TP/stale.so\"; }" '"first-fit"' \
	"policy \"stale\" \\(.*stale.so\\), $at: head returned job [0-9]+, which is not waiting"
breach "{ name = \"twice\"; plugin = \"$TP/misbehave.so\"; params = { mode = \"start-twice\"; }; }" '"first-fit"' \
	"policy \"twice\" \\(.*misbehave.so\\), $at: started job [0-9]+, which is not waiting"
breach "{ name = \"nofit\"; plugin = \"$TP/misbehave.so\"; params = { mode = \"start-nofit\"; }; }" '"first-fit"' \
	"policy \"nofit\" \\(.*misbehave.so\\), $at: started job [0-9]+ \\(1 GPUs\\), which does not fit now"
breach "{ name = \"quits\"; plugin = \"$TP/misbehave.so\"; params = { mode = \"fail\"; }; }" '"first-fit"' \
	"policy \"quits\" \\(.*misbehave.so\\), $at: more than 3 jobs waiting, and this policy gives up"
breach '"fcfs"' "{ name = \"node0\"; plugin = \"$TP/misbehave.so\"; }" \
	"placement \"node0\" \\(.*misbehave.so\\), $at: placed job [0-9]+ \\(1 GPUs\\) on pool 0, node 0, GPU -1, where it does not fit"

# A placement plugin that works: last-fit puts the first job on the last node (first-fit
# would use node 0), and no node ever holds more than its 2 GPUs.
scenario '"fcfs"' "{ name = \"lastfit\"; plugin = \"$TP/lastfit.so\"; }" "6/h"
expect_exit 0 "$FGSIM" run "$TMP/plug.cfg" -o "$out" --quiet
ok; first=$(awk -F, 'NR > 1 && $3 == 0 && $2 == 0 { print $10 }' "$out/jobs.csv")
[ "$first" = 3 ] || fail "lastfit: job 0 ran on node '$first', wanted 3"
ok; over=$(awk -F, 'NR > 1 && $14 == "done" && $2 == 0 { print $7, 1; print $8, -1 }' "$out/jobs.csv" | sort -g | awk '{ n += $2; if (n > 8) bad = 1 } END { print bad + 0 }')
[ "$over" = 0 ] || fail "lastfit: more than 8 GPUs busy at once"
# hold: a policy that keeps each queued job until 600 s after its arrival gets a
# schedule call then, when nothing else happens: queued jobs start at arrival + 600 s
# or later, and many exactly then.
scenario "{ name = \"delay\"; plugin = \"$TP/delay.so\"; params = { delay = 600; }; }" '"first-fit"' "6/h"
expect_exit 0 "$FGSIM" run "$TMP/plug.cfg" -o "$TMP/delay" --quiet
ok; awk -F, 'function abs(x) { return x < 0 ? -x : x }
	NR > 1 && $7 != "" && $7 > $6 { queued++; d = $7 - $6; if (d < 600 - 1e-6 * $7) early++; if (abs(d - 600) <= 1e-6 * $7) exact++ }
	END { printf "%d queued, %d early, %d at exactly 600 s\n", queued, early, exact; exit !(early == 0 && exact > 10) }' \
	"$TMP/delay/jobs.csv" >"$TMP/held" || fail "hold: $(cat "$TMP/held")"
cat "$TMP/held"
finish
