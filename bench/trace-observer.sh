#!/usr/bin/env bash
# The observer effect of bootbench trace, on bootbench's own VMM: the same
# run (default profile, pinned to CPU 0) untraced and traced, alternating
# round by round (plain traced plain traced ...). Prints, per op, the
# traced per-call median against the inline median the traced run timed
# itself, and the inner startup traced against untraced. Medians; ratios
# within one invocation. Asserts nothing. Root (the tracepoints).
# Usage: bench/trace-observer.sh [path/to/bootbench] [rounds] [iterations]
set -euo pipefail
bin=$(realpath "${1:-build/bootbench}")
rounds=${2:-3}
iterations=${3:-10}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
ops=(KVM_CREATE_VM KVM_SET_USER_MEMORY_REGION KVM_CREATE_VCPU KVM_IOEVENTFD KVM_IRQFD KVM_RUN)

inner=(run --iterations "$iterations" --warmup 1 --pin 0 --quiet)
for ((r = 1; r <= rounds; r++)); do
	"$bin" "${inner[@]}" --out "$out/plain" >/dev/null
	"$bin" trace --iterations 1 --warmup 0 --quiet --out "$out/trace" -- "$bin" "${inner[@]}" --out "$out/traced" >/dev/null
done

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# every measured iteration's startup, or every call's duration, of the files
startups() { for f in "$@"; do jq -r '.iterations[] | select(.warmup | not) | .startup_ns' "$f"; done; }
calls() { # op, files...
	local op=$1
	shift
	for f in "$@"; do jq -r --arg op "$op" '.iterations[].events[] | select(.[0] == $op) | .[3]' "$f"; done
}
us() { awk -v ns="$1" 'BEGIN { printf "%.2f", ns / 1e3 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "x%.2f", b / a }'; }

echo "bootbench trace observer effect on $(hostname), Linux $(uname -r), $(nproc) CPUs:"
echo "$rounds alternating rounds of 'bootbench ${inner[*]}', untraced and traced"
echo
plain=$(startups "$out"/plain/*.json | median)
traced=$(startups "$out"/traced/*.json | median)
printf '%-30s %12s %12s %8s\n' "" untraced traced ratio
printf '%-30s %9s ms %9s ms %8s\n' "inner startup (median)" "$(awk -v n="$plain" 'BEGIN { printf "%.2f", n / 1e6 }')" \
	"$(awk -v n="$traced" 'BEGIN { printf "%.2f", n / 1e6 }')" "$(ratio "$plain" "$traced")"
echo
printf '%-28s %12s %12s %12s %8s %8s\n' "per call (median)" "untraced" "inline" "traced" "inline" "traced"
printf '%-28s %12s %12s %12s %8s %8s\n' "" "" "under trace" "" "/untr." "/inline"
for op in "${ops[@]}"; do
	u=$(calls "$op" "$out"/plain/*.json | median)
	a=$(calls "$op" "$out"/traced/*.json | median)
	b=$(calls "$op" "$out"/trace/*.json | median)
	printf '%-28s %9s us %9s us %9s us %8s %8s\n' "$op" "$(us "$u")" "$(us "$a")" "$(us "$b")" "$(ratio "$u" "$a")" "$(ratio "$a" "$b")"
done
echo
echo "untraced: the plain run's own timing of each call (clock_gettime around ioctl());"
echo "inline under trace: the same timing in the traced run, which the tracepoints slow;"
echo "traced: sys_enter_ioctl to sys_exit_ioctl, as bootbench trace reports the same calls."
