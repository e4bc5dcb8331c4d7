# fgsim keys and fgsim metrics print the tables the program reads, and the user docs
# hold exactly those rows: docs/scenarios.md every scenario key (no more, no fewer, each
# row as `fgsim keys --markdown` prints it), docs/outputs.md every metric. The docs'
# example scenario loads, every key of the table is read by some loader file, and the
# metrics fgsim metrics lists are the ones summary.csv reports.
. "$(dirname "$0")/lib.sh"
scen="$ROOT/docs/scenarios.md"
outs="$ROOT/docs/outputs.md"

# The key rows of a scenarios doc: table rows whose first cell is a backticked key.
doc_key_rows() { grep -E '^\| `[a-z_]+(\.([a-z_]+|\[\]))*` \|' "$1"; }

# keys_match DOC: 0 when DOC's key rows are exactly `fgsim keys --markdown`'s, each
# once; else the differences on stdout and 1.
keys_match() {
	"$FGSIM" keys --markdown | sort >"$TMP/want.rows"
	doc_key_rows "$1" | sort >"$TMP/have.rows"
	dup=$(doc_key_rows "$1" | cut -d'`' -f2 | sort | uniq -d)
	[ -z "$dup" ] || { echo "listed twice: $dup"; return 1; }
	if ! cmp -s "$TMP/want.rows" "$TMP/have.rows"; then
		comm -23 "$TMP/want.rows" "$TMP/have.rows" | sed 's/^/missing or different: /'
		comm -13 "$TMP/want.rows" "$TMP/have.rows" | sed 's/^/not a key, or out of date: /'
		return 1
	fi
	return 0
}

expect_exit 0 "$FGSIM" keys --tsv
cut -f1 "$TMP/out" >"$TMP/keys"
ok; [ "$(wc -l <"$TMP/keys")" -gt 80 ] || fail "fgsim keys --tsv lists only $(wc -l <"$TMP/keys") keys"
ok; awk -F'\t' 'NF != 6 { exit 1 }' "$TMP/out" || fail "a --tsv line without its 6 columns"
ok; grep -qx 'cluster.pools.\[\].nodes' "$TMP/keys" || fail "no cluster.pools.[].nodes in fgsim keys"
expect_exit 0 "$FGSIM" keys
expect_out '^run\.replications: integer, default 10$'
expect_out '^    independent replications'
expect_out '^run\.horizon: duration, required, in s$'
expect_out '^run\.precision: group, optional$'
ok; awk 'length > 100 { exit 1 }' "$TMP/out" || fail "fgsim keys writes lines over 100 characters"
expect_exit 0 "$FGSIM" keys cluster.pools.[].burst
ok; [ "$(grep -c '^[^ ]' "$TMP/out")" = 9 ] || fail "keys cluster.pools.[].burst: $(grep -c '^[^ ]' "$TMP/out") keys, wanted 9"
expect_exit 2 "$FGSIM" keys cluster.pool
expect_err 'no scenario key is under "cluster.pool"'
expect_exit 2 "$FGSIM" keys --bogus

# docs/scenarios.md lists exactly the keys, with the program's type, default, unit,
# example and description.
ok; keys_match "$scen" >"$TMP/diff" || fail "docs/scenarios.md and fgsim keys disagree: $(head -c 600 "$TMP/diff")"
# ... and the check can fail: a key dropped from a copy, or a default edited, is found.
grep -v '^| `run.seed` |' "$scen" >"$TMP/dropped.md"
ok; ! keys_match "$TMP/dropped.md" >"$TMP/diff" || fail "a doc without run.seed passed"
ok; grep -q 'missing or different: | `run.seed`' "$TMP/diff" || fail "the dropped key is not named: $(head -c 300 "$TMP/diff")"
sed 's/^\(| `run.replications` | integer | \)10 /\120 /' "$scen" >"$TMP/edited.md"
ok; ! keys_match "$TMP/edited.md" >/dev/null || fail "a doc with a wrong default passed"
sed 's/^\(| `run.seed` |.*\)$/\1\n| `run.sede` | integer | 1 | - | `1` | typo |/' "$scen" >"$TMP/extra.md"
ok; ! keys_match "$TMP/extra.md" >/dev/null || fail "a doc with a key the program lacks passed"

# Every key of the table is read by a loader file: a key the table lists and no loader
# reads would be accepted and silently ignored (the table is the unknown-key check).
for leaf in $(sed 's/.*\.//' "$TMP/keys" | sort -u); do
	ok; cat "$ROOT"/models/scenario/scenario_load*.c "$ROOT"/models/scenario/scenario_workload.c \
		"$ROOT"/models/scenario/scenario_trace.c "$ROOT"/models/scenario/scenario_policies.c \
		"$ROOT"/models/scenario/scenario_faults.c |
		grep -q "\"$leaf\"" || fail "key \"$leaf\" is in the key table but no loader file reads it"
done

# Every key table has rows: a section whose keys sit in another section's table reads as
# "this section has no keys" (a heading, a table header, nothing).
awk 'BEGIN { sep = -9 } /^\| key \| type \|/ { head = NR } /^\|---/ && NR == head + 1 { sep = NR; next }
     NR == sep + 1 && !/^\| `/ { print "line " NR - 2 ": a key table with no rows"; sep = -9 }' \
	"$scen" >"$TMP/empty"
ok; [ ! -s "$TMP/empty" ] || fail "docs/scenarios.md: $(head -3 "$TMP/empty")"

# The small complete scenario in docs/scenarios.md loads.
awk '/^```cfg$/ { on = 1; next } /^```$/ { on = 0 } on' "$scen" >"$TMP/small.cfg"
ok; [ -s "$TMP/small.cfg" ] || fail "docs/scenarios.md has no \`\`\`cfg example"
expect_exit 0 "$FGSIM" check "$TMP/small.cfg"

# fgsim metrics: every metric once, with unit, scopes and definition; docs/outputs.md
# holds exactly its --markdown rows between the metrics markers.
expect_exit 0 "$FGSIM" metrics --tsv
cut -f1 "$TMP/out" >"$TMP/metrics"
ok; awk -F'\t' 'NF != 4 || $2 == "" || $3 == "" || $4 == "" { exit 1 }' "$TMP/out" ||
	fail "a metric without its unit, scopes or definition"
ok; [ -z "$(sort "$TMP/metrics" | uniq -d)" ] || fail "a metric listed twice"
ok; grep -qx 'wait_p95' "$TMP/metrics" || fail "no wait_p95 in fgsim metrics"
grep -E '^wait_p95	s	all,class,pool,window,tenant	' "$TMP/out" >/dev/null; ok; [ $? = 0 ] ||
	fail "wait_p95's unit or scopes are not s / all,class,pool,window,tenant"
expect_exit 0 "$FGSIM" metrics
expect_out '^tenant:NAME +the jobs of one of the five busiest'
ok; awk 'length > 100 { exit 1 }' "$TMP/out" || fail "fgsim metrics writes lines over 100 characters"
"$FGSIM" metrics --markdown | sort >"$TMP/want.metrics"
awk '/^<!-- metrics/ { on = 1; next } /^<!-- \/metrics -->/ { on = 0 } on && /^\| `/' "$outs" |
	sort >"$TMP/have.metrics"
ok; [ "$(wc -l <"$TMP/have.metrics")" -gt 0 ] || fail "docs/outputs.md has no metrics block"
ok; cmp -s "$TMP/want.metrics" "$TMP/have.metrics" ||
	fail "docs/outputs.md and fgsim metrics disagree: $(diff "$TMP/want.metrics" "$TMP/have.metrics" | head -c 600)"
# no metric row outside the block either
ok; [ "$(grep -cE '^\| `[a-z_0-9]+` \| [^|]+ \| (all|class|pool|window|tenant)[a-z,]* \|' "$outs")" = \
	"$(wc -l <"$TMP/want.metrics")" ] || fail "docs/outputs.md has metric rows outside its metrics block"

# The metrics listed are those summary.csv reports: a two-day run of the M/M/5 whose
# nodes fail (the metrics of failures are reported only then), scope all; and the same
# without failures reports all but those.
sed 's/price_per_gpu_hour = 3.50;/& failures = { mtbf = "1d"; repair = "1h"; };/' \
	"$ROOT/scenarios/mmc.cfg" >"$TMP/mmc-fail.cfg"
expect_exit 0 "$FGSIM" run "$TMP/mmc-fail.cfg" -o "$TMP/r" --quiet --set run.horizon=2d \
	--set run.warmup=1h --set run.replications=2 --set output.plots=false
awk -F, 'NR > 1 && $2 == "all" { print $3 }' "$TMP/r/summary.csv" | sort -u >"$TMP/reported"
"$FGSIM" metrics --tsv | awk -F'\t' '$3 ~ /(^|,)all(,|$)/ { print $1 }' | sort >"$TMP/listed"
expect_same "$TMP/reported" "$TMP/listed"
expect_exit 0 "$FGSIM" run "$ROOT/scenarios/mmc.cfg" -o "$TMP/r2" --quiet --set run.horizon=2d \
	--set run.warmup=1h --set run.replications=2 --set output.plots=false
awk -F, 'NR > 1 && $2 == "all" { print $3 }' "$TMP/r2/summary.csv" | sort -u >"$TMP/reported2"
grep -vxE 'node_availability|failures|reclaims|interrupted|failed|checkpoint_gpu_hours|goodput_gpu_hours' \
	"$TMP/listed" >"$TMP/listed2"
expect_same "$TMP/reported2" "$TMP/listed2"
finish
