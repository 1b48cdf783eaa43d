#!/usr/bin/env bash
# The cost of off-CPU time and kernel stacks: the default profile with
# stacks off and on, interleaved run by run (off on off on ...), compared
# by bootbench itself (ratios within one run; medians), then each side's
# peak RSS. Prints numbers, asserts nothing.
# Usage: bench/offcpu.sh [path/to/bootbench] [rounds] [iterations]   (root: perf events)
set -euo pipefail
bin=${1:-build/bootbench}
rounds=${2:-5}
iterations=${3:-10}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

rss() { grep '^peak RSS' "$1" | tail -1; }
for ((r = 1; r <= rounds; r++)); do
	"$bin" run --no-stacks --iterations "$iterations" --out "$out/off" >"$out/off.txt"
	"$bin" run --iterations "$iterations" --out "$out/on" >"$out/on.txt" 2>"$out/on.err"
done
if grep -q 'no off-CPU time' "$out/on.err"; then
	echo "perf events are not permitted here: $(cat "$out/on.err")" >&2
	exit 1
fi
echo "off-CPU capture cost on $(hostname), Linux $(uname -r), $(nproc) CPUs:" \
	"$rounds alternating runs of $iterations iterations a side"
echo "baseline (A): --no-stacks; candidate (B): stacks on"
"$bin" compare --metric startup --metric vmm --metric overhead "$out"/off/*.json -- "$out"/on/*.json |
	sed -n '/^metric/,/^$/p'
echo "peak RSS, stacks off: $(rss "$out/off.txt" | cut -d: -f2)"
echo "peak RSS, stacks on:  $(rss "$out/on.txt" | cut -d: -f2)"
