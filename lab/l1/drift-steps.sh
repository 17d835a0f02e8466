# The VFIO lab's drift steps (issue 17), sourced by steps.sh in a third L1 boot (mode drift). lab/run boots this
# L1 with one more root port at 00:01.0 holding a virtio NIC, so the NIC takes bus 01 and the card moves from
# 01:00.x to 02:00.x. The domain the main L1 defined comes along in /lab-out/saved-domain.xml (L1's root is a
# tmpfs overlay: nothing else survives the reboot). Its start is refused by the hook, naming what it expected,
# what is there now and where the card went; the NIC stays on its driver; vm tune --follow-devices moves the
# domain, and L2 then starts and lists 1002:5046.
OLD_GPU=$GPU OLD_AUDIO=$AUDIO
GPU=0000:02:00.0 AUDIO=0000:02:00.1 NIC=0000:01:00.0

begin drift.boot
log "lspci-like: $(for d in /sys/bus/pci/devices/*; do printf '%s %s:%s %s; ' "${d##*/}" "$(cat $d/vendor)" "$(cat $d/device)" "$(driver ${d##*/})"; done)"
expect "the card is now at $GPU (1002:5046)" grep -qx 0x5046 /sys/bus/pci/devices/$GPU/device
expect "its HDA function at $AUDIO (8086:2668)" grep -qx 0x2668 /sys/bus/pci/devices/$AUDIO/device
expect "the old address $OLD_GPU holds the virtio NIC (1af4, class 0x0200xx) on virtio-pci" bash -c \
  "grep -qx 0x1af4 /sys/bus/pci/devices/$NIC/vendor && grep -q '^0x0200' /sys/bus/pci/devices/$NIC/class && test \"\$(basename \"\$(readlink /sys/bus/pci/devices/$NIC/driver)\")\" = virtio-pci"
expect "nothing at $OLD_AUDIO" test ! -e /sys/bus/pci/devices/$OLD_AUDIO
expect "the saved domain came along" test -s "$OUT/saved-domain.xml"
end "card at $GPU, the NIC $(cat /sys/bus/pci/devices/$NIC/vendor 2>/dev/null):$(cat /sys/bus/pci/devices/$NIC/device 2>/dev/null) at its old address on $(driver $NIC)"

begin drift.refused
vg hooks install
expect "hooks install exits 0" test $RC -eq 0
sed -i -E 's/^[[:space:]]*namespaces[[:space:]]*=.*$//' /etc/libvirt/qemu.conf
printf '\n# vgapass lab (L1 is a chroot)\nnamespaces = [ ]\n' >> /etc/libvirt/qemu.conf
virtlogd -d
LIBVIRT_LOG_OUTPUTS="3:file:/var/log/libvirt/libvirtd.log" libvirtd -d
expect "libvirtd answers within 90 s" wait_for 90 virsh -c qemu:///system version
ip link add $BRIDGE type bridge && ip link set $BRIDGE up
printf "<network><name>$NET</name><forward mode='bridge'/><bridge name='$BRIDGE'/></network>\n" > /tmp/$NET.xml
run virsh -c qemu:///system net-define /tmp/$NET.xml
run virsh -c qemu:///system net-start $NET
run virsh -c qemu:///system define "$OUT/saved-domain.xml"
expect "the saved domain $DOM is defined again" test $RC -eq 0
vg vm start $DOM; rc=$RC
cp "$OUT/last.err" "$OUT/drift-refusal.txt"
expect "vm start fails (exit $rc)" test $rc -ne 0
expect "the hook refused: expected 1002:5046 at $OLD_GPU" grep -q "$OLD_GPU should hold 1002:5046" "$OUT/last.err"
expect "found the NIC there now" grep -q "$OLD_GPU is now 1af4:" "$OUT/last.err"
expect "and named where the card went: $GPU" grep -q "the recorded device is at $GPU now" "$OUT/last.err"
expect "the hook logged the refusal" grep -q "$DOM prepare/begin FAILED: .*refused to start" /var/log/vgapass/hooks.log
expect "the NIC at $NIC stays on virtio-pci" test "$(driver $NIC)" = virtio-pci
expect "the card stays on its host drivers" drivers_are $GPU_DRV $AUDIO_DRV
expect "$DOM is shut off" bash -c "virsh -c qemu:///system domstate $DOM | grep -q 'shut off'"
vg doctor --json
expect "doctor reports $DOM as drifted" jqe ".findings[] | select(.id == \"domain.device-drift\" and (.message | startswith(\"$DOM:\")))" "$OUT/last.out"
end "$(grep -o "$OLD_GPU should hold [^;]*; the recorded device is at [^;]* now" "$OUT/drift-refusal.txt" | head -1 | cut -c1-260)"

begin drift.follow
vg vm tune --domain $DOM --follow-devices --dry-run
cp "$OUT/last.out" "$OUT/drift-follow-dry-run.txt"
expect "the dry run exits 0" test $RC -eq 0
expect "it shows the move $OLD_GPU -> $GPU" grep -q "follow-devices: $OLD_GPU -> $GPU" "$OUT/last.out"
expect "and the diff" grep -q "^+ .*bus='0x02'" "$OUT/last.out"
run virsh -c qemu:///system dumpxml --inactive $DOM
expect "the dry run changed nothing" grep -q "bus='0x01' slot='0x00' function='0x0'/>" "$OUT/last.out"
vg vm tune --domain $DOM --follow-devices
expect "vm tune --follow-devices exits 0" test $RC -eq 0
run virsh -c qemu:///system dumpxml --inactive $DOM
cp "$OUT/last.out" "$OUT/$DOM.followed.xml"
expect "both hostdev sources are on bus 0x02 now" \
  test "$(grep -c "<address domain='0x0000' bus='0x02' slot='0x00' function='0x[01]'/>" "$OUT/$DOM.followed.xml")" = 2
expect "the metadata records $GPU" grep -Eq "address=['\"]$GPU['\"] ids=['\"]1002:5046['\"]" "$OUT/$DOM.followed.xml"
end "$(grep -c '^follow-devices: ' "$OUT/drift-follow-dry-run.txt") devices moved: $(grep -o "follow-devices: [^ ]* -> [^ ]*" "$OUT/drift-follow-dry-run.txt" | cut -d' ' -f2- | tr '\n' ' ')"

begin drift.start
: > $L2_CONSOLE
vg vm start $DOM
expect "vm start exits 0 now" test $RC -eq 0
expect "libvirt bound $GPU and $AUDIO to vfio-pci" drivers_are vfio-pci vfio-pci
expect "the NIC at $NIC is still on virtio-pci" test "$(driver $NIC)" = virtio-pci
expect "L2 printed its PCI devices within 300 s" wait_for 300 grep -q LAB-L2-DONE "$L2_CONSOLE"
grep LAB-L2 "$L2_CONSOLE" >> "$LOG"
expect "L2 lists 1002:5046" grep -q "LAB-L2-PCI .* 1002:5046 class=0x030000" "$L2_CONSOLE"
vg vm stop $DOM --force
expect "after stop both back on their host drivers" wait_for 20 drivers_are $GPU_DRV $AUDIO_DRV
end "started after the move; L2 reports $(grep -o 'LAB-L2-PCI [^ ]* 1002:5046' "$L2_CONSOLE" | cut -d' ' -f2-)"
