# The progress line: on a terminal (a pty from util-linux `script`) it appears and moves
# within a replication (simulated days published by the event loop); with --quiet, or
# when stderr is not a terminal, nothing of it is written.
. "$(dirname "$0")/lib.sh"
mmc="$ROOT/scenarios/mmc.cfg"
if ! command -v script >/dev/null 2>&1; then
	echo "SKIP: util-linux script(1) is not installed, no pty to test on"
	finish
	exit 0
fi
# A second or more of simulation: several redraws (every 250 ms) inside the one replication.
long="--set run.horizon=100000d --set run.replications=1 --set output.plots=false"
expect_exit 0 script -qfec "'$FGSIM' run '$mmc' -o '$TMP/a' $long" "$TMP/tty.log"
tr '\r' '\n' <"$TMP/tty.log" >"$TMP/lines"
ok; grep -qE '^mmc: 0/1 replications \[fcfs #0 day [0-9.]+/100000\], [0-9]+% overall' "$TMP/lines" || fail "no progress line on a terminal: $(head -c 300 "$TMP/lines")"
ok; grep -qE '^mmc: 0/1 replications \[fcfs #0 day [1-9][0-9.]*/100000\], [1-9][0-9]?% overall, [0-9]+s elapsed, ETA [0-9]+s' "$TMP/lines" ||
	fail "the progress line did not move within the replication: $(grep -m3 replications "$TMP/lines")"
ok; grep -qE '^mmc: 1/1 replications, 100% overall' "$TMP/lines" || fail "no final progress line"
# --quiet on a terminal: none.
expect_exit 0 script -qfec "'$FGSIM' run '$mmc' -o '$TMP/b' $long --set run.horizon=200d --quiet" "$TMP/tty2.log"
ok; grep -q 'replications, ' "$TMP/tty2.log" && fail "--quiet still drew progress"
# stderr not a terminal (stdout is): none.
expect_exit 0 script -qfec "'$FGSIM' run '$mmc' -o '$TMP/c' $long --set run.horizon=200d 2>'$TMP/c.err'" "$TMP/tty3.log"
ok; grep -q 'overall' "$TMP/c.err" "$TMP/tty3.log" && fail "progress drawn although stderr is a file"
finish
