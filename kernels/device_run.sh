#!/bin/sh
# kernels/device_run.sh - issue 19's measurements in ONE device call: self-tests (every
# kernel against its host reference, the read-only L2 flush, cuDNN attention against the
# host and the naive kernel), the re-measurements that the new method changes (cuDNN
# attention, the GEMVs that decode reads cold; fgcal --steps-of --only), every profile's
# whole step layer by layer, and the PyTorch reference. Everything lands under $OUT, at
# most 8 files, with a time budget that fits the device limits (one call at most 10 min).
#
# Here, before the call (builds bin/fgcal and copies it with the libraries the device
# image lacks, libconfig and GSL, into .devlibs/, which git ignores):
#     sh kernels/device_run.sh --prep
# The call (device tool `run`, carry [".devlibs"], timeout_s 540):
#     sh kernels/device_run.sh --gpu h100-sxm --budget 420
# Check the plan without a GPU:  sh kernels/device_run.sh --dry-run   (or FGCAL=echo PY=echo)
set -u

GPU=h100-sxm
BUDGET=420          # seconds of measuring; the call's own limit must leave room above it
ONLY=attention_cudnn,gemv_bf16
STEP_LAYERS=4       # distinct layers per step at most (70B: 4 of 80, scaled x20)
STEP_SAMPLES=3
DRY=0
PREP=0
while [ $# -gt 0 ]; do
	case "$1" in
	--gpu) GPU=$2; shift ;;
	--budget) BUDGET=$2; shift ;;
	--only) ONLY=$2; shift ;;
	--step-layers) STEP_LAYERS=$2; shift ;;
	--step-samples) STEP_SAMPLES=$2; shift ;;
	--dry-run) DRY=1 ;;
	--prep) PREP=1 ;;
	-h|--help) sed -n 2,15p "$0"; exit 0 ;;
	*) echo "device_run.sh: unknown option $1" >&2; exit 2 ;;
	esac
	shift
done

if [ $PREP = 1 ]; then
	# On the build machine: a binary that needs nothing the device image lacks but
	# these three libraries (the image has CUDA 13.0 and cuDNN, not libconfig or GSL).
	make -j2 bin/fgcal || exit 1
	mkdir -p .devlibs/lib
	cp bin/fgcal .devlibs/fgcal
	for l in libconfig.so.9 libgsl.so.27 libgslcblas.so.0; do
		f=$(ldd bin/fgcal | awk -v l=$l '$1 == l { print $3 }')
		[ -n "$f" ] && cp -L "$f" .devlibs/lib/ || echo "device_run.sh: $l not found by ldd" >&2
	done
	ex=$(git rev-parse --git-path info/exclude)
	grep -qx '/.devlibs/' "$ex" 2>/dev/null || echo '/.devlibs/' >>"$ex"
	du -sh .devlibs
	exit 0
fi

OUT=${OUT:-/tmp/device-out}
mkdir -p "$OUT"
LOG=$OUT/log.txt
CAL=$OUT/$GPU.cfg
START=$(date +%s)
: "${FGCAL:=}" "${PY:=python3}"
left() { echo $((BUDGET - ($(date +%s) - START))); }
say() { echo "== $*" | tee -a "$LOG"; }
# run CMD...: logged; under --dry-run only printed.
run() {
	echo "\$ $*" >>"$LOG"
	if [ $DRY = 1 ]; then echo "would run: $*"; return 0; fi
	"$@" >>"$LOG" 2>&1
}

# ---- the binary and cuDNN --------------------------------------------------------------
if [ -z "$FGCAL" ]; then
	if [ -x .devlibs/fgcal ]; then
		FGCAL=.devlibs/fgcal
		export LD_LIBRARY_PATH="$PWD/.devlibs/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
	elif [ $DRY = 0 ] && make -j8 bin/fgcal >>"$LOG" 2>&1; then
		FGCAL=bin/fgcal
	else
		FGCAL=bin/fgcal
		[ $DRY = 1 ] || { say "no fgcal: carry .devlibs (sh kernels/device_run.sh --prep here first)"; exit 1; }
	fi
fi
# cuDNN: the toolkit's, else PyTorch's wheel (nvidia/cudnn/lib), else torch/lib.
for d in /usr/local/cuda/lib64 \
	$($PY -c 'import nvidia.cudnn, os; print(os.path.join(os.path.dirname(nvidia.cudnn.__file__), "lib"))' 2>/dev/null) \
	$($PY -c 'import torch, os; print(os.path.join(os.path.dirname(torch.__file__), "lib"))' 2>/dev/null); do
	if [ -e "$d/libcudnn.so.9" ]; then
		export LD_LIBRARY_PATH="${LD_LIBRARY_PATH:+$LD_LIBRARY_PATH:}$d"
		say "cuDNN from $d"
		break
	fi
done

say "device: $(nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.max.sm,temperature.gpu,power.draw \
	--format=csv,noheader 2>/dev/null || echo unknown); budget ${BUDGET}s; fgcal $FGCAL"

# ---- 1. self-tests (must pass before anything is timed) ---------------------------------
say "self-tests"
if ! run timeout 120 $FGCAL --selftest; then
	say "SELF-TEST FAILED: nothing timed (see log.txt)"
	tail -30 "$LOG"
	exit 1
fi

# ---- 2. kernels the method changed, then every whole step ------------------------------
# 60% of the budget to fgcal (kernels and steps), the rest to the PyTorch reference.
FB=$((BUDGET * 60 / 100))
say "fgcal: --only $ONLY, then whole steps ($STEP_LAYERS layers at most, $STEP_SAMPLES samples), ${FB}s"
run timeout $((FB + 60)) $FGCAL --gpu "$GPU" --steps-of "models/calibration/$GPU.cfg" --only "$ONLY" \
	-o "$CAL" --predictions "$OUT/predictions.tsv" --budget "$FB" \
	--step-layers "$STEP_LAYERS" --step-samples "$STEP_SAMPLES"
rc=$?
[ $rc = 0 ] || say "fgcal exited $rc (its file keeps what it finished; see log.txt)"

# ---- 3. the PyTorch reference ------------------------------------------------------------
RB=$(left)
if [ "$RB" -gt 30 ]; then
	say "reference.py, ${RB}s"
	export PYTHONUNBUFFERED=1
	run timeout $((RB + 30)) $PY kernels/reference.py --predictions "$OUT/predictions.tsv" \
		--out "$OUT/reference.cfg" --json "$OUT/reference.json" --budget $((RB - 20))
else
	say "reference.py skipped: ${RB}s left of the budget"
fi

# ---- 4. what comes back ------------------------------------------------------------------
{
	echo "issue 19 device run: $GPU, $(($(date +%s) - START)) s of ${BUDGET}"
	grep -E "^(fgcal: self-test|attention_cudnn|gemv_bf16|fidelity|skipped|fgcal: wrote)" "$LOG"
	grep -E "^ {9}" "$LOG" | head -120
	grep -E "measured|skipped|failed" "$LOG" | grep -E "^(llm|resnet|sdxl)"
} >"$OUT/summary.txt" 2>/dev/null
ls -la "$OUT" | tee -a "$LOG"
cat "$OUT/summary.txt"
