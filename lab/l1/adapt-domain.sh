#!/bin/bash
# adapt-domain.sh IN OUT KERNEL INITRD CONSOLE_LOG
#
# Makes the domain vgapass plan wrote runnable in L1, which has no KVM: type='qemu' (TCG),
# the plain qemu64 CPU model instead of host-passthrough (TCG-in-TCG runs it twice as fast as
# "maximum"), no Hyper-V enlightenments, and instead of OVMF a direct boot of L2's kernel and
# initramfs (quiet, no calibrations) with its serial console in a file, and no option ROM on
# the NIC: under TCG inside TCG, SeaBIOS with a VGA ROM (the passed card's, or any) and
# iPXE's virtio-net ROM never reaches the kernel (OVMF, as planned, does not run iPXE this
# way). Everything vgapass owns (metadata, pinning, I/O thread, hugepages, hostdevs, the
# network) stays as planned. L1's files live on tmpfs, which has no O_DIRECT: a disk's
# cache='none' io='native' becomes cache='writeback' io='threads'.
# The XML is vgapass's own serialization (one element per line), so line edits are enough;
# the result is checked again by vgapass vm define against libvirt's schema.
set -euo pipefail
in=$1 out=$2 kernel=$3 initrd=$4 console=$5
sed -e "s|<domain type='kvm'>|<domain type='qemu'>|" \
    -e "/<loader/d; /<nvram/d; /<boot dev=/d; s| firmware='efi'||" \
    -e "s|\( *\)<type arch='x86_64' machine='q35'>hvm</type>|&\n\1<kernel>$kernel</kernel>\n\1<initrd>$initrd</initrd>\n\1<cmdline>console=ttyS0 panic=-1 quiet mitigations=off lpj=10000000 tsc=reliable no_timer_check audit=0</cmdline>|" \
    -e "/<hyperv>/,/<\/hyperv>/d; /<timer name='hypervclock'/d; /<kvm>/,/<\/kvm>/d" \
    -e "s|<cpu mode='host-passthrough'[^>]*>|<cpu mode='custom' match='exact' check='none'>\n    <model fallback='forbid'>qemu64</model>|; /<cache mode='passthrough'\/>/d" \
    -e "s|\( *\)<model type='virtio'/>|&\n\1<rom enabled='no'/>|" \
    -e "s| cache='none' io='native'| cache='writeback' io='threads'|" \
    -e "s|\( *\)</devices>|\1  <serial type='file'>\n\1    <source path='$console'/>\n\1    <target port='0'/>\n\1  </serial>\n&|" \
    "$in" > "$out.tmp"
grep -q "<domain type='qemu'>" "$out.tmp" || { echo "adapt-domain: no <domain type='kvm'> in $in" >&2; exit 1; }
grep -q "<kernel>" "$out.tmp" || { echo "adapt-domain: no <os><type ...q35> line in $in" >&2; exit 1; }
mv "$out.tmp" "$out"
