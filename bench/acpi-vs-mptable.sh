#!/usr/bin/env bash
# Does describing the machine in ACPI change a Linux guest's startup? The
# linux-firecracker profile booted with the MP-table guest kernel
# (firmware=mptable) and with the ACPI one (firmware=acpi), alternating
# run by run (A B A B ...), each run in its own emulated host where there
# is no /dev/kvm; compared by bootbench itself (ratios within one
# session; medians). Prints numbers, asserts nothing.
# Usage: bench/acpi-vs-mptable.sh MPTABLE_KERNEL ACPI_KERNEL [bootbench] [rounds] [iterations]
#   the kernels: lab/build-kernel --guest --arch x86_64 [--firmware mptable]
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: bench/acpi-vs-mptable.sh MPTABLE_KERNEL ACPI_KERNEL [bootbench] [rounds] [iterations]" >&2; exit 2; }
mp=$1 acpi=$2
bin=${3:-build/bootbench}
rounds=${4:-4}
iterations=${5:-6}
out=${BENCH_OUT:-$(mktemp -d)}
host=()
# in the emulated host a nested guest of two vCPUs stalls now and then
# whatever its kernel (kvm_linux's record): there it boots with one
[ -e /dev/kvm ] || host=(--host emulated --vcpus 1)

one() { # side kernel firmware
	local tries
	mkdir -p "$out/$1"
	for tries in 1 2 3; do # a nested two-vCPU guest stalls now and then under TCG
		rm -rf "$out/.try"
		if "$bin" run "${host[@]}" --profile linux-firecracker --kernel "$2" --set "firmware=$3" --iterations "$iterations" \
			--warmup 1 --label "firmware=$3" --timeout 60000 --out "$out/.try" >"$out/$1.log" 2>&1; then
			mv "$out/.try"/*.json "$out/$1/"
			return 0
		fi
		echo "run $1 (firmware=$3) failed, try $tries of 3: $(grep -m1 'failed\|error' "$out/$1.log" || true)" >&2
	done
	return 1
}
t0=$SECONDS
for ((r = 1; r <= rounds; r++)); do
	one mptable "$mp" mptable
	one acpi "$acpi" acpi
done
echo "ACPI against the MP table, linux-firecracker (32 disks), $rounds alternating runs of $iterations" \
	"iterations a side, ${host[*]:-on this KVM}; $((SECONDS - t0)) s in all; results in $out"
"$bin" compare --metric startup --metric vmm --metric phase:kernel --metric phase:device_probe --metric phase:init \
	--metric blocked:startup:__synchronize_srcu --allow-different-profiles "$out"/mptable/*.json -- "$out"/acpi/*.json | sed -n '/^metric/,/^$/p'
