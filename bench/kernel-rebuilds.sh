#!/usr/bin/env bash
# What a lab kernel costs to build as lab/bisect builds them: a commit of a
# git tree in the tree that moves between commits (lab/build-kernel --git),
# through ccache. On the made history (lab/make-bisect-history), one arch,
# HZ=100, each build timed alone, its kernel first removed from the cache:
#   - a one-file commit: from the commit before the eventfd.c comment
#     (commit 4) to it (commit 5), one compiled file;
#   - across the 16-commit range, good to bad (kvm_host.h and kvm_main.c
#     among what changes), with ccache warm, and again with ccache off
#     (CCACHE_DISABLE), what the moving tree alone saves;
#   - with --cold, first: a fresh cache (no tree, empty ccache), the good
#     commit from nothing, then the same one-file and 16-commit moves with
#     only what that cold build left in ccache.
# Prints seconds per build, asserts nothing. Builds use every CPU: run it
# on an idle machine.
#
# Usage: bench/kernel-rebuilds.sh [arch] [--cold]
# The history is BENCH_HISTORY (default <lab cache>/bisect-history, made
# there if absent).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
arch=${1:-x86_64} cold=0
[ "${2:-}" != --cold ] || cold=1
cache=${BOOTBENCH_LAB_CACHE:-${HOME:-/tmp}/.cache/bootbench/lab}
history=${BENCH_HISTORY:-$cache/bisect-history}
[ -d "$history/.git" ] || "$top/lab/make-bisect-history" --out "$history" >/dev/null
if [ $cold = 1 ]; then
	cache=$(mktemp -d "${TMPDIR:-/tmp}/kernel-rebuilds.XXXXXX")
	export CCACHE_DIR=$cache/ccache
	echo "kernel-rebuilds: a fresh cache in $cache"
fi
mapfile -t c < <(git -C "$history" rev-parse good && git -C "$history" rev-list --reverse good..bad)
uncache() { # commits...
	local x k
	for x in "$@"; do
		for k in "$cache"/kernels/*/release; do
			if grep -q -- "-g${x:0:12}" "$k" 2>/dev/null; then rm -rf "$(dirname "$k")"; fi
		done
	done
}
build() { # what, commit, [env...]
	local what=$1 commit=$2 t0
	shift 2
	t0=$(date +%s.%N)
	env "$@" "$top/lab/build-kernel" --git "$history" --commit "$commit" --arch "$arch" --hz 100 --cache "$cache" >/dev/null
	printf 'kernel-rebuilds: %s, %s: %.0fs\n' "$arch" "$what" "$(echo "$(date +%s.%N) - $t0" | bc)"
}
uncache "${c[0]}" "${c[4]}" "${c[5]}" "${c[16]}"
[ $cold = 0 ] || build "cold (no tree, empty ccache), good" "${c[0]}"
build "to commit 4 (where the mover was)" "${c[4]}"
build "one-file commit (4 to 5, virt/kvm/eventfd.c)" "${c[5]}"
[ $cold = 1 ] || { uncache "${c[0]}"; build "back to good (5 to 0)" "${c[0]}"; }
build "16 commits (good to bad), ccache on" "${c[16]}"
uncache "${c[0]}" "${c[16]}"
build "back to good (16 to 0), ccache off" "${c[0]}" CCACHE_DISABLE=1
build "16 commits (good to bad), ccache off" "${c[16]}" CCACHE_DISABLE=1
if [ $cold = 1 ]; then rm -rf "$cache"; fi
