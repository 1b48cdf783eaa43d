#!/usr/bin/env bash
# The default benchmark in the emulated host, as ./quickstart run makes it
# where there is no /dev/kvm: bootbench run --host emulated-<arch>, the
# default profile and iteration count. Prints, per arch, the wall time of
# the whole run (boot the emulated host, run, check and bring the result
# back) and the default profile's startup and vmm medians there; asserts
# nothing. Target: under 90 s for the whole run on a 2-CPU machine, the
# kernels already in the cache (the first run of each arch downloads
# Debian's kernel: run once before measuring).
# Usage: bench/emulated-run.sh [path/to/bootbench] [ARCH...]
#   (arm64 on an x86_64 machine needs build-arm64/bootbench, or
#    BOOTBENCH_ARM64_BIN: ./quickstart test builds it)
set -euo pipefail
bin=${1:-build/bootbench}
shift || true
archs=("$@")
if [ ${#archs[@]} -eq 0 ]; then archs=(x86_64 arm64); fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

echo "bootbench run --host emulated, default profile and iterations, on $(uname -r), $(nproc) CPUs"
for arch in "${archs[@]}"; do
	start=$(date +%s.%N)
	if ! "$bin" run --host "emulated-$arch" --out "$out/$arch" >"$out/$arch.txt" 2>"$out/$arch.err"; then
		printf '%-8s failed: %s\n' "$arch" "$(tail -n 1 "$out/$arch.err")"
		continue
	fi
	end=$(date +%s.%N)
	wall=$(echo "$end - $start" | bc)
	printf '%-8s whole run %6.1f s\n' "$arch" "$wall"
	printf '%-8s %s\n' "" "$(grep '^startup to boot-done' "$out/$arch.txt")"
	printf '%-8s %s\n' "" "$(grep '^outside KVM_RUN (vmm)' "$out/$arch.txt")"
	printf '%-8s %s\n' "" "$(grep '^host ' "$out/$arch.txt")"
done
