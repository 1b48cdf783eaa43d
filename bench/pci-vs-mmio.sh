#!/usr/bin/env bash
# What virtio-pci with MSI-X costs a Linux guest's startup beside
# virtio-mmio, and where: one VMM's profile on both transports (linux-qemu
# and linux-qemu-pci, or linux-firecracker and linux-firecracker-pci),
# alternating run by run (A B A B ...), each run in its own emulated host
# where there is no /dev/kvm (one vCPU there: a nested two-vCPU guest
# stalls now and then under TCG), compared by bootbench itself: the
# phases, the registrations' and the routing's calls, and their waits in
# __synchronize_srcu (KVM_IOEVENTFD's for kvm->srcu in
# kvm_io_bus_register_dev, KVM_SET_GSI_ROUTING's for kvm->irq_srcu in
# kvm_set_irq_routing). Ratios within one session; medians. Prints
# numbers, asserts nothing; the results stay in BENCH_OUT (or a temporary
# directory it names).
# Usage: bench/pci-vs-mmio.sh GUEST_KERNEL [qemu|firecracker] [arch] [bootbench] [rounds] [iterations]
#   the kernel: lab/build-kernel --guest --arch ARCH (x86_64: the ACPI one)
#   arch: this machine's (default), or the other one in its emulated host
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: bench/pci-vs-mmio.sh GUEST_KERNEL [qemu|firecracker] [arch] [bootbench] [rounds] [iterations]" >&2; exit 2; }
kernel=$1
vmm=${2:-qemu}
arch=${3:-$(uname -m | sed 's/aarch64/arm64/')}
bin=${4:-build/bootbench}
rounds=${5:-3}
iterations=${6:-6}
case "$vmm" in qemu | firecracker) ;; *) echo "pci-vs-mmio: the VMM is qemu or firecracker, not '$vmm'" >&2; exit 2 ;; esac
out=${BENCH_OUT:-$(mktemp -d)}
host=()
if [ ! -e /dev/kvm ] || [ "$arch" != "$(uname -m | sed 's/aarch64/arm64/')" ]; then
	host=(--host "emulated-$arch" --vcpus 1)
fi

one() { # transport profile
	local tries
	mkdir -p "$out/$1"
	for tries in 1 2 3; do
		rm -rf "$out/.try"
		if "$bin" run "${host[@]}" --profile "$2" --kernel "$kernel" --iterations "$iterations" --warmup 1 \
			--label "transport=$1" --timeout 60000 --no-events --out "$out/.try" >"$out/$1.log" 2>&1; then
			mv "$out/.try"/*.json "$out/$1/"
			return 0
		fi
		echo "run $1 ($2) failed, try $tries of 3: $(grep -m1 'failed\|error' "$out/$1.log" || true)" >&2
	done
	return 1
}
t0=$SECONDS
for ((r = 1; r <= rounds; r++)); do
	one mmio "linux-$vmm"
	one pci "linux-$vmm-pci"
done
echo "virtio-pci against virtio-mmio, linux-$vmm (32 disks x 8 queues), $arch, $rounds alternating runs of" \
	"$iterations iterations a side, ${host[*]:-on this KVM}; $((SECONDS - t0)) s in all; results in $out"
metrics=(startup vmm phase:kernel phase:device_probe phase:init
	op:KVM_IOEVENTFD:count op:KVM_IOEVENTFD:total blocked:KVM_IOEVENTFD:__synchronize_srcu
	op:KVM_SET_GSI_ROUTING:count op:KVM_SET_GSI_ROUTING:total blocked:KVM_SET_GSI_ROUTING:__synchronize_srcu
	op:KVM_IRQFD:count blocked:startup:__synchronize_srcu)
args=()
for m in "${metrics[@]}"; do args+=(--metric "$m"); done
"$bin" compare "${args[@]}" --allow-different-profiles "$out"/mmio/*.json -- "$out"/pci/*.json | sed -n '/^metric/,/^$/p'
