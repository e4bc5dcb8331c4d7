#!/bin/sh
# flagship.sh [burst|no-burst] - the flagship's week under every policy, as the table in
# docs/model.md shows it (a generated section: `make test` reruns this and compares).
# Run from a folder holding bin/fgsim and scenarios/, as tests/doctest.py arranges.
set -e
here=$(dirname "$0")
case "${1:-burst}" in
burst) set -- ;;
no-burst) set -- --set 'cluster.pools.[1].burst.max_nodes=0' ;;
*) echo "usage: flagship.sh [burst|no-burst]" >&2; exit 2 ;;
esac
bin/fgsim run scenarios/fastgpu-promo.cfg --quiet -o results/flagship-table "$@" \
	--set output.plots=false >/dev/null
r=results/flagship-table
python3 "$here/table.py" "p95 wait, week=$r:all:wait_p95:s" \
	"p95 wait, sale=$r:window:flash-sale:wait_p95:s" \
	"gave up, week=$r:all:abandon_rate:pct" \
	"burst cost, week (USD)=$r:all:burst_cost:money" \
	"profit, week (USD)=$r:all:profit:money"
