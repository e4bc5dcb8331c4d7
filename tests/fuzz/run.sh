#!/bin/sh
# Runs libFuzzer harnesses: tests/fuzz/run.sh SECONDS HARNESS...
# Each harness first replays its committed seed corpus (tests/fuzz/corpus/HARNESS,
# which holds every input that ever crashed it) and then fuzzes for SECONDS (0: replay
# only). New inputs go to FUZZ_BUILD/corpus/HARNESS, findings to FUZZ_BUILD/crashes/
# and the log to FUZZ_BUILD/logs/HARNESS.log. Prints one line per harness with its
# executions and findings, and exits 1 if any harness found anything.
: "${FUZZ_BUILD:=build-fuzz}"
secs=$1; shift
cd "$(dirname "$0")/../.." || exit 1
mkdir -p "$FUZZ_BUILD/crashes" "$FUZZ_BUILD/logs" || exit 1
total=0; bad=0; badnames=""
for h; do
	bin="$FUZZ_BUILD/fuzz_$h" seeds="tests/fuzz/corpus/$h" work="$FUZZ_BUILD/corpus/$h"
	log="$FUZZ_BUILD/logs/$h.log"
	mkdir -p "$work"
	set -- -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$FUZZ_BUILD/crashes/$h-"
	[ -f "tests/fuzz/$h.dict" ] && set -- "$@" -dict="tests/fuzz/$h.dict"
	if [ "$secs" -gt 0 ]; then set -- "$@" -max_total_time="$secs"; else set -- "$@" -runs=0; fi
	"$bin" "$@" "$work" "$seeds" >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	units=$(sed -n 's/.*DONE.*corp: \([0-9]*\).*/\1/p' "$log" | tail -1)
	: "${execs:=0}"
	total=$((total + execs))
	if [ "$rc" = 0 ]; then
		echo "fuzz $h: $execs executions, ${units:-?} corpus inputs, 0 crashes"
	else
		bad=$((bad + 1)); badnames="$badnames $h"
		echo "fuzz $h: FOUND A PROBLEM after $execs executions (exit $rc); log: $log"
		grep -aE 'ERROR: |invariant failed|runtime error|Test unit written to|^SUMMARY' "$log" | head -8 | sed 's/^/    /'
	fi
done
echo "fuzzing: $total executions in all, $bad harnesses with findings${badnames:+ (}${badnames# }${badnames:+)}"
[ "$bad" = 0 ]
