#!/bin/sh
# Runs every unit test binary and every scenario test script, then prints one summary line.
# BUILD is the build folder, FGSIM the binary the scenario tests run.
: "${BUILD:=build}" "${FGSIM:=bin/fgsim}"
export FGSIM
pass=0; fail=0; failed=""
for t in "$BUILD"/tests/test_* tests/cli/test_*.sh; do
	[ -x "$t" ] || [ "${t%.sh}" != "$t" ] || continue
	[ -e "$t" ] || continue
	name=$(basename "$t")
	start=$(date +%s)
	case "$t" in *.sh) sh "$t" >"$BUILD/$name.log" 2>&1 ;; *) "$t" >"$BUILD/$name.log" 2>&1 ;; esac
	rc=$?
	secs=$(( $(date +%s) - start ))
	if [ $rc -eq 0 ]; then pass=$((pass + 1)); echo "PASS $name (${secs}s)";
	else fail=$((fail + 1)); failed="$failed $name"; echo "FAIL $name (${secs}s)"; sed 's/^/    /' "$BUILD/$name.log" | tail -40; fi
done
echo "fgsim tests: $pass passed, $fail failed${failed:+ (}${failed# }${failed:+)}"
[ $fail -eq 0 ]
