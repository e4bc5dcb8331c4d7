# The progress line: on a terminal (a pty from util-linux `script`) it appears and moves
# within a replication (simulated days published by the event loop); with --quiet, or
# when stderr is not a terminal, nothing of it is written; it fits the terminal's width
# (COLUMNS, else the terminal's own), dropping details rather than wrapping.
. "$(dirname "$0")/lib.sh"
mmc="$ROOT/scenarios/mmc.cfg"
if ! command -v script >/dev/null 2>&1; then
	echo "SKIP: util-linux script(1) is not installed, no pty to test on"
	finish
	exit 0
fi
# A second or more of simulation: several redraws (every 250 ms) inside the one replication.
long="--set run.horizon=100000d --set run.replications=1 --set output.plots=false"
expect_exit 0 script -qfec "COLUMNS=200 '$FGSIM' run '$mmc' -o '$TMP/a' $long" "$TMP/tty.log"
tr '\r' '\n' <"$TMP/tty.log" >"$TMP/lines"
ok; grep -qE '^mmc: 0/1 replications \[fcfs #0 day [0-9.]+/100000\], [0-9]+% overall' "$TMP/lines" || fail "no progress line on a terminal: $(head -c 300 "$TMP/lines")"
ok; grep -qE '^mmc: 0/1 replications \[fcfs #0 day [1-9][0-9.]*/100000\], [1-9][0-9]?% overall, [0-9]+s elapsed, ETA [0-9]+s' "$TMP/lines" ||
	fail "the progress line did not move within the replication: $(grep -m3 replications "$TMP/lines")"
ok; grep -qE '^mmc: 1/1 replications, 100% overall' "$TMP/lines" || fail "no final progress line"
# 80 and 40 columns: every line drawn is shorter than the width; at 80 the counts, the
# share done and the ETA stay. The lines are what follows each \r, less the clearing \033[K.
fits() { # WIDTH LOG
	tr '\r' '\n' <"$2" | sed 's/\x1b\[K//g' | grep '^mmc: [0-9]' | awk -v w="$1" 'length >= w' >"$TMP/long"
	ok; [ -s "$TMP/long" ] && fail "progress lines of $1 columns or more on a $1-column terminal: $(head -2 "$TMP/long")"
}
for w in 80 40; do
	expect_exit 0 script -qfec "COLUMNS=$w '$FGSIM' run '$mmc' -o '$TMP/w$w' $long" "$TMP/tty$w.log"
	fits $w "$TMP/tty$w.log"
done
tr '\r' '\n' <"$TMP/tty80.log" >"$TMP/lines80"
ok; grep -qE '^mmc: 0/1 replications.*[1-9][0-9]?% overall.*, ETA [0-9]+s' "$TMP/lines80" ||
	fail "no share done and ETA at 80 columns: $(grep -m3 replications "$TMP/lines80")"
ok; grep -qE '^mmc: 1/1 replications, 100% overall' "$TMP/lines80" || fail "no final progress line at 80 columns"
# without COLUMNS, the terminal's own width (stty sets the pty's)
expect_exit 0 script -qfec "stty cols 50; unset COLUMNS; '$FGSIM' run '$mmc' -o '$TMP/s' $long" "$TMP/tty50.log"
fits 50 "$TMP/tty50.log"
ok; grep -q 'replications' "$TMP/tty50.log" || fail "no progress line at 50 columns"
# --quiet on a terminal: none.
expect_exit 0 script -qfec "'$FGSIM' run '$mmc' -o '$TMP/b' $long --set run.horizon=200d --quiet" "$TMP/tty2.log"
ok; grep -q 'replications, ' "$TMP/tty2.log" && fail "--quiet still drew progress"
# stderr not a terminal (stdout is): none.
expect_exit 0 script -qfec "'$FGSIM' run '$mmc' -o '$TMP/c' $long --set run.horizon=200d 2>'$TMP/c.err'" "$TMP/tty3.log"
ok; grep -q 'overall' "$TMP/c.err" "$TMP/tty3.log" && fail "progress drawn although stderr is a file"
finish
