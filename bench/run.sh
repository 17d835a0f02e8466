#!/usr/bin/env bash
# Whole-process time of `vgapass doctor --json` on a generated large host (2 sockets, 256
# threads, 400 PCI functions in 120 groups) against the bash loop users run over
# sys/kernel/iommu_groups with `lspci -nns`, on the same tree, in the same run.
# Usage: bench/run.sh [RUNS]   (needs pciutils: apt install pciutils)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
command -v lspci >/dev/null || { echo "bench: lspci missing (apt install pciutils)" >&2; exit 2; }
./vgapass --version >/dev/null # builds the jar and its class-data archive if needed
tree="$(mktemp -d)"
trap 'rm -rf "$tree"' EXIT
java -cp target/vgapass.jar bench/LargeHost.java "$tree"

bash_loop() {
  for d in "$tree"/sys/kernel/iommu_groups/*/devices/*; do
    n="${d#*/iommu_groups/}"; n="${n%%/*}"
    printf 'IOMMU Group %s ' "$n"
    lspci -A linux-sysfs -O sysfs.path="$tree/sys/bus/pci" -nns "${d##*/}"
  done
}
vgapass_doctor() { ./vgapass doctor --json --sysroot "$tree" || [ $? -eq 1 ]; }

# sanity: both see the same 400 devices
loop_lines=$(bash_loop | wc -l)
json_devices=$(vgapass_doctor | grep -c '"kind"')
echo "devices seen: bash loop $loop_lines, vgapass $json_devices"

median() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.3f", m}'; }
measure() {
  for _ in $(seq "$runs"); do
    s=$(date +%s.%N); "$@" >/dev/null; e=$(date +%s.%N)
    echo "$e - $s" | bc -l
  done | median
}
vg=$(measure vgapass_doctor)
loop=$(measure bash_loop)
echo "runs: $runs (median)"
echo "vgapass doctor --json : ${vg} s"
echo "bash + lspci loop     : ${loop} s"
echo "ratio vgapass/loop    : $(echo "$vg / $loop" | bc -l | cut -c1-5) (target <= 0.2)"
