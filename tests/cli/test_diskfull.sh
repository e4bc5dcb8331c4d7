# A full disk (ENOSPC) is an error, never a truncated CSV: fgsim exits 1, names the file
# it could not write, leaves no temporary file behind and leaves the previous results of
# the output folder as they were, whichever file the disk filled up on.
# As root, the test runs in a private mount namespace on a 1 MiB tmpfs that it fills for
# real; elsewhere (or with FGSIM_DISKFULL_DEVFULL=1) it points the temporary file fgsim
# is about to write at /dev/full.

# Re-run in a private mount namespace, so the tmpfs vanishes with the test whatever happens.
if [ -z "$FGSIM_DISKFULL_NS" ] && [ -z "$FGSIM_DISKFULL_DEVFULL" ] && [ "$(id -u)" = 0 ] && command -v unshare >/dev/null 2>&1 &&
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
if [ -n "$FGSIM_DISKFULL_NS" ] && mount -t tmpfs -o size=1m tmpfs "$disk" 2>/dev/null; then
	echo "disk full for real: a 1 MiB tmpfs"
	res="$disk/res"
	expect_exit 0 "$FGSIM" run "$prom" -o "$res" $small
	snapshot "$res" "$TMP/before"

	# 1. The disk fills on a later file: the summaries fit in the space left, the 2.5 MB
	#    jobs.csv (with the time series, the exact file depends on their sizes) does
	#    not. The files already written must not replace the old ones either, or the
	#    folder would mix two runs.
	expect_exit 1 "$FGSIM" run "$prom" -o "$res" $small --seed 7 --set output.jobs=true --set output.timeseries_step=5m
	expect_err "$res/(replications|compare|timeseries|jobs)\.csv: .*No space left on device"
	snapshot "$res" "$TMP/after"
	expect_same "$TMP/before" "$TMP/after"

	# 2. The disk is full from the first byte.
	dd if=/dev/zero of="$disk/filler" bs=4k >/dev/null 2>&1
	expect_exit 1 "$FGSIM" run "$prom" -o "$res" $small --seed 8
	expect_err "$res/summary.csv: .*No space left on device"
	snapshot "$res" "$TMP/after"
	expect_same "$TMP/before" "$TMP/after"
	# A new folder on the full disk gets no result file at all.
	expect_exit 1 "$FGSIM" run "$prom" -o "$disk/new" $small
	ok; [ -z "$(ls -A "$disk/new" 2>/dev/null)" ] || fail "files left in $disk/new: $(ls -A "$disk/new")"
	umount "$disk"
else
	# /dev/full fails every write with ENOSPC. fgsim writes DIR/.NAME.tmp.PID first
	# (sim/outfile.c); the shell plants the link there and becomes fgsim, keeping its PID.
	echo "no tmpfs here: the temporary file is pointed at /dev/full"
	res="$TMP/res"
	expect_exit 0 "$FGSIM" run "$prom" -o "$res" $small
	snapshot "$res" "$TMP/before"
	for name in summary.csv run.json; do
		expect_exit 1 sh -c 'ln -s /dev/full "$1/.$2.tmp.$$" && shift 2 && exec "$@"' sh "$res" "$name" \
			"$FGSIM" run "$prom" -o "$res" $small --seed 9
		expect_err "$res/$name: .*No space left on device"
		snapshot "$res" "$TMP/after"
		expect_same "$TMP/before" "$TMP/after"
	done
fi
finish
