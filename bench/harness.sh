#!/usr/bin/env bash
# Benchmarks of the harness itself; prints numbers, asserts nothing.
#  1. overhead: startup time spent outside every timed operation (the
#     VMM's exit handling, thread start, logging), as a share of startup,
#     on the default profile. Target: at most 5%.
#  2. memory: peak RSS after 100 and after 1000 iterations of the default
#     profile, raw events included. Target: under 64 MiB, and flat.
# Usage: bench/harness.sh [path/to/bootbench]   (needs /dev/kvm)
set -euo pipefail
bin=${1:-build/bootbench}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

summary() { # label, args...
	local label=$1
	shift
	"$bin" run "$@" --out "$out" >"$out/summary.txt"
	local overhead rss wall
	overhead=$(grep '^outside timed calls' "$out/summary.txt")
	rss=$(grep '^peak RSS' "$out/summary.txt")
	wall=$(grep '^startup to boot-done' "$out/summary.txt")
	printf '%-28s %s\n%-28s %s\n%-28s %s\n' "$label" "$wall" "" "$overhead" "" "$rss"
	rm -f "$out"/*.json "$out"/*.tsv
}

echo "bootbench harness benchmark on $(uname -r), $(nproc) CPUs"
summary "default, 30 iterations:" --iterations 30 --warmup 3
summary "default, 100 iterations:" --iterations 100 --warmup 0
summary "default, 1000 iterations:" --iterations 1000 --warmup 0
