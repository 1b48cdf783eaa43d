set -e
run_case() { # case, bootbench run arguments...
  c=$1; shift
  for try in 1 2; do
    rm -rf /tmp/$c
    if timeout -s KILL 900 /bootbench run "$@" --out /tmp/$c; then mv /tmp/$c/*.json /results/$c.json; return 0; fi
    echo "$c: run $try failed or stalled; see commands.log" >>/results/retries.txt
  done
  return 1
}
run_case linux-qemu --profile linux-qemu --kernel /files/image --iterations 6 --warmup 1 --pin 0 --quiet --label kernel=6.1.192 --label patch=none --label hz=100 --label accel=tcg --label lab=ab
run_case linux-qemu-pci --profile linux-qemu-pci --kernel /files/image --iterations 6 --warmup 1 --pin 0 --quiet --label kernel=6.1.192 --label patch=none --label hz=100 --label accel=tcg --label lab=ab
run_case linux-firecracker-pci --profile linux-firecracker-pci --kernel /files/image --iterations 6 --warmup 1 --pin 0 --quiet --label kernel=6.1.192 --label patch=none --label hz=100 --label accel=tcg --label lab=ab
