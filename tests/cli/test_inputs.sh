# Inputs that outlive their load are checked again when they are read again: a sweep's
# saved point that no longer matches its checksum runs again (and sweep.csv is never
# assembled from one), and a file with an endless line fails at the line limit, at once.
. "$(dirname "$0")/lib.sh"
mmc="$ROOT/scenarios/mmc.cfg"
small="--quiet --set run.horizon=100d --set run.replications=3 --set output.plots=false"
nodes=cluster.pools.[0].nodes

# ---- sweep points -------------------------------------------------------------------
expect_exit 0 "$FGSIM" sweep "$mmc" --vary "$nodes=5:7" -o "$TMP/whole" $small
# Each point file ends with its row count and hash; sweep.csv has every point's rows.
for p in "$TMP/whole/points/"*.csv; do
	ok; tail -1 "$p" | grep -qE '^# end: [0-9]+ rows, fnv1a [0-9a-f]{16}$' || fail "$p: no checksum line: $(tail -1 "$p")"
done
rows=$(($(wc -l <"$TMP/whole/sweep.csv") - 1))
ok; [ $rows -gt 30 ] && [ $((rows % 3)) = 0 ] || fail "sweep.csv has $rows rows"

# damage POINT HOW: the copy's point file, cut short, a row gone, a byte changed, garbage
damage() {
	rm -rf "$TMP/cut"
	cp -r "$TMP/whole" "$TMP/cut"
	rm "$TMP/cut/sweep.csv"
	f=$(ls "$TMP/cut/points/"*.csv | sed -n 2p)
	case $2 in
	truncate) head -c $(($(wc -c <"$f") / 2)) "$f" >"$f.tmp" ;;
	row) sed '5d' "$f" >"$f.tmp" ;;
	edit) sed '5s/,[0-9]/,9/' "$f" >"$f.tmp" ;;
	nocheck) sed '$d' "$f" >"$f.tmp" ;;
	garbage) head -c 3000 /dev/urandom >"$f.tmp" ;;
	esac
	mv "$f.tmp" "$f"
	damaged=$f
}
for how in truncate row edit nocheck garbage; do
	damage 2 $how
	expect_exit 0 "$FGSIM" sweep "$mmc" --vary "$nodes=5:7" -o "$TMP/cut" $small
	expect_err "^$damaged: not reused, the point runs again: "
	expect_out "3 points: 1 run, 2 reused"
	expect_same "$TMP/whole/sweep.csv" "$TMP/cut/sweep.csv"
	expect_same "$TMP/whole/points/$(basename "$damaged")" "$damaged"
done

# (A point damaged after its check, when sweep.csv is assembled, fails the sweep naming
# it: tests/test_sweep.c.)

finish
