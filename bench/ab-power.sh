#!/usr/bin/env bash
# How often the default gate flags a change, on this host, with n=15 a
# side: prints detection rates and asserts nothing.
#   A/A: the default profile against itself (every flag is a false alarm);
#   A/B: the default profile against it with --memslots-after 1 (the 6.18
#        stall: every boot's next memslot update waits a grace period).
# Two ways to spend the 15 iterations a side:
#   one run:     one run of 15 a side, baseline first;
#   alternating: 3 runs of 5 a side, as A B A B A B, which the gate
#                resamples by run (a file is a run).
# Targets (issue "An A/B that a CI can trust"): A/B caught 10 of 10, A/A
# flagged at most 1 of 10.
# Usage: bench/ab-power.sh [path/to/bootbench] [trials]   (needs /dev/kvm)
set -euo pipefail
bin=${1:-build/bootbench}
trials=${2:-10}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# run SIDE_DIR ITERATIONS [ARGS...]
run() {
	local dir=$1 n=$2
	shift 2
	"$bin" run --quiet --iterations "$n" --out "$dir" "$@" >/dev/null
}

# trial PROTOCOL PAIR: prints the gate's exit status and its vmm line
trial() {
	local protocol=$1 pair=$2 t=$out/trial
	rm -rf "$t"
	mkdir -p "$t/a" "$t/b"
	local candidate=()
	[ "$pair" = A/B ] && candidate=(--memslots-after 1)
	if [ "$protocol" = "one run" ]; then
		run "$t/a" 15
		run "$t/b" 15 "${candidate[@]}"
	else
		for _ in 1 2 3; do
			run "$t/a" 5
			run "$t/b" 5 "${candidate[@]}"
		done
	fi
	local rc=0
	"$bin" gate --allow-different-profiles --baseline "$t"/a/*.json --candidate "$t"/b/*.json \
		>"$t/gate.txt" 2>/dev/null || rc=$?
	echo "$rc $(grep -m1 '^[A-Z]* vmm:' "$t/gate.txt" | sed 's/ (95% CI.*//')"
}

echo "bootbench gate detection rates on $(hostname), Linux $(uname -r), $(nproc) CPUs"
echo "default gate (vmm, median and p90, +5% at p < 0.01), n=15 a side, $trials trials each"
echo
printf '%-12s %-5s %-9s %s\n' protocol pair flagged "vmm median change per trial"
for protocol in "one run" alternating; do
	for pair in A/A A/B; do
		flagged=0 changes=()
		for ((i = 0; i < trials; i++)); do
			read -r rc line < <(trial "$protocol" "$pair")
			[ "$rc" = 2 ] && { echo "gate refused the inputs: see $out" >&2; exit 1; }
			[ "$rc" = 1 ] && flagged=$((flagged + 1))
			changes+=("${line##* }")
		done
		printf '%-12s %-5s %-9s %s\n' "$protocol" "$pair" "$flagged/$trials" "${changes[*]}"
	done
done
