#!/usr/bin/env bash
# The seed's acts on this machine's own KVM, whatever kernel it runs: the
# synthetic profiles firecracker, firecracker-memslot (one more memslot
# update, after the registrations: act 2 in a startup), qemu and crosvm,
# alternating run by run; bootbench info (act 2 alone, with its control); the same firecracker run without stacks (what bootbench's own
# off-CPU observer costs); the device count from 4 to 200 (what registration
# costs as the bus fills). Writes the machine's facts (machine.txt), the
# slim results and bootbench's comparisons to OUT, and prints the numbers.
# Asserts nothing. A kernel A/B needs lab/ab; this measures one kernel.
# Usage: bench/host-kvm.sh OUT [bootbench] [rounds] [iterations]
#   BENCH_RUN_ARGS: more words for every run (--host emulated, to try it
#   where there is no /dev/kvm)
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: bench/host-kvm.sh OUT [bootbench] [rounds] [iterations]" >&2; exit 2; }
out=$1
bin=${2:-build/bootbench}
rounds=${3:-4}
iterations=${4:-20}
read -r -a extra <<<"${BENCH_RUN_ARGS:-}"
if [ ${#extra[@]} -eq 0 ] && [ ! -c /dev/kvm ]; then
	echo "bench/host-kvm.sh: this machine has no /dev/kvm; measure a machine that has one, or set BENCH_RUN_ARGS=--host emulated" >&2
	exit 2
fi
mkdir -p "$out/full" "$out/slim"

{
	echo "measured: $(date -u +%FT%TZ)"
	echo "cpus: $(nproc), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
	echo "cpu flags: $(grep -o -w -m1 'vmx\|svm\|hypervisor' /proc/cpuinfo | sort -u | tr '\n' ' ')"
	echo "memory: $(awk '/MemTotal/ {printf "%d MiB", $2 / 1024}' /proc/meminfo)"
	echo "kvm modules: $(cd /sys/module && echo *kvm*)"
	echo "extra run arguments: ${extra[*]:-none}"
	echo
	"$bin" info "${extra[@]}" 2>&1 || true
} >"$out/machine.txt"

run() { # case profile-arguments...
	local c=$1
	shift
	"$bin" run "${extra[@]}" "$@" --iterations "$iterations" --warmup 3 \
		--label "case=$c" --out "$out/full/$c" >>"$out/full/$c.txt" 2>&1
}
t0=$SECONDS
for ((r = 1; r <= rounds; r++)); do
	run firecracker --profile firecracker
	run firecracker-memslot --profile firecracker --memslots-after 1
	run firecracker-nostacks --profile firecracker --no-stacks
	run qemu --profile qemu
	run crosvm --profile crosvm
done
for d in 4 16 64 200; do # as bootbench sweep would, but in the emulated host too
	run "devices-$d" --profile firecracker --devices "$d"
done
echo "$rounds alternating runs of $iterations iterations per case, then 4 to 200 devices; $((SECONDS - t0)) s in all"

for f in "$out"/full/*/*.json; do
	c=$(basename "$(dirname "$f")")
	mkdir -p "$out/slim/$c"
	"$bin" slim "$f" "$out/slim/$c/$(basename "$f")" 2>/dev/null
done

cmp() { # title file-of-report baseline-case candidate-case compare-options...
	local title=$1 name=$2 a=$3 b=$4
	shift 4
	{
		echo "== $title"
		"$bin" compare "$@" "$out"/full/"$a"/*.json -- "$out"/full/"$b"/*.json || true
	} >"$out/$name.txt" 2>&1
	sed -n '1,/^$/p;/^metric/,/^$/p' "$out/$name.txt"
}
cmp "act 2 in a startup: one more memslot update, after the registrations" act2 firecracker firecracker-memslot \
	--allow-different-profiles --metric startup --metric vmm --metric op:KVM_SET_USER_MEMORY_REGION:total \
	--metric blocked:startup:__synchronize_srcu
cmp "bootbench's off-CPU observer: firecracker with stacks, against without" observer firecracker-nostacks firecracker \
	--metric startup --metric vmm --metric op:KVM_IOEVENTFD:call_median --metric op:KVM_RUN:total
cmp "registration as the bus fills: 4 devices (16 ioeventfds) against 200 (800)" scaling devices-4 devices-200 \
	--allow-different-profiles --metric op:KVM_IOEVENTFD:call_median --metric op:KVM_IOEVENTFD:total --metric vmm
