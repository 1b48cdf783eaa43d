#!/usr/bin/env bash
# Whether lab/bisect finds the 7d9a0273 backport in the made history
# (lab/make-bisect-history: 16 commits, the culprit the 8th), and what a
# bisection costs on this machine: N bisections of one arch and case, each
# in a fresh --out, each kernel of the history removed from the lab's cache
# first, so every one builds its kernels again with ccache warm (the
# state the issue's 30-minute target names: kernels not cached, ccache
# warm from the ends). Prints, per run, the commit named, right or wrong,
# the steps, the skips, the wall time and its split between kernel builds
# and boots; then how many of N named the culprit. The README and results
# of each run stay in BENCH_OUT (or a temporary directory it names).
#
# Usage: bench/bisect.sh [arch] [case] [metric] [runs] [rounds] [max-rounds]
#   defaults: x86_64 firecracker-memslot memslot:1 3 6 18
# BENCH_GOOD=REF starts the range elsewhere than the tag good (bad~13, the
# history's 3rd commit, puts the culprit 5th of 13, off the middle, so git
# bisect's calls are not all one way after its first midpoint).
# The history is made once, in BENCH_HISTORY (default <lab cache>/bisect-history).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
arch=${1:-x86_64} case=${2:-firecracker-memslot} metric=${3:-memslot:1} runs=${4:-3} rounds=${5:-6} max_rounds=${6:-18}
good=${BENCH_GOOD:-good}
cache=${BOOTBENCH_LAB_CACHE:-${HOME:-/tmp}/.cache/bootbench/lab}
history=${BENCH_HISTORY:-$cache/bisect-history}
out=${BENCH_OUT:-$(mktemp -d)}
mkdir -p "$out"
if [ ! -d "$history/.git" ]; then
	echo "bisect-bench: making the history in $history (about a minute)" >&2
	"$top/lab/make-bisect-history" --out "$history" >"$out/history.txt"
else
	culprit=$(git -C "$history" log --format=%H --grep='^KVM: Avoid synchronize_srcu() in kvm_io_bus_register_dev()$' good..bad)
	printf 'repo=%s\nculprit=%s\n' "$history" "$culprit" >"$out/history.txt"
fi
culprit=$(sed -n 's/^culprit=//p' "$out/history.txt")
git -C "$history" rev-parse --verify -q "$good^{commit}" >/dev/null || { echo "bisect-bench: BENCH_GOOD=$good is no commit of $history: give a ref there (bad~13)" >&2; exit 2; }
git -C "$history" merge-base --is-ancestor "$good" "$culprit^" || { echo "bisect-bench: BENCH_GOOD=$good is not before the culprit ${culprit:0:12}: give an ancestor of ${culprit:0:12}^" >&2; exit 2; }
echo "bisect-bench: $arch, $case, $metric, ${good}..bad, $runs runs of $rounds rounds a batch (up to $max_rounds); culprit ${culprit:0:12}; results in $out"
right=0
for n in $(seq 1 "$runs"); do
	# the history's kernels out of the cache: each run builds them again
	for c in $(git -C "$history" rev-list "$good^!" "$good..bad"); do
		for k in "$cache"/kernels/*/release; do
			if grep -q -- "-g${c:0:12}" "$k" 2>/dev/null; then rm -rf "$(dirname "$k")"; fi
		done
	done
	run=$out/run$n
	t0=$(date +%s)
	rc=0
	"$top/lab/bisect" --source "$history" --good "$good" --bad bad --arch "$arch" --hz 100 --case "$case" --metric "$metric" \
		--rounds "$rounds" --max-rounds "$max_rounds" --out "$run" >"$out/run$n.log" 2>&1 || rc=$?
	wall=$(($(date +%s) - t0))
	named=$(sed -n 's/^bisect: first bad commit: \([0-9a-f]*\) .*/\1/p' "$out/run$n.log")
	verdict=wrong
	if [ -n "$named" ] && [ "$named" = "${culprit:0:12}" ]; then verdict=right right=$((right + 1)); fi
	steps=$(($(wc -l <"$run/bisect.tsv" 2>/dev/null || echo 1) - 1))
	skips=$(awk -F'\t' 'NR > 1 && $3 == "skip"' "$run/bisect.tsv" 2>/dev/null | wc -l)
	split=$(sed -n 's/^kernel builds \([0-9]*\)s.*boots \([0-9]*\)s/builds \1s, boots \2s/p' "$run/README.md" 2>/dev/null)
	printf 'run %s: %s (%s), exit %s, %s steps, %s skipped, %ss wall (%s)\n' "$n" "${named:-no commit}" "$verdict" "$rc" \
		"$steps" "$skips" "$wall" "${split:-no split: see $out/run$n.log}"
done
echo "bisect-bench: $right of $runs named the culprit"
