# A full disk (ENOSPC) is an error, never a truncated CSV: fgsim exits 1, names the file
# it could not write, leaves no temporary file behind and leaves the previous results of
# the output folder as they were, whichever file the disk filled up on.
# It runs as root in a private mount namespace on a small tmpfs that it fills for real,
# holding both the output folder and $TMPDIR; elsewhere it is skipped with a message.

# Re-run in a private mount namespace, so the tmpfs vanishes with the test whatever happens.
if [ -z "$FGSIM_DISKFULL_NS" ] && [ "$(id -u)" = 0 ] && command -v unshare >/dev/null 2>&1 &&
	unshare -m --propagation private true 2>/dev/null; then
	FGSIM_DISKFULL_NS=1 exec unshare -m --propagation private sh "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"
prom="$ROOT/scenarios/fastgpu-promo.cfg"
small="--quiet --set output.plots=false --set run.replications=2 --set run.horizon=2d --set run.warmup=0s --set promotions.[0].start=1d"

# The folder's files, byte for byte, and no hidden temporaries.
snapshot() { (cd "$1" && find . | sort && find . -type f | sort | xargs cat) >"$2"; }

disk="$TMP/disk"
mkdir "$disk"
if [ -n "$FGSIM_DISKFULL_NS" ] && mount -t tmpfs -o size=4m tmpfs "$disk" 2>/dev/null; then
	echo "disk full for real: a 4 MiB tmpfs holding the output folder and the temporary folder"
	export TMPDIR="$disk"
	res="$disk/res"
	expect_exit 0 "$FGSIM" run "$prom" -o "$res" $small
	snapshot "$res" "$TMP/before"
	tidy() {
		ok; left=$(ls -A "$disk" | grep -v -e '^res$' -e '^\.res\.fgsim-lock$' -e '^filler' -e '^new$' -e '^\.new\.fgsim-lock$')
		[ -z "$left" ] || fail "left on the disk: $left"
	}

	# 1. The disk fills on a later file: the summaries fit in the space left, the rows
	#    kept per replication for jobs.csv and timeseries.csv (beside the results, on
	#    the same disk) do not. The folder keeps its previous results.
	expect_exit 1 "$FGSIM" run "$prom" -o "$res" $small --seed 7 --set output.jobs=true --set output.timeseries_step=1m
	expect_err "$res/(summary|replications|compare|timeseries|jobs)\.csv: .*No space left on device"
	snapshot "$res" "$TMP/after"
	expect_same "$TMP/before" "$TMP/after"
	tidy

	# 2. The disk is full from the first byte.
	dd if=/dev/zero of="$disk/filler" bs=4k >/dev/null 2>&1
	expect_exit 1 "$FGSIM" run "$prom" -o "$res" $small --seed 8
	expect_err "$res: .*No space left on device"
	snapshot "$res" "$TMP/after"
	expect_same "$TMP/before" "$TMP/after"
	tidy
	# A new folder on the full disk gets no result file at all.
	expect_exit 1 "$FGSIM" run "$prom" -o "$disk/new" $small
	expect_absent "$disk/new"
	tidy
	umount "$disk"
else
	echo "SKIP: no tmpfs can be mounted here (needs root and a private mount namespace): no full-disk test"
fi
finish
