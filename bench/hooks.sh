#!/usr/bin/env bash
# The time vgapass's qemu hook adds to one start+stop of a VM, measured by running the installed
# dispatcher exactly as libvirt does for one start+stop: prepare/begin, start/begin,
# started/begin, stopped/end, release/end, with the domain XML on stdin.
#  - unmanaged VM (no vgapass metadata): the shell dispatcher alone (target: within 1.3x the floor, an empty
#    /bin/sh hook called the same way)
#  - managed VM: the dispatcher plus Java for prepare and release, doing the real work
#    (CPU shield, state file, governor; its huge pages are already free, so the grant is a read)
#    (target <= 150 ms per cycle)
#  - deep-shield VM (--shield deep, an opt-in): the shell hands prepare and release to Java, which
#    also moves the workqueue cpumask, IRQ affinities and unbound kthreads (taskset) and puts them
#    back (no target: the cost of the opt-in, reported)
# Needs root and a built jar; installs the hooks for the run and removes them after.
# Usage: bench/hooks.sh [CYCLES]
set -euo pipefail
cd "$(dirname "$0")/.."
cycles="${1:-20}"
[[ $(id -u) -eq 0 ]] || { echo "bench/hooks.sh: run as root (installs the hook, writes cgroups)" >&2; exit 2; }
./vgapass --version >/dev/null
had_hook=0; [[ -e /etc/libvirt/hooks/qemu.d/vgapass || -e /etc/libvirt/hooks/qemu ]] && had_hook=1
./vgapass hooks install >/dev/null
trap '[[ $had_hook == 1 ]] || ./vgapass hooks uninstall >/dev/null' EXIT
hook=/etc/libvirt/hooks/qemu.d/vgapass
[[ -x $hook ]] || hook=/etc/libvirt/hooks/qemu
work="$(mktemp -d)"; trap 'rm -rf "$work"; [[ $had_hook == 1 ]] || ./vgapass hooks uninstall >/dev/null' EXIT
ns='https://vgapass.io/xmlns/libvirt/domain/1.0'
cat > "$work/plain.xml" <<XML
<domain type='kvm'><name>bench</name><memory unit='KiB'>131072</memory><vcpu>1</vcpu>
<os><type arch='x86_64' machine='q35'>hvm</type></os><devices/></domain>
XML
cat > "$work/managed.xml" <<XML
<domain type='kvm'><name>bench</name><metadata><vgapass:vm xmlns:vgapass='$ns' format='1'>
<vgapass:cpu vcpus='1' emulator='0' iothread='0' iothread-priority='10'/>
<vgapass:memory kib='0' hugepage-kib='2048' hugepages='0' node=''/></vgapass:vm></metadata>
<memory unit='KiB'>131072</memory><vcpu>1</vcpu><os><type arch='x86_64' machine='q35'>hvm</type></os><devices/></domain>
XML
sed "s|iothread-priority='10'|iothread-priority='10' shield='deep'|" "$work/managed.xml" > "$work/deep.xml"
cycle() { # xml: one start+stop as libvirt calls the hook
  for op in "prepare begin" "start begin" "started begin" "stopped end" "release end"; do
    # shellcheck disable=SC2086
    "$hook" bench-hook $op - < "$1" >/dev/null
  done
}
median_ms() {
  for _ in $(seq "$cycles"); do
    s=$(date +%s%N); cycle "$1"; e=$(date +%s%N); echo $(( (e - s) / 1000 ))
  done | sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.1f", m/1000}'
}
# the floor: what any hook costs on this machine (five /bin/sh starts that do nothing)
printf '#!/bin/sh\nexit 0\n' > "$work/empty-hook"; chmod +x "$work/empty-hook"
cycle_with() { # hook xml
  for op in "prepare begin" "start begin" "started begin" "stopped end" "release end"; do
    # shellcheck disable=SC2086
    "$1" bench-hook $op - < "$2" >/dev/null
  done
}
floor_ms() {
  for _ in $(seq "$cycles"); do
    s=$(date +%s%N); cycle_with "$work/empty-hook" "$work/plain.xml"; e=$(date +%s%N); echo $(( (e - s) / 1000 ))
  done | sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.1f", m/1000}'
}
cycle "$work/managed.xml" # warm the page cache
echo "cycles: $cycles (median of start+stop cycles, 5 hook calls each)"
floor=$(floor_ms)
unmanaged=$(median_ms "$work/plain.xml")
echo "floor:        $floor ms per start+stop (an empty /bin/sh hook: process starts alone)"
echo "unmanaged VM: $unmanaged ms per start+stop, $(awk -v u="$unmanaged" -v f="$floor" 'BEGIN { printf "%.2f", u / f }')x the floor (target <= 1.3x)"
echo "managed VM:   $(median_ms "$work/managed.xml") ms per start+stop (target <= 150 ms)"
echo "deep shield:  $(median_ms "$work/deep.xml") ms per start+stop (opt-in, Java; no target)"
