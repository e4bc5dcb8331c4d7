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
# a missing plugin says where its relative path was taken from, which depends on who named
# it: the file and --set from the scenario's folder, --policy-add from the current one
from_file="a relative path starts from the scenario's folder;"
from_set="a relative path in --set starts from the scenario's folder, as in the file;"
from_cwd='a relative path in --policy-add or --set KEY.\[\+\] starts from the current folder;'
expect_err "plug.cfg:6: plugin $TMP/nope.so: .*\($from_file"
bad_load "{ name = \"x\"; plugin = \"$TMP/nope.so\"; }" \
	"plug.cfg:6: plugin $TMP/nope.so: No such file or directory \(\`make"
in_root() { (cd "$ROOT" && "$@"); }
scenario '"fcfs"' '"first-fit"' "6/h"
nope='{ name = "m"; plugin = "nope.so"; }'
expect_exit 2 in_root "$FGSIM" check "$TMP/plug.cfg" --policy-add "$nope"
expect_err "^--policy-add .*: plugin $ROOT/nope.so: .*\($from_cwd"
expect_exit 2 in_root "$FGSIM" check "$TMP/plug.cfg" --set "policies.[+]=$nope"
expect_err "^--set policies.\[\+\]: plugin $ROOT/nope.so: .*\($from_cwd"
expect_exit 2 in_root "$FGSIM" check "$TMP/plug.cfg" --set "placement=$nope"
expect_err "^--set placement: plugin $TMP/nope.so: .*\($from_set"
bad_load "{ name = \"x\"; plugin = \"$TP/nosym.so\"; }" 'plug.cfg:6: plugin .*nosym.so: no symbol "fgsim_policy"'
bad_load "{ name = \"x\"; plugin = \"$TP/old_abi.so\"; }" 'plug.cfg:6: plugin .*old_abi.so: built for plugin ABI 3, this fgsim speaks ABI 1 to 2'
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
# The same plugin built for ABI 1 (before fgp_api grew the ABI 2 calls) still loads and
# places job for job as the ABI 2 build.
scenario '"fcfs"' "{ name = \"lastfit\"; plugin = \"$TP/lastfit_abi1.so\"; }" "6/h"
expect_exit 0 "$FGSIM" run "$TMP/plug.cfg" -o "$TMP/abi1" --quiet
expect_same "$out/jobs.csv" "$TMP/abi1/jobs.csv"
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

# A plugin that would take fgsim down (tests/plugins/hostile.c) is named instead, and
# no results are published: a loop stops at run.plugin_timeout (exit 1), a crash says
# which plugin before the signal ends fgsim (non-zero; 128 + signal, or a sanitizer's
# 1), exit() from a plugin ends with 1, not its 0. `timeout` turns a hang into a
# failure instead of a blocked test. An existing results folder is left as it was.
hostile() { echo "{ name = \"h\"; plugin = \"$TP/hostile.so\"; params = { mode = \"$1\"; }; }"; }
"$FGSIM" run "$ROOT/scenarios/mmc.cfg" -o "$TMP/kept" --quiet --set run.horizon=20d --set output.plots=false >/dev/null
(cd "$TMP/kept" && ls -A && cat summary.csv) >"$TMP/kept.before"
guard() { # guard STATUS|nonzero REGEX POLICY PLACEMENT [fgsim args...]
	want=$1 re=$2
	rm -rf "$out"
	scenario "$3" "$4" "12/h"
	shift 4
	if [ "$want" = nonzero ]; then
		timeout -k 5 60 "$FGSIM" run "$TMP/plug.cfg" --quiet "$@" >"$TMP/out" 2>"$TMP/err"
		got=$?
		ok; [ "$got" != 0 ] && [ "$got" != 124 ] && [ "$got" != 137 ] || fail "exit $got, wanted a crash: $3  (stderr: $(head -c 300 "$TMP/err"))"
	else
		expect_exit "$want" timeout -k 5 60 "$FGSIM" run "$TMP/plug.cfg" --quiet "$@"
	fi
	expect_err "$re"
	ok; (cd "$TMP/kept" && ls -A && cat summary.csv) | cmp -s - "$TMP/kept.before" ||
		fail "$TMP/kept was touched: $(ls -A "$TMP/kept")"
}
h='policy "h" \(.*hostile.so\)'
sim='replication [0-9]+, at simulated time [0-9]+\.[0-9]{3} s'
guard 1 "^fgsim: $h hung in its push call, $sim: no return within 1 s \\(run.plugin_timeout\\); stopped, no results written" \
	"$(hostile loop)" '"first-fit"' -o "$TMP/kept" --set run.plugin_timeout=1s
guard 1 "^fgsim: $h hung in its push call, $sim: no return within 1 s" \
	"\"fcfs\", $(hostile loop)" '"first-fit"' -o "$out" -j 2 --set run.plugin_timeout=1s --set run.replications=6
expect_absent "$out"
guard 1 "^fgsim: $h hung in its init call, while the scenario loads: no return within 1 s" \
	"$(hostile init-loop)" '"first-fit"' -o "$TMP/kept" --set run.plugin_timeout=1s
guard nonzero "^fgsim: $h crashed with SIGSEGV in its push call, $sim; no results written" \
	"$(hostile segv)" '"first-fit"' -o "$TMP/kept"
guard nonzero "^fgsim: $h crashed with SIGSEGV in its push call, $sim" "\"fcfs\", $(hostile stack)" '"first-fit"' -o "$out" -j 2
expect_absent "$out"
guard nonzero "^fgsim: $h crashed with SIGABRT in its push call, $sim" "$(hostile abort)" '"first-fit"' -o "$TMP/kept"
guard 1 "^fgsim: $h called exit\\(\\) in its push call, $sim; stopped, no results written" \
	"$(hostile exit)" '"first-fit"' -o "$TMP/kept"
guard 1 "^fgsim: $h called exit\\(\\)" "\"fcfs\", $(hostile exit)" '"first-fit"' -o "$out" -j 2
expect_absent "$out"
# Calls back into the platform from where they would re-enter it: refused, the run
# stops with the plugin's name and the call (exit 1) instead of recursing.
guard 1 "placement \"h\" \\(.*hostile.so\\), $at: called start from place\\(\\), which fgsim refuses" \
	'"fcfs"' "$(hostile reenter)" -o "$TMP/kept"
guard 1 "placement \"h\" \\(.*hostile.so\\), $at: called fits from place\\(\\), which fgsim refuses" \
	'"fcfs"' "$(hostile fits)" -o "$out"
expect_absent "$out"
guard 1 "$h, $at: called start from push\\(\\), which fgsim refuses" "$(hostile start)" '"first-fit"' -o "$out"
expect_absent "$out"
# A run-time limit must be a length of time: FILE:LINE, exit 2.
scenario '"fcfs"' '"first-fit"' "6/h"
expect_exit 2 "$FGSIM" run "$TMP/plug.cfg" -o "$out" --quiet --set run.plugin_timeout=0s
expect_err 'plugin_timeout" must be a positive length of time'
# SIGINT and SIGTERM while a plugin call loops: fgsim cannot leave the call, so its
# signal watchdog ends the run a second later, 128 + signal, the folder as it was.
for sig in INT TERM; do
	scenario "$(hostile loop)" '"first-fit"' "12/h"
	timeout -k 5 60 "$FGSIM" run "$TMP/plug.cfg" --quiet -o "$TMP/kept" --set run.plugin_timeout=60s 2>"$TMP/err" &
	pid=$!
	sleep 1
	start=$(date +%s)
	kill -$sig $pid
	wait $pid
	got=$?
	want=130; [ $sig = TERM ] && want=143
	ok; [ "$got" = $want ] || fail "SIG$sig in a looping plugin call: exit $got, wanted $want: $(head -c 300 "$TMP/err")"
	ok; [ $(($(date +%s) - start)) -le 3 ] || fail "SIG$sig in a looping plugin call took more than 3 s"
	expect_err "interrupted and still busy after a second"
	ok; (cd "$TMP/kept" && ls -A && cat summary.csv) | cmp -s - "$TMP/kept.before" || fail "$TMP/kept was touched"
	ok; [ -z "$(ls -A "$TMP" | grep 'kept.fgsim-new')" ] || fail "staging folder left: $(ls -A "$TMP")"
done
finish
