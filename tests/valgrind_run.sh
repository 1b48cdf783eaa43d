#!/usr/bin/env bash
# bootbench under valgrind memcheck: no errors and no definite leaks, on
# a static and a dynamic/reset profile and in info. Exits 77 (skipped)
# where valgrind or /dev/kvm is missing, or in a sanitizer build.
set -u
bin=$1
sanitized=${2:-OFF}
if [ "$sanitized" = "ON" ]; then
	echo "SKIP: valgrind cannot run an AddressSanitizer build; the plain build runs this test"
	exit 77
fi
command -v valgrind >/dev/null || { echo "SKIP: valgrind is not installed (apt-get install valgrind)"; exit 77; }
if ! [ -r /dev/kvm ] || ! [ -w /dev/kvm ]; then
	echo "SKIP: /dev/kvm cannot be opened: this test needs KVM"
	exit 77
fi

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
vg=(valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite
    --show-leak-kinds=definite --child-silent-after-fork=yes -q)
status=0
for args in "--profile firecracker --devices 16" "--profile qemu --devices 8" "--profile firecracker --devices 4 --guest-fault triple-fault"; do
	# shellcheck disable=SC2086 # args is a list of words
	"${vg[@]}" "$bin" run $args --iterations 2 --warmup 0 --out "$out" --quiet >"$out/log" 2>&1
	rc=$?
	expected=0
	case "$args" in *guest-fault*) expected=1 ;; esac
	if [ "$rc" -ne "$expected" ]; then
		echo "FAIL: bootbench run $args under valgrind exited $rc (expected $expected):"
		cat "$out/log"
		status=1
	fi
done
"${vg[@]}" "$bin" info --vms 2 >"$out/log" 2>&1 || { echo "FAIL: bootbench info under valgrind:"; cat "$out/log"; status=1; }
[ $status -eq 0 ] && echo "valgrind: no errors, no definite leaks"
exit $status
