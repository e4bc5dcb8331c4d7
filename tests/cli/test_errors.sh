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

# Bad usage.
expect_exit 2 "$FGSIM" run
expect_err 'no scenario file'
expect_exit 2 "$FGSIM" run "$good" --frobnicate
expect_err 'unknown or incomplete option "--frobnicate"'
expect_exit 2 "$FGSIM" frob
expect_err 'unknown command'
expect_exit 2 "$FGSIM" run "$good" -j 0
expect_absent "$out"

# An output folder that cannot be written: refused before any simulation.
mkdir "$TMP/ro" && chmod 555 "$TMP/ro"
if [ "$(id -u)" != 0 ]; then
	expect_exit 2 "$FGSIM" run "$good" -o "$TMP/ro/x" --quiet
	expect_err 'not writable'
fi
touch "$TMP/file"
expect_exit 2 "$FGSIM" run "$good" -o "$TMP/file/x" --quiet
expect_err 'cannot create the output folder: .*file is not a folder'
finish
