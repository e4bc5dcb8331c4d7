# Bad input: exit 2, a message that names the place (FILE:LINE or --set KEY), and no
# output folder created.
. "$(dirname "$0")/lib.sh"
good="$ROOT/scenarios/mmc.cfg"
out="$TMP/out-dir"

# Each case: a scenario file in tests/cli/bad/ and the message it must give.
check_bad() {
	file=$1; pattern=$2
	expect_exit 2 "$FGSIM" run "$ROOT/tests/cli/bad/$file" -o "$out" --quiet
	expect_err "$pattern"
	expect_absent "$out"
	expect_exit 2 "$FGSIM" check "$ROOT/tests/cli/bad/$file"
	expect_err "$pattern"
}
check_bad syntax.cfg 'syntax.cfg:6: syntax error'
check_bad unknown-key.cfg 'unknown-key.cfg:3: unknown key "horizn" \(did you mean "horizon"\?\)'
check_bad bad-duration.cfg 'bad-duration.cfg:3: .*7x'
check_bad zero-horizon.cfg 'zero-horizon.cfg:3: "horizon" must be a positive length of time'
check_bad bad-rate.cfg 'bad-rate.cfg:[0-9]+: .*4.5/fortnight'
check_bad bad-dist.cfg 'bad-dist.cfg:[0-9]+: .*exponentail'
check_bad shares.cfg 'shares.cfg:[0-9]+: class shares must sum to 1'
check_bad unknown-pool.cfg 'unknown-pool.cfg:[0-9]+: class "a" names unknown pool "h10" \(did you mean "h100"\?\)'
check_bad too-big.cfg 'too-big.cfg:[0-9]+: class "a" asks for 24 GPUs: more than any node it may use has \(8\)'
check_bad unknown-policy.cfg 'unknown-policy.cfg:[0-9]+: unknown policy "fifo"'
check_bad negative-price.cfg 'negative-price.cfg:[0-9]+: price_per_gpu_hour must not be negative'
check_bad discount.cfg 'discount.cfg:[0-9]+: discount must lie in \[0, 1\)'
check_bad overlap.cfg 'overlap.cfg:[0-9]+: promotion "b" overlaps "a"'
check_bad past-horizon.cfg 'past-horizon.cfg:[0-9]+: promotion "late" ends after the horizon'
check_bad wrong-type.cfg 'wrong-type.cfg:[0-9]+: "nodes" must be an integer'

# A file that is not there.
expect_exit 2 "$FGSIM" run "$TMP/nope.cfg" -o "$out"
expect_err "nope.cfg: cannot read"
expect_absent "$out"

# --set errors name the key.
expect_exit 2 "$FGSIM" run "$good" -o "$out" --set run.horizn=5d
expect_err '^--set run.horizn: no such key'
expect_exit 2 "$FGSIM" run "$good" -o "$out" --set run.replications=abc
expect_err '^--set run.replications: "replications" must be an integer'
expect_exit 2 "$FGSIM" run "$good" -o "$out" --set run.horizon=-3d
expect_err '^--set run.horizon: '
expect_exit 2 "$FGSIM" check "$good" --set 'cluster.pools.[0].nodes=0'
expect_err '^--set cluster.pools.\[0\].nodes: "nodes" = 0 is outside'
expect_absent "$out"
# An index is [N] with N in decimal: libconfig's atoi read [x], [] and [1x] as [0] or [1],
# so these changed a pool without a word.
for k in '[x]' '[-1]' '[1x]' '[]' '[ 1]' '[+1]' '[0x1]'; do
	expect_exit 2 "$FGSIM" check "$good" --set "cluster.pools.$k.nodes=3"
	expect_err "^--set cluster.pools.$(printf '%s' "$k" | sed 's/[].[+]/\\&/g').nodes: bad list index"
done
expect_exit 2 "$FGSIM" check "$good" --set 'cluster.pools.[1].nodes=3'
expect_err '^--set cluster.pools.\[1\].nodes: index 1 is out of range: cluster.pools has 1 element$'
expect_exit 2 "$FGSIM" check "$good" --set 'cluster.pools[0].nodes=3'
expect_err '^--set cluster.pools\[0\].nodes: no such key \(did you mean "cluster.pools.\[0\].nodes"\?\)'
expect_exit 2 "$FGSIM" check "$good" --set 'cluster.pools.nodes=3'
expect_err '^--set cluster.pools.nodes: cluster.pools is a list: name an element as cluster.pools.\[N\]'
expect_exit 2 "$FGSIM" check "$good" --set 'run.[0]=3'
expect_err '^--set run.\[0\]: run is not a list'
expect_exit 2 "$FGSIM" check "$good" --set 'run..seed=3'
expect_err '^--set run..seed: empty part in the key'
# One setting per --set: libconfig's ';' is optional, so these read as two settings and
# the second was dropped; a comment would hide the rest of the value.
for v in '3; seed = 7' '3 seed = 7' "3
seed = 7" '3 /* 4 */'; do
	expect_exit 2 "$FGSIM" check "$good" --set "run.replications=$v"
	expect_err "^--set run.replications: the value '3"
	expect_err "' holds (more than one setting|a comment)"
done
# No length cap on a valid value (it was cut at 1,000 characters and then refused):
# a daily profile of 24 factors written with 200 decimals each.
one=$(printf '1.%0200d' 0); v="[$one"
for i in $(seq 23); do v="$v, $one"; done
expect_exit 0 "$FGSIM" check "$ROOT/scenarios/fastgpu-promo.cfg" --set "workload.arrivals.daily_profile=$v]"
expect_out 'daily profile'

# Exact messages for tiny and non-finite numbers: an underflow is too small, not too
# large; an element of a list is named by its index, not as "(null)".
expect_exit 2 "$FGSIM" check "$good" --set run.horizon=1e-320s
expect_err '^--set run.horizon: bad duration "1e-320s": number too small to represent'
check_bad profile-inf.cfg 'profile-inf.cfg:6: element 15 of "daily_profile" must be finite'
expect_exit 2 "$FGSIM" check "$ROOT/scenarios/fastgpu-promo.cfg" --set 'workload.arrivals.daily_profile.[3]=1e999'
expect_err '^--set workload.arrivals.daily_profile.\[3\]: element 3 of "daily_profile" must be finite$'

# An estimate over --max-memory names every figure it gives: run (which prints no
# estimate first) put stack bytes where the per-thread and results sizes go.
expect_exit 2 "$FGSIM" run "$good" -o "$out" --max-memory 1K
expect_err "^$good:13: estimated peak memory [0-9.]+ MB exceeds the cap 1 KB \(--max-memory\): the program takes [0-9.]+ MB and the cluster's index and histograms [0-9.]+ KB per thread; change cluster, give --max-memory SIZE, or --force to run anyway\$"
expect_exit 2 "$FGSIM" run "$good" -o "$out" --max-memory 100M --set run.replications=100000
expect_err '^--set run.replications: estimated peak memory [0-9.]+ GB exceeds the cap 100 MB \(--max-memory\): 1 policies x 100000 replications keep [0-9.]+ GB of figures; change run.replications, give --max-memory SIZE, or --force to run anyway$'
expect_absent "$out"

# A confidence so close to 1 that (1 + c) / 2 rounds to 1 makes the t quantile infinite
# and left every half-width empty without a word; the nearest level below still works.
check_bad confidence-one.cfg 'confidence-one.cfg:3: confidence 0.99999999999999989 is too close to 1: .* no confidence interval'
expect_exit 2 "$FGSIM" check "$good" --set run.confidence=0.9999999999999999
expect_err '^--set run.confidence: confidence 0.99999999999999989 is too close to 1'
expect_exit 0 "$FGSIM" check "$good" --set run.confidence=0.9999999999999998

# @include is read beside the file that includes it, from any current folder (libconfig
# 1.5 opened it from the current one); what libconfig 1.5 would read from elsewhere (a
# nested include in another folder, an absolute path) is refused at its line, and an
# included file's errors and too-wide integers are placed in that file.
inc="$ROOT/tests/cli/bad/include"
in_dir() { d=$1; shift; (cd "$d" && "$@"); }
expect_exit 0 in_dir "$TMP" "$FGSIM" check "$inc/main.cfg"
expect_out 'run: horizon 12d, warm-up 0s, 2 replications, seed 3'
expect_exit 0 in_dir "$ROOT/tests" "$FGSIM" check cli/bad/include/main.cfg
expect_out 'run: horizon 12d'
expect_exit 2 in_dir "$TMP" "$FGSIM" check "$inc/missing.cfg"
expect_err "^$inc/missing.cfg:3: @include \"nope.cfg\": cannot read $inc/nope.cfg: No such file"
expect_exit 2 in_dir "$TMP" "$FGSIM" check "$inc/nested.cfg"
expect_err "^$inc/sub/inner.cfg:2: @include \"run.cfg\" in a file outside the folder of the file first read"
check_bad include/bad.cfg "^$inc/bad-run.cfg:1: bad duration \"12x\""
check_bad include/wide.cfg "^$inc/wide-run.cfg:1: integer 4294967297 is too large for 32 bits"
sed "s|@include \"run.cfg\"|@include \"$inc/run.cfg\"|" "$inc/main.cfg" >"$TMP/abs.cfg"
expect_exit 2 "$FGSIM" check "$TMP/abs.cfg"
expect_err "^$TMP/abs.cfg:3: @include \"$inc/run.cfg\": an included file is named relative to the folder"

# Bad usage.
expect_exit 2 "$FGSIM" run
expect_err 'no scenario file'
expect_exit 2 "$FGSIM" run "$good" --frobnicate
expect_err 'unknown or incomplete option "--frobnicate"'
expect_exit 2 "$FGSIM" frob
expect_err 'unknown command'
expect_exit 2 "$FGSIM" run "$good" -j 0
expect_absent "$out"
# values attached as getopt takes them (-j2, -oDIR, --seed=7) are the same run as apart
small="--quiet --set run.replications=2 --set run.horizon=12d --set output.plots=false"
expect_exit 0 "$FGSIM" run "$good" $small -j 2 --seed 7 -o "$TMP/apart"
expect_exit 0 "$FGSIM" run "$good" $small -j2 --seed=7 "-o$TMP/attached"
expect_same "$TMP/apart/summary.csv" "$TMP/attached/summary.csv"
expect_exit 2 "$FGSIM" run "$good" --seed7
expect_err 'unknown or incomplete option "--seed7"'
# a mistyped estimate = "history" is named as such, not as an unknown distribution
expect_exit 2 "$FGSIM" check "$good" --set 'workload.classes.[0].estimate="histroy"'
expect_err 'estimate "histroy" is neither "history" nor a distribution \(did you mean "history"\?\)'

# An output folder that cannot be written: refused before any simulation.
mkdir "$TMP/ro" && chmod 555 "$TMP/ro"
if [ "$(id -u)" != 0 ]; then
	expect_exit 2 "$FGSIM" run "$good" -o "$TMP/ro/x" --quiet
	expect_err 'not writable'
fi
touch "$TMP/file"
expect_exit 2 "$FGSIM" run "$good" -o "$TMP/file/x" --quiet
expect_err 'cannot create the output folder: .*file is not a folder'

# ---- more of the catalogue (issue 6) ----------------------------------------------
# NaN and infinity: libconfig has no literal for NaN; 1e999 reads as infinity.
check_bad nan.cfg 'nan.cfg:3: syntax error'
check_bad inf.cfg 'inf.cfg:4: "price_per_gpu_hour" must be finite'
# Counts beyond what the model can hold; libconfig 1.5 would cut 4294967297 to 1.
check_bad wide-int.cfg 'wide-int.cfg:4: integer 4294967297 is too large for 32 bits'
check_bad too-many-nodes.cfg 'too-many-nodes.cfg:4: "nodes" = 200000 is outside \[1, 100000\]'
# Empirical files: missing, a malformed line (named by its own line), no values.
check_bad empirical-missing.cfg 'empirical-missing.cfg:6: .*no-such-file.csv: cannot open'
check_bad empirical-malformed.cfg 'empirical-malformed.cfg:6: .*malformed.csv:3: not a number: "1.5.2"'
check_bad empirical-empty.cfg 'empirical-empty.cfg:6: .*header-only.csv: no values'
# Names with a near miss get a suggestion.
check_bad unknown-placement.cfg 'unknown-placement.cfg:7: unknown placement "best-fti" \(did you mean "best-fit"\?\)'
check_bad unknown-promo-class.cfg 'unknown-promo-class.cfg:7: promotion "sale" names unknown class "inferense" \(did you mean "inference"\?\)'
check_bad missing-key.cfg 'missing-key.cfg:2: missing key "horizon"'
check_bad long-warmup.cfg 'long-warmup.cfg:3: warmup .* must be shorter than the horizon'
check_bad shares-over.cfg 'shares-over.cfg:5: class shares must sum to 1, they sum to 1.4'
check_bad duplicate-pool.cfg 'duplicate-pool.cfg:4: pool "h100" is defined twice'
check_bad zero-rate.cfg 'zero-rate.cfg:4: rate must be positive'
check_bad bad-clock.cfg 'bad-clock.cfg:6: bad duration "3d 25:00": clock hour 25'
# Names are printable UTF-8 (no C0, DEL or C1 control, no broken UTF-8), shown escaped
# in the message; the scenario's name is one folder under results/.
check_bad name-escape.cfg 'name-escape.cfg:3: name "h\\x1B\[2J" holds the control character U\+001B'
ok; grep -q "$(printf '\033')" "$TMP/err" && fail "a raw ESC reached stderr"
check_bad name-bell.cfg 'name-bell.cfg:5: name "ring\\x07" holds the control character U\+0007'
check_bad name-c1.cfg 'name-c1.cfg:6: name "nel\\xC2\\x85" holds the control character U\+0085'
check_bad name-utf8.cfg 'name-utf8.cfg:6: name "sale\\xFF" is not valid UTF-8'
check_bad name-overlong.cfg 'name-overlong.cfg:6: name "sl\\xC0\\xAFsh" is not valid UTF-8'
check_bad name-path.cfg 'name-path.cfg:1: name "\.\./\.\./x" starts with .\.'
check_bad name-slash.cfg "name-slash.cfg:1: name \"a/b\" contains '/'"
mkdir -p "$TMP/cwd/d1/d2"
ok; (cd "$TMP/cwd/d1/d2" && "$FGSIM" run "$ROOT/tests/cli/bad/name-path.cfg" --quiet >/dev/null 2>&1); [ $? = 2 ] || fail "name = \"../../x\" without -o: not exit 2"
expect_absent "$TMP/cwd/x"
expect_absent "$TMP/cwd/d1/d2/results"

# The same through --set, on the bundled demo: each must name the override.
prom="$ROOT/scenarios/fastgpu-promo.cfg"
check_set() {
	expect_exit 2 "$FGSIM" run "$prom" -o "$out" --quiet --set "$1"
	k=$(printf '%s\n' "${1%%=*}" | sed 's/[].[]/\\&/g')
	expect_err "^--set $k: .*$2"
	expect_absent "$out"
}
svc='workload.classes.[0].service'
# A distribution string that does not parse, for each kind and each way.
check_set "$svc=constant(-1h)" 'bad distribution "constant\(-1h\)": value: bad duration "-1h": negative'
check_set "$svc=exponential(0s)" 'bad distribution "exponential\(0s\)": mean must be > 0'
check_set "$svc=exponential(2 weeks)" 'unknown unit .weeks.'
check_set "$svc=lognormal(2h)" 'lognormal takes 2 arguments \(mean, cv\), got 1'
check_set "$svc=lognormal(2h, -1)" 'cv must be > 0'
check_set "$svc=lognormal(2h, 1e-200)" 'cv 1e-200 is too small'
check_set "$svc=gamma(2h, 0)" 'cv must be > 0'
check_set "$svc=gamma(2h, 1.5h)" 'cv: bad number'
check_set "$svc=uniform(1h, 10m)" 'needs a < b'
check_set "$svc=uniform(1h)" 'uniform takes 2 arguments'
check_set "$svc=empirical()" 'empirical needs a file name'
check_set "$svc=empirical(nope.csv)" '.*nope.csv: cannot open'
check_set "$svc=exponentail(2h)" 'unknown distribution "exponentail" \(did you mean "exponential"\?\)'
check_set "$svc=lognormal(2h, 1.5" "missing '\)'"
check_set "$svc=7" '"service" must be a string'
# Numbers: NaN is no number to libconfig, infinity is refused, wide integers are read
# as the 64-bit ones they mean or refused when they do not fit any count.
check_set 'run.confidence=nan' '"confidence" must be a number'
check_set 'run.confidence=1e999' '"confidence" must be finite'
check_set 'run.seed=99999999999999999999' 'integer 99999999999999999999 is too large'
check_set 'cluster.pools.[0].nodes=4294967297' '"nodes" = 4294967297 is outside \[1, 100000\]'
check_set 'run.replications=1000000' '"replications" = 1000000 is outside'
check_set 'workload.classes.[1].gpus=1e10' 'class "training" asks for 1e\+10 GPUs; a job may ask for at most'
check_set 'workload.classes.[0].gpus=1e-25' 'gpus must be at least 0.001'
check_set 'cluster.pools.[0].cost_per_gpu_hour=-1' 'cost_per_gpu_hour must not be negative'
check_set 'promotions.[0].discount=-0.1' 'discount must lie in \[0, 1\)'
check_set 'promotions.[0].duration=0s' '"duration" must be a positive length of time'
check_set 'output.timeseries_step=0s' '"timeseries_step" must be a positive length of time'
check_set 'placement=best-fti' 'unknown placement "best-fti" \(did you mean "best-fit"\?\)'
check_set 'policies.[0]=fcsf' 'unknown policy "fcsf" \(did you mean "fcfs"\?\)'
# A bad choice lists every valid one, near miss or not (issue 14: `prio` said nothing).
check_set 'placement=best-fti' 'best-fit"\?\); valid: first-fit, best-fit, fastest, cheapest, random, dot-product, gpu-clustering, gpu-packing, best-fit-multi, fgd$'
check_set 'policies.[0]=prio' 'unknown policy "prio" \(did you mean "priority"\?\); valid: fcfs, priority, sjf, aging, fair-share, priority-preemptive, easy-backfill$'
check_set 'workload.arrivals.process=poison' '\(did you mean "poisson"\?\); valid: poisson, trace$'
check_set 'run.precision={metrics=["p95"];relative=0.1;}' 'unknown metric "p95"; valid: arrivals, jobs_done, .*, wait_p95, .*goodput_gpu_hours$'
check_set 'run.precision={metrics=["wait_p95"];relative=0.1;scope="window:flash";}' 'unknown scope "window:flash" \(did you mean "window:flash-sale"\?\); valid: all, class:inference, class:training, pool:h100, pool:l4, window:flash-sale, tenant:t1'
check_set 'run.precision={metrics=["cost"];relative=0.1;scope="class:training";}' 'not reported for scope "class:training" \(only for all, pool:NAME, window:NAME\)'
# sweep's and plan's --metrics, --scope and --policy list the choices too.
expect_exit 2 "$FGSIM" sweep "$prom" --vary 'cluster.pools.[0].nodes=5,6' --metrics p95 -o "$out"
expect_err '^--metrics: unknown metric "p95"; valid: arrivals, .*, goodput_gpu_hours$'
expect_exit 2 "$FGSIM" sweep "$prom" --vary 'cluster.pools.[0].nodes=5,6' --scope pool:l5 -o "$out"
expect_err '^--scope pool:l5: no such scope in .* \(did you mean "pool:l4"\?\); valid: all, class:inference, .*pool:l4, window:flash-sale'
expect_exit 2 "$FGSIM" plan "$prom" --vary 'cluster.pools.[1].nodes=1:20' --target 'wait_p95<=5m' --policy prio -o "$out"
expect_err '^--policy prio: the scenario does not list it \(did you mean "priority"\?\); valid: fcfs, priority, fair-share, sjf, aging, priority-preemptive, easy-backfill$'
expect_exit 2 "$FGSIM" plan "$prom" --vary 'cluster.pools.[1].nodes=1:20' --target 'utilization<=0.9' --scope class:training -o "$out"
expect_err 'utilization is not reported for scope class:training \(only for all, pool:NAME, window:NAME\)$'
expect_absent "$out"
# An element of a list given by --set is reported as that --set.
check_set 'promotions.[0].classes=["inferense"]' 'promotion "flash-sale" names unknown class "inferense" \(did you mean "inference"\?\)'
check_set 'workload.classes.[0].pools=["l5"]' 'class "inference" names unknown pool "l5" \(did you mean "l4"\?\)'
# A seed beyond 32 bits is the seed it says, not its low 32 bits.
expect_exit 0 "$FGSIM" check "$prom" --set run.seed=5000000000
expect_out 'seed 5000000000'

# A scenario that cannot be read (as root every file is readable: skipped).
cp "$good" "$TMP/locked.cfg" && chmod 000 "$TMP/locked.cfg"
if [ "$(id -u)" != 0 ]; then
	expect_exit 2 "$FGSIM" run "$TMP/locked.cfg" -o "$out" --quiet
	expect_err 'locked.cfg: cannot read: Permission denied'
	expect_absent "$out"
else
	echo "skipped as root: a scenario file without read permission"
fi
# A folder given as the scenario.
expect_exit 2 "$FGSIM" check "$TMP"
expect_err "$TMP: cannot read: Is a directory"

# Bad input leaves an existing output folder as it was, not just an absent one alone.
expect_exit 0 "$FGSIM" run "$good" -o "$TMP/prev" --quiet --set run.horizon=20d --set run.replications=2
snapshot() { (cd "$1" && find . | sort && find . -type f | sort | xargs cat); }
snapshot "$TMP/prev" >"$TMP/prev.before"
expect_exit 2 "$FGSIM" run "$good" -o "$TMP/prev" --quiet --set 'workload.classes.[0].service=exponential(0s)'
expect_exit 2 "$FGSIM" run "$ROOT/tests/cli/bad/syntax.cfg" -o "$TMP/prev" --quiet
snapshot "$TMP/prev" >"$TMP/prev.after"
expect_same "$TMP/prev.before" "$TMP/prev.after"
# Output that cannot be written is an error, not a silent success.
if [ -w /dev/full ]; then
	expect_exit 1 sh -c "\"$FGSIM\" check \"$ROOT/scenarios/mmc.cfg\" >/dev/full"
	expect_err 'cannot write to standard output'
fi
finish
