#!/usr/bin/env bash
# Huge page grant right after the page cache was filled (a 20 GB file read): 8192 pages of
# 2 MiB (16 GiB), a plain write to nr_hugepages (what most hook scripts do) against vgapass's
# hook (sync, drop caches, compact, retry), same run, same machine. Needs root and ~21 GB disk.
# Usage: bench/hugepages.sh [PAGES] [CACHE_FILE_GB]
set -euo pipefail
cd "$(dirname "$0")/.."
pages="${1:-8192}"; gb="${2:-20}"
[[ $(id -u) -eq 0 ]] || { echo "bench/hugepages.sh: run as root" >&2; exit 2; }
./vgapass --version >/dev/null
pool=/sys/kernel/mm/hugepages/hugepages-2048kB
file=/var/tmp/vgapass-bench-cache.bin
work=$(mktemp -d)
trap 'echo 0 > $pool/nr_hugepages; rm -rf "$work" "$file"' EXIT
[[ -f $file ]] || fallocate -l "${gb}G" "$file"
fill() { cat "$file" > /dev/null; echo "    page cache: $(awk '/^Cached:/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"; }
now() { date +%s%N; }
ms() { echo $(( ($2 - $1) / 1000000 )); }

echo "machine: $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo); asking for $pages x 2 MiB"
echo 0 > $pool/nr_hugepages
echo "plain write to nr_hugepages:"
fill
s=$(now); echo "$pages" > $pool/nr_hugepages; e=$(now)
echo "    granted $(cat $pool/nr_hugepages) of $pages in $(ms "$s" "$e") ms"
echo 0 > $pool/nr_hugepages

cat > "$work/vm.xml" <<XML
<domain type='kvm'><name>bench-huge</name><metadata><vgapass:vm xmlns:vgapass='https://vgapass.io/xmlns/libvirt/domain/1.0' format='1'>
<vgapass:cpu vcpus='1' emulator='0' iothread='0' iothread-priority='0'/>
<vgapass:memory kib='$((pages * 2048))' hugepage-kib='2048' hugepages='$pages' node=''/></vgapass:vm></metadata></domain>
XML
echo "vgapass hook (prepare/begin, JVM start included):"
fill
s=$(now); java -XX:TieredStopAtLevel=1 -jar target/vgapass.jar hook qemu bench-huge prepare begin - < "$work/vm.xml" || true; e=$(now)
echo "    granted $(cat $pool/nr_hugepages) of $pages in $(ms "$s" "$e") ms"
java -jar target/vgapass.jar hook qemu bench-huge release end - < /dev/null
echo "    after release: $(cat $pool/nr_hugepages) pages reserved"
