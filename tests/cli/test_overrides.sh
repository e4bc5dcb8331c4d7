# --unset, --policy-add (KEY.[+]) and the hints of a mistyped --set key: a promotion's
# demand switched to an elasticity, a policy added without retyping the list, a
# required key unset failing as the file without it would.
. "$(dirname "$0")/lib.sh"
prom="$ROOT/scenarios/fastgpu-promo.cfg"

# demand 3 -> elasticity 2 at 50% off: demand x 0.5^-2 = 4
expect_exit 0 "$FGSIM" check "$prom" --unset 'promotions.[0].demand' --set 'promotions.[0].elasticity=2'
expect_out '^promotion flash-sale: .*50% off, demand x4$'
# without the --unset the two keys clash
expect_exit 2 "$FGSIM" check "$prom" --set 'promotions.[0].elasticity=2'
expect_err 'either demand or elasticity, not both \(from the command line: --unset .promotions\.\[0\]\.demand.\)'
# a required key unset: the file's own error for its absence
expect_exit 2 "$FGSIM" check "$prom" --unset run.horizon
expect_err "^$prom:[0-9]+: missing key \"horizon\""
# an unknown key: an error with a suggestion
expect_exit 2 "$FGSIM" check "$prom" --unset 'promotions.[0].demnd'
expect_err '^--unset promotions.\[0\].demnd: no such key in .*\(did you mean "demand"\?\)'
# a misspelt part above the last: the whole key, corrected
expect_exit 2 "$FGSIM" check "$prom" --set 'cluster.pool.[1].nodes=4'
expect_err '^--set cluster.pool.\[1\].nodes: no such key in .*\(did you mean "cluster\.pools\.\[1\]\.nodes"\?\)$'
expect_exit 2 "$FGSIM" check "$prom" --unset 'workload.clases.[0].share'
expect_err '\(did you mean "workload\.classes\.\[0\]\.share"\?\)$'
expect_exit 2 "$FGSIM" check "$prom" --unset 'promotions.[3]'
expect_err '^--unset promotions.\[3\]: index 3 is out of range'
expect_exit 2 "$FGSIM" check "$prom" --unset 'run.horizon=3d'
expect_err 'unset takes a KEY'
# a list element unset
expect_exit 0 "$FGSIM" check "$prom" --unset 'policies.[0]'
expect_out '^policies: priority fair-share'
# --set and --unset in order: the later one wins
expect_exit 0 "$FGSIM" check "$prom" --unset run.horizon --set run.horizon=9d
expect_out '^run: horizon 9d'

# --policy-add: a built-in, a plugin (its path from the current folder), a bad name
expect_exit 0 "$FGSIM" check "$prom" --set 'policies=("fcfs")' --policy-add sjf
expect_out '^policies: fcfs sjf$'
if [ -f "$ROOT/models/plugins/fcfs.so" ]; then
	expect_exit 0 sh -c "cd '$ROOT' && '$FGSIM' check '$prom' --set 'policies=(\"fcfs\")' \
		--policy-add '{ name = \"mine\"; plugin = \"models/plugins/fcfs.so\"; }'"
	expect_out "^policies: fcfs mine \\(plugin $ROOT/models/plugins/fcfs.so\\)"
fi
expect_exit 2 "$FGSIM" check "$prom" --policy-add sjx
expect_err '^--policy-add sjx: unknown policy "sjx" \(did you mean "sjf"\?\)'
expect_exit 2 "$FGSIM" check "$prom" --set 'policies.[+]=sjx'
expect_err '^--set policies.\[\+\]: unknown policy "sjx"'
# the same key given twice: the last one is the one a message names
expect_exit 2 "$FGSIM" check "$prom" --set run.horizon=3d --set run.horizon=-1
expect_err '^--set run.horizon: '
expect_exit 2 "$FGSIM" check "$prom" --set 'run.horizon.[+]=3'
expect_err '\[\+\] appends a value to a list'
# the same run with --policy-add as with the list typed out
small="--quiet --set run.horizon=20d --set run.warmup=2d --set run.replications=2 --set output.plots=false"
expect_exit 0 "$FGSIM" run "$prom" -o "$TMP/typed" $small --set 'policies=("fcfs", "sjf")'
expect_exit 0 "$FGSIM" run "$prom" -o "$TMP/added" $small --set 'policies=("fcfs")' --policy-add sjf
expect_same "$TMP/typed/summary.csv" "$TMP/added/summary.csv"

# a mistyped key: the suggestion
expect_exit 2 "$FGSIM" check "$prom" --set cluster.pools[1].nodes=4
expect_err '^--set cluster.pools\[1\].nodes: no such key \(did you mean "cluster.pools.\[1\].nodes"\?\)'
expect_exit 2 "$FGSIM" check "$prom" --set run.horizn=3d
expect_err '^--set run.horizn: no such key in .*\(did you mean "horizon"\?\)'
finish
