#!/bin/sh
# make bench: fgsim's engine against the reference loop and SimPy on the same M/M/c
# (lambda = 4.5, mu = 1, c = 5), measured in this one run so the ratios are fair on a
# shared machine; plus peak memory at 2 and 20 million jobs (it must not grow with the
# jobs simulated). Figures are jobs per second of wall time; the best of 3 runs each.
set -e
cd "$(dirname "$0")/../.."
B=build/bench
mkdir -p $B
cc -O2 -o $B/mmc_ref tests/bench/mmc_ref.c -lm
jobs=20000000
best() { sort -n | tail -1; }
json() { sed -n "s/.*\"$2\": \([0-9.]*\).*/\1/p" "$1/run.json"; }

echo "== M/M/c engine benchmark: lambda=4.5/h, mu=1/h, c=5, $jobs jobs =="
ref=$(for i in 1 2 3; do $B/mmc_ref 4.5 1 5 $jobs | sed 's/.*jobs_per_s //'; done | best)
fg=$(for i in 1 2 3; do bin/fgsim run tests/bench/mmc-20m.cfg -o $B/mmc20m --quiet >/dev/null; json $B/mmc20m jobs_per_second; done | best)
echo "reference loop (no event list):  $ref jobs/s"
echo "fgsim run (all statistics on):   $fg jobs/s"
awk -v a="$fg" -v b="$ref" 'BEGIN { printf "fgsim / reference loop:          %.3f (target >= 0.25)\n", a / b }'

# The same run with FCFS from a plugin (models/plugins/fcfs.so, through fgsim_plugin.h):
# what calling through the plugin interface costs (issue 7: under 10%).
plug=$(for i in 1 2 3; do bin/fgsim run tests/bench/mmc-20m.cfg -o $B/mmc20m-plugin --quiet \
	--set 'policies=({ name = "fcfs"; plugin = "../../models/plugins/fcfs.so"; })' >/dev/null
	json $B/mmc20m-plugin jobs_per_second; done | best)
echo "fgsim run, fcfs plugin:          $plug jobs/s"
awk -v a="$plug" -v b="$fg" 'BEGIN { printf "fcfs plugin / built-in fcfs:     %.3f (target >= 0.90)\n", a / b }'

if /usr/bin/python3 -c 'import SimPy' 2>/dev/null; then
	sjobs=300000
	sp=$(/usr/bin/python3 tests/bench/mmc_simpy.py 4.5 1 5 $sjobs | sed 's/.*jobs_per_s //')
	echo "SimPy 2.3 ($sjobs jobs):          $sp jobs/s"
	awk -v a="$fg" -v b="$sp" 'BEGIN { printf "fgsim / SimPy:                   %.0f (target >= 100)\n", a / b }'
else
	echo "SimPy: python3-simpy is not installed (make deps installs it)"
fi

echo "== memory follows the jobs in the system, not the jobs simulated =="
bin/fgsim run tests/bench/mmc-20m.cfg -o $B/mmc2m --quiet --set run.horizon=18519d >/dev/null
m2=$(json $B/mmc2m peak_rss_kb); m20=$(json $B/mmc20m peak_rss_kb)
echo "peak RSS, 2 million jobs:  $m2 kB"
echo "peak RSS, 20 million jobs: $m20 kB"
awk -v a="$m20" -v b="$m2" 'BEGIN { printf "ratio 20M / 2M:            %.3f (target <= 1.10)\n", a / b }'

echo "== the flagship scenario: one week, every policy, 10 replications, 2 threads (target < 60 s) =="
bin/fgsim run scenarios/fastgpu-promo.cfg -o $B/flagship --quiet -j 2 >/dev/null
echo "wall $(json $B/flagship wall_seconds) s, $(json $B/flagship events_per_second) events/s, $(json $B/flagship jobs_per_second) jobs/s"

echo "== bench-large: 10,000 GPUs in 4 pools, 30 days, ~20M jobs per policy, every policy =="
for j in 1 2; do
	bin/fgsim run scenarios/bench-large.cfg -o $B/large-j$j --quiet -j $j >/dev/null
	echo "-j $j: wall $(json $B/large-j$j wall_seconds) s, $(json $B/large-j$j events_per_second) events/s, $(json $B/large-j$j jobs_per_second) jobs/s, peak RSS $(json $B/large-j$j peak_rss_kb) kB"
done
cmp -s $B/large-j1/summary.csv $B/large-j2/summary.csv && echo "-j 1 and -j 2 summary.csv: identical" || echo "-j 1 and -j 2 summary.csv DIFFER"
awk -v a="$(json $B/large-j1 wall_seconds)" -v b="$(json $B/large-j2 wall_seconds)" 'BEGIN { printf "speed-up with -j 2: %.2f (target: close to 2; under 300 s single-threaded)\n", a / b }'

echo "== fill: openb (1,213 nodes), 6 placements x 10 seeds to 130%, -j 2 (target < 10 s, about 5.5 s here; the reference simulator: ~10 min per single experiment) =="
/usr/bin/time -f "fill: %e s wall" bin/fgsim fill scenarios/openb-fill.cfg -o $B/fill -j 2 --quiet >/dev/null
if [ -f tests/bench/bench_calendar.c ]; then
	echo "== event-set structures, hold model (ns per hold; see tests/bench/bench_calendar.md) =="
	cc -O2 -std=c11 -D_GNU_SOURCE -o $B/bench_calendar tests/bench/bench_calendar.c -lgsl -lgslcblas -lm
	$B/bench_calendar
fi
