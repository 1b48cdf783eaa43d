set -e
/bootbench run --profile firecracker --iterations 6 --warmup 1 --pin 0 --quiet --out /tmp/firecracker --label kernel=6.1.192 --label patch=none --label hz=100 --label accel=tcg --label lab=ab
mv /tmp/firecracker/*.json /results/firecracker.json
/bootbench run --profile firecracker --memslots-after 1 --iterations 6 --warmup 1 --pin 0 --quiet --out /tmp/firecracker-memslot --label kernel=6.1.192 --label patch=none --label hz=100 --label accel=tcg --label lab=ab
mv /tmp/firecracker-memslot/*.json /results/firecracker-memslot.json
/bootbench run --profile qemu --iterations 6 --warmup 1 --pin 0 --quiet --out /tmp/qemu --label kernel=6.1.192 --label patch=none --label hz=100 --label accel=tcg --label lab=ab
mv /tmp/qemu/*.json /results/qemu.json
/bootbench run --profile arm64-many-vcpus --iterations 6 --warmup 1 --pin 0 --quiet --out /tmp/arm64-many-vcpus --label kernel=6.1.192 --label patch=none --label hz=100 --label accel=tcg --label lab=ab
mv /tmp/arm64-many-vcpus/*.json /results/arm64-many-vcpus.json
