# Large traces are streamed, not loaded: a generated 10-million-row trace (160 MB) replays
# with the memory of the jobs in the system, the same peak RSS as a 100,000-row one and a
# small fraction of the file; a bad row at line 100 of an endless pipe fails there, at
# once; a large file whose bad rows are skipped reports how many and the first.
# Under AddressSanitizer (make sanitize) 1 million rows stand in for 10 million, and only
# the comparison with 100,000 rows is made.
. "$(dirname "$0")/lib.sh"
rows=10000000
if grep -qa __asan_init "$FGSIM"; then
	rows=1000000
	echo "AddressSanitizer build: $rows rows"
fi

# One-GPU jobs every second for 20 s each on 64 GPUs: about 20 jobs in the system.
gen() { awk -v n="$1" 'BEGIN { print "submit,class,tenant,gpus,duration"; for (i = 0; i < n; i++) print i ",a,,1,20" }'; }
scenario() { # scenario NAME TRACE [ARRIVAL KEYS]
	cat >"$TMP/$1.cfg" <<EOF
run = { horizon = "120d"; warmup = "0s"; replications = 1; seed = 1; };
cluster = { pools = ( { name = "p"; nodes = 8; gpus_per_node = 8; } ); };
workload = { arrivals = { process = "trace"; file = "$2"; $3 }; };
policies = ( "fcfs" );
output = { plots = false; };
EOF
}
rss_of() { python3 -c "import json, sys; print(json.load(open(sys.argv[1]))['peak_rss_kb'])" "$1/run.json"; }
jobs_of() { python3 -c "import json, sys; print(json.load(open(sys.argv[1]))['jobs'])" "$1/run.json"; }

gen 100000 >"$TMP/small.csv"
scenario small small.csv
expect_exit 0 "$FGSIM" run "$TMP/small.cfg" -o "$TMP/small" --quiet
gen $rows >"$TMP/big.csv"
size=$(wc -c <"$TMP/big.csv")
scenario big big.csv
expect_exit 0 "$FGSIM" run "$TMP/big.cfg" -o "$TMP/big" --quiet
rm -f "$TMP/big.csv"
small=$(rss_of "$TMP/small") big=$(rss_of "$TMP/big")
echo "peak RSS: $small KB for 100000 rows, $big KB for $rows rows ($size bytes)"
ok; [ "$(jobs_of "$TMP/big")" = $rows ] || fail "not every row replayed: $(jobs_of "$TMP/big") jobs"
# Memory does not grow with the rows: 100 times the rows, within 1 MB of the same peak...
ok; [ -n "$big" ] && [ -n "$small" ] && [ "$big" -le $((small + 1024)) ] ||
	fail "peak RSS grew with the trace: $small KB for 100000 rows, $big KB for $rows"
# ...and is far below what holding the trace would take: the file itself, let alone the
# 10 million parsed jobs (a 48-byte job each would be 480 MB).
# (AddressSanitizer's own shadow memory is larger than the 1-million-row file: the
# comparison above is the one that holds there.)
if [ $rows = 10000000 ]; then
	ok; [ $((big * 1024 * 10)) -lt "$size" ] || fail "peak RSS $big KB is not under a tenth of the file's $size bytes"
fi

# A bad row at line 100 of a pipe that never ends: check and run stop there, promptly,
# with the pipe's FILE:LINE and no output.
mkfifo "$TMP/endless.csv"
scenario endless endless.csv
for cmd in check run; do
	awk 'BEGIN { print "submit,class,tenant,gpus,duration"; for (i = 1; ; i++) print (i == 99 ? "oops" : i) ",a,,1,20" }' \
		>"$TMP/endless.csv" 2>/dev/null &
	writer=$!
	start=$(date +%s)
	if [ $cmd = run ]; then
		expect_exit 2 timeout 60 "$FGSIM" run "$TMP/endless.cfg" -o "$TMP/outdir"
	else
		expect_exit 2 timeout 60 "$FGSIM" check "$TMP/endless.cfg"
	fi
	secs=$(($(date +%s) - start))
	expect_err "^$TMP/endless.csv:100: submit \"oops\" is not a number"
	ok; [ $secs -le 10 ] || fail "$cmd took $secs s to stop at line 100 of an endless pipe"
	kill $writer 2>/dev/null
	wait $writer 2>/dev/null
done
expect_absent "$TMP/outdir"

# Skipping bad rows in a large file: every 1000th of 1,000,000 rows is bad; the count and
# the first one are reported, and the rest replay.
awk 'BEGIN { print "submit,class,tenant,gpus,duration"; for (i = 1; i <= 1000000; i++) print i ",a,," (i % 1000 ? 1 : "x") ",20" }' \
	>"$TMP/some-bad.csv"
scenario skip some-bad.csv 'on_bad = "skip";'
expect_exit 0 "$FGSIM" check "$TMP/skip.cfg"
expect_out '1,000,000 rows: 999,000 jobs before the horizon, 0 after it, 0 skipped, 1,000 rejected'
expect_out "^arrivals: 1,000 rows rejected and skipped, the first: $TMP/some-bad.csv:1001: "
expect_out "some-bad.csv:1001: gpus \"x\" is not a number"
scenario stop some-bad.csv
expect_exit 2 "$FGSIM" check "$TMP/stop.cfg"
expect_err "^$TMP/some-bad.csv:1001: gpus \"x\" is not a number"
finish
