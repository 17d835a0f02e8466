#!/bin/bash
# The VFIO lab's steps, run inside L1 (lab/l1/init chroots into the host's root + overlay).
#
#   steps.sh full|doctor|single REPO
#
# Each step appends one line "PASS|FAIL SECONDS ID TEXT" to /lab-out/results (lab/run
# streams them) and writes what it ran and saw to /lab-out/ID.log (printed when it fails).
# Mode "doctor" is the short boot with interrupt remapping off: doctor only; mode "single" the
# boot without L1's own VGA, whose steps are in single-steps.sh.
set -u
MODE=$1 REPO=$2
OUT=/lab-out
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export LC_ALL=C.UTF-8 HOME=/root
# shellcheck source=/dev/null
. "$OUT/lab.env"   # L2_KERNEL, L2_INITRD (written by lab/run)

GPU=0000:01:00.0 AUDIO=0000:01:00.1 DOM=lab-l2 NET=lab-hostonly BRIDGE=lab-br0
# the host drivers of the card's functions in L1 (lab/run loads both modules)
GPU_DRV=aty128fb AUDIO_DRV=snd_hda_intel
L2_CONSOLE=/var/log/lab-l2-console.log
POOL=/sys/kernel/mm/hugepages/hugepages-2048kB
JAR=$REPO/target/vgapass.jar
JOPTS=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xlog:disable -Xlog:all=off)
[[ -f $REPO/target/vgapass.jsa ]] && JOPTS+=(-XX:SharedArchiveFile="$REPO/target/vgapass.jsa")

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
console() { echo "lab: $*" > /dev/console; }

# ---- step framework: begin ID; run/vg/expect ...; end "summary"
begin() {
  ID=$1 T=$(now) LOG=$OUT/$1.log FAILS=()
  : > "$LOG"
  console "step $ID"
}
log() { printf '%s\n' "$*" >> "$LOG"; }
# run CMD...: runs it, its output into the log (and into $OUT/last.out), sets RC
run() {
  local s; s=$(now)
  echo "\$ $*" >> "$LOG"
  timeout 180 "$@" > "$OUT/last.out" 2> "$OUT/last.err"
  RC=$?
  { echo "  (exit $RC, $(secs "$s" "$(now)") s)"; sed 's/^/  /' "$OUT/last.out"
    [[ -s $OUT/last.err ]] && { echo "  [stderr]"; sed 's/^/  /' "$OUT/last.err"; }; } >> "$LOG"
  return $RC
}
# vg ARGS...: vgapass itself, from the jar the host built
vg() { run java "${JOPTS[@]}" -jar "$JAR" "$@"; }
# expect DESCRIPTION CMD...: an assertion; the step fails when one fails
expect() {
  local what=$1; shift
  if "$@" >> "$LOG" 2>&1; then log "  ok: $what"; else log "  FAILED: $what"; FAILS+=("$what"); fi
}
end() {
  local verdict=PASS text=$1
  if (( ${#FAILS[@]} )); then verdict=FAIL; text="${FAILS[0]}$( (( ${#FAILS[@]} > 1 )) && echo " (+$(( ${#FAILS[@]} - 1 )) more)")"; fi
  echo "$verdict $(secs "$T" "$(now)") $ID $text" >> "$OUT/results"
  console "$verdict $ID $text"
}
jqe() { jq -e "$@" > /dev/null; }         # jq as a condition
driver() { local d; d=$(readlink "/sys/bus/pci/devices/$1/driver" 2>/dev/null) && basename "$d" || echo none; }
group_of() { basename "$(readlink "/sys/bus/pci/devices/$1/iommu_group")"; }
pool() { cat "$POOL/$1"; }
# wait_for SECONDS CMD...: polls until CMD succeeds
wait_for() {
  local limit=$1; shift
  local end=$(( $(date +%s) + limit ))
  until "$@" 2>/dev/null; do (( $(date +%s) < end )) || return 1; sleep 0.3; done
}
drivers_are() { [[ $(driver $GPU) == "$1" && $(driver $AUDIO) == "$2" ]]; }
show_drivers() { log "  drivers: $GPU $(driver $GPU), $AUDIO $(driver $AUDIO)"; }
save_logs() {
  dmesg > "$OUT/l1-dmesg.log" 2>&1
  cat /proc/interrupts > "$OUT/l1-interrupts.log"
}

# the drift boot (issue 17: one more PCI device in front of the card) runs steps of its own
if [[ $MODE == drift ]]; then . "$(dirname "$0")/drift-steps.sh"; save_logs; exit 0; fi
# the single-GPU variant (the card is L1's only display) has steps of its own
if [[ $MODE == single ]]; then
  # shellcheck source=lab/l1/single-steps.sh
  . "$(dirname "$0")/single-steps.sh"
  exit 0
fi

# ---------------------------------------------------------------- 0. boot
begin 0.boot$( [[ $MODE == doctor ]] && echo -intremap-off)
boot=$(cut -d' ' -f1 /proc/uptime)
log "uptime at steps.sh: $boot s; cmdline: $(cat /proc/cmdline)"
log "modules: $(cut -d' ' -f1 /proc/modules | sort | tr '\n' ' ')"
expect "intel_iommu=on on L1's command line" grep -qw intel_iommu=on /proc/cmdline
expect "an Intel IOMMU unit (sys/class/iommu/dmar0)" test -e /sys/class/iommu/dmar0
expect "the card's functions $GPU and $AUDIO exist" test -e /sys/bus/pci/devices/$GPU -a -e /sys/bus/pci/devices/$AUDIO
expect "/dev/vfio/vfio (vfio loaded)" test -c /dev/vfio/vfio
expect "vfio-pci driver registered" test -d /sys/bus/pci/drivers/vfio-pci
expect "the card is not the boot VGA (L1's own VGA at 00:02.0 is)" grep -qx 0 /sys/bus/pci/devices/$GPU/boot_vga
if [[ $MODE == full ]]; then
  expect "$GPU on its host driver $GPU_DRV" test "$(driver $GPU)" = $GPU_DRV
  expect "$AUDIO on $AUDIO_DRV" test "$(driver $AUDIO)" = $AUDIO_DRV
  expect "$AUDIO has an ALSA card (its codec was probed)" bash -c "ls /sys/bus/pci/devices/$AUDIO/sound | grep -q '^card'"
fi
show_drivers
end "L1 up at ${boot}s (kernel $(uname -r), root = host / by 9p + tmpfs overlay), IOMMU dmar0, group $(group_of $GPU)"

# ---------------------------------------------------------------- 1. doctor
if [[ $MODE == doctor ]]; then
  begin 1.intremap-off
  vg doctor --json; rc=$RC
  cp "$OUT/last.out" "$OUT/doctor-intremap-off.json"
  D=$OUT/doctor-intremap-off.json
  expect "doctor printed JSON" jqe . "$D"
  expect "doctor exits 1: not ready, VFIO would refuse the card (got $rc)" test $rc -eq 1
  expect "the IOMMU is active" jqe '.host.iommu.active == true' "$D"
  expect "no IR-* interrupt domains in /proc/interrupts" bash -c '! grep -q "IR-" /proc/interrupts'
  expect "finding iommu.interrupt-remapping is an error" \
    jqe '.findings[] | select(.id == "iommu.interrupt-remapping") | select(.severity == "error")' "$D"
  log "  finding: $(jq -c '.findings[] | select(.id == "iommu.interrupt-remapping")' "$D")"
  # and it is true: VFIO refuses the card's group (QEMU fails before any guest code runs)
  for f in $GPU $AUDIO; do
    echo vfio-pci > /sys/bus/pci/devices/$f/driver_override
    [[ -e /sys/bus/pci/devices/$f/driver ]] && echo $f > /sys/bus/pci/devices/$f/driver/unbind
    echo $f > /sys/bus/pci/drivers_probe
  done
  expect "both functions bound to vfio-pci by hand" drivers_are vfio-pci vfio-pci
  run qemu-system-x86_64 -machine q35 -accel tcg -nodefaults -display none -S -device vfio-pci,host=$GPU
  expect "QEMU with vfio-pci,host=$GPU fails (exit $RC)" test $RC -ne 0 -a $RC -ne 124
  expect "with 'Failed to set iommu for container: Operation not permitted'" \
    grep -q "Failed to set iommu for container: Operation not permitted" "$OUT/last.err"
  end "doctor: iommu.interrupt-remapping $(jq -r '.findings[] | select(.id == "iommu.interrupt-remapping") | .severity' "$D" 2>/dev/null); and VFIO indeed refuses: $(grep -o 'Failed to set iommu for container: [^,]*' "$OUT/last.err" | head -1)"
  save_logs
  exit 0
fi

begin 1.doctor
vg doctor --json; rc=$RC
cp "$OUT/last.out" "$OUT/doctor.json"
D=$OUT/doctor.json
grp=$(group_of $GPU)
card=".gpus[] | select(.address == \"$GPU\")"
expect "doctor printed JSON" jqe . "$D"
expect "doctor exits 0 or 1 (got $rc)" test $rc -le 1
expect "the IOMMU is active (intel)" jqe '.host.iommu.active == true and .host.iommu.vendor == "intel"' "$D"
expect "doctor lists the card $GPU as 1002:5046" jqe "$card | select(.ids == \"1002:5046\")" "$D"
expect "its functions are $GPU and $AUDIO" jqe "$card | select(.functions == [\"$GPU\", \"$AUDIO\"])" "$D"
expect "its group is $grp (as sysfs says), holding only the two functions" \
  jqe "$card | select(.iommuGroup == $grp and .groups == [$grp] and .groupMembers == [\"$GPU\", \"$AUDIO\"])" "$D"
expect "the audio function is in group $grp too" \
  jqe ".host.pciDevices[] | select(.address == \"$AUDIO\" and .iommuGroup == $grp and .class == \"0x040300\")" "$D"
expect "the card is isolated and passable" jqe "$card | select(.isolated == true and .passable == true)" "$D"
expect "the card is not the boot VGA" jqe "$card | select(.bootVga == false)" "$D"
expect "finding iommu.interrupt-remapping is ok" \
  jqe '.findings[] | select(.id == "iommu.interrupt-remapping") | select(.severity == "ok")' "$D"
log "  card: $(jq -c "$card" "$D")"
log "  findings: $(jq -c '[.findings[] | {id, severity}]' "$D")"
end "card $GPU 1002:5046 + $AUDIO in group $grp alone: isolated, passable; interrupt remapping ok"

# ---------------------------------------------------------------- 2. capture
begin 2.capture
vg capture --out "$OUT/capture.tar.gz"
expect "capture exits 0" test $RC -eq 0
expect "the capture holds the card's sysfs entries" bash -c \
  "tar -tzf $OUT/capture.tar.gz | grep -q 'sys/bus/pci/devices/$GPU\\|sys/devices/pci0000:00/0000:00:03.0/$GPU'"
expect "the capture holds the IOMMU groups" bash -c "tar -tzf $OUT/capture.tar.gz | grep -q 'sys/kernel/iommu_groups/$grp'"
expect "the capture holds /proc/interrupts" bash -c "tar -tzf $OUT/capture.tar.gz | grep -q '^proc/interrupts$'"
end "$(tar -tzf "$OUT/capture.tar.gz" 2>/dev/null | wc -l) entries, $(stat -c %s "$OUT/capture.tar.gz" 2>/dev/null) bytes (replayed on the host next)"

# ---------------------------------------------------------------- 5. hooks, before libvirtd starts
begin 5.hooks-install
vg hooks install
expect "hooks install exits 0" test $RC -eq 0
expect "the dispatcher /etc/libvirt/hooks/qemu.d/vgapass is executable" test -x /etc/libvirt/hooks/qemu.d/vgapass
expect "the jar is installed under /usr/local/lib/vgapass" test -f /usr/local/lib/vgapass/vgapass.jar
end "dispatcher /etc/libvirt/hooks/qemu.d/vgapass + /usr/local/lib/vgapass/vgapass.jar$(test -f /usr/local/lib/vgapass/vgapass.jsa && echo ' + trained class-data archive')"

# ---------------------------------------------------------------- 3. libvirtd in L1
begin 3.libvirtd
# A chroot: QEMU's private mount namespace cannot be set up here (LAB-NOTES)
sed -i -E 's/^[[:space:]]*namespaces[[:space:]]*=.*$//' /etc/libvirt/qemu.conf
printf '\n# vgapass lab (L1 is a chroot)\nnamespaces = [ ]\n' >> /etc/libvirt/qemu.conf
log "qemu.conf: $(grep -E '^[[:space:]]*[a-z_]+[[:space:]]*=' /etc/libvirt/qemu.conf | tr '\n' ';')"
virtlogd -d
LIBVIRT_LOG_OUTPUTS="3:file:/var/log/libvirt/libvirtd.log" libvirtd -d
expect "libvirtd answers on qemu:///system within 90 s" wait_for 90 virsh -c qemu:///system version
run virsh -c qemu:///system version
# the host-only network: a bridge of our own, handed to libvirt (no DHCP, no firewall rules)
ip link add $BRIDGE type bridge && ip link set $BRIDGE up
cat > /tmp/$NET.xml <<EOF
<network>
  <name>$NET</name>
  <forward mode='bridge'/>
  <bridge name='$BRIDGE'/>
</network>
EOF
run virsh -c qemu:///system net-define /tmp/$NET.xml
expect "network $NET defined" test $RC -eq 0
run virsh -c qemu:///system net-start $NET
expect "network $NET started" test $RC -eq 0
end "libvirtd $(libvirtd --version | awk '{print $NF}') up, QEMU capabilities probed; network $NET on bridge $BRIDGE"

# ---------------------------------------------------------------- 3. plan + define
begin 3.plan-define
# --no-tpm --no-secure-boot: L2 boots its kernel directly (adapt-domain.sh), so the Windows 11 firmware and TPM
# the plan gives by default have nothing to do here (SignedBootTcgTest proves those)
vg plan --gpu $GPU --vcpus 1 --memory 256M --hugepages 2M --audio none --nic hostonly:$NET --name $DOM --no-tpm --no-secure-boot \
  --xml-out "$OUT/$DOM.planned.xml"
expect "plan exits 0" test $RC -eq 0
P=$OUT/$DOM.planned.xml
for f in 0 1; do
  expect "planned hostdev 01:00.$f managed='yes'" bash -c "xmllint --xpath \
    \"//hostdev[@managed='yes']/source/address[@bus='0x01' and @slot='0x00' and @function='0x$f']\" $P"
done
lab_dir=$(dirname "$0")
run "$lab_dir/adapt-domain.sh" "$P" "$OUT/$DOM.xml" "$L2_KERNEL" "$L2_INITRD" "$L2_CONSOLE"
expect "adapted for TCG (type='qemu', direct kernel boot)" test $RC -eq 0
log "$(diff "$P" "$OUT/$DOM.xml")"
vg vm define "$OUT/$DOM.xml"
expect "vgapass vm define exits 0" test $RC -eq 0
run virsh -c qemu:///system dumpxml $DOM
cp "$OUT/last.out" "$OUT/$DOM.defined.xml"
expect "libvirt holds $DOM with both functions as managed hostdevs" \
  test "$(grep -c "<hostdev mode='subsystem' type='pci' managed='yes'>" "$OUT/$DOM.defined.xml")" = 2
expect "with vgapass metadata" grep -q 'https://vgapass.io/xmlns/libvirt/domain/1.0' "$OUT/$DOM.defined.xml"
end "planned (1 vCPU, 256 MiB on 2 MiB pages, FIFO I/O thread, $GPU + $AUDIO managed), adapted to type='qemu', defined"

# ---------------------------------------------------------------- 3. start
begin 3.start
pages_before=$(pool nr_hugepages)
log "2 MiB pool before: nr $(pool nr_hugepages), free $(pool free_hugepages)"
show_drivers
vg vm start $DOM
expect "vgapass vm start exits 0" test $RC -eq 0
pages_running=$(pool nr_hugepages)
log "2 MiB pool while running: nr $pages_running, free $(pool free_hugepages)"
show_drivers
expect "libvirt bound both functions to vfio-pci" drivers_are vfio-pci vfio-pci
expect "/dev/vfio/$grp exists" test -c /dev/vfio/$grp
log "$(ls -l /dev/vfio/)"
expect "/dev/vfio/$grp belongs to libvirt-qemu" test "$(stat -c %U /dev/vfio/$grp 2>/dev/null)" = libvirt-qemu
end "$DOM running; libvirt bound $GPU and $AUDIO to vfio-pci, /dev/vfio/$grp $(stat -c %U /dev/vfio/$grp 2>/dev/null)"

begin 5.hooks-start
log "hooks.log:"; log "$(cat /var/log/vgapass/hooks.log 2>/dev/null)"
expect "the hook logged prepare/begin for $DOM" grep -q "$DOM prepare/begin: hugepages: 128 x 2 MiB ready" /var/log/vgapass/hooks.log
expect "128 x 2 MiB pages reserved at start (nr_hugepages $pages_before -> $pages_running)" \
  test "$pages_running" -ge $(( pages_before + 128 ))
expect "a state file /run/vgapass/$DOM.state" test -s /run/vgapass/$DOM.state
by=; grep "$DOM prepare/begin: " /var/log/vgapass/hooks.log | tail -1 | grep -q 'by the dispatcher' && by=' (in the shell dispatcher, no JVM)'
end "prepare/begin$by reserved 128 x 2 MiB (nr_hugepages $pages_before -> $pages_running); $(grep -o 'shield: [^;]*' /var/log/vgapass/hooks.log | tail -1)"

# ---------------------------------------------------------------- 3. verify
begin 3.verify
vg verify $DOM --json; rc=$RC
cp "$OUT/last.out" "$OUT/verify.json"
V=$OUT/verify.json
grep vfio /proc/interrupts >> "$LOG"
expect "verify exits 1 (one check must fail)" test $rc -eq 1
for c in vcpu-pinning emulator-pinning iothread hugepages cpu-shield governor; do
  expect "verify: $c passes" jqe ".checks[] | select(.name == \"$c\" and .passed == true)" "$V"
done
expect "verify: msi-interrupts fails naming vfio-intx" \
  jqe '.checks[] | select(.name == "msi-interrupts" and .passed == false) | select(.detail | contains("vfio-intx"))' "$V"
expect "L1's /proc/interrupts shows vfio-intx($GPU) on IR-IO-APIC" grep -q "IR-IO-APIC.*vfio-intx($GPU)" /proc/interrupts
log "  checks: $(jq -c '[.checks[] | {name, passed}]' "$V")"
end "$(jq -r '[.checks[] | select(.passed) | .name] | join(", ")' "$V" 2>/dev/null) pass; msi-interrupts fails: $(jq -r '.checks[] | select(.name == "msi-interrupts") | .detail' "$V" 2>/dev/null | cut -c1-60)"

# ---------------------------------------------------------------- 4. while L2 runs (and boots)
begin 4.vm-holds-card
vg gpu status $GPU --json
cp "$OUT/last.out" "$OUT/gpu-status-running.json"
S=$OUT/gpu-status-running.json
expect "gpu status exits 0" test $RC -eq 0
for f in $GPU $AUDIO; do
  expect "gpu status: $f on vfio-pci" jqe ".[] | select(.address == \"$f\" and .driver == \"vfio-pci\")" "$S"
done
expect "gpu status: QEMU holds /dev/vfio/$grp" \
  jqe "[.[].holders[] | select(test(\"qemu.* holds /dev/vfio/$grp\"))] | length > 0" "$S"
vg gpu reclaim $GPU
expect "gpu reclaim refuses while the VM runs (exit $RC)" test $RC -ne 0
expect "naming /dev/vfio/$grp and vm stop" bash -c "grep -q '/dev/vfio/$grp' $OUT/last.err && grep -q 'vm stop' $OUT/last.err"
expect "the functions stay on vfio-pci" drivers_are vfio-pci vfio-pci
end "gpu status: both on vfio-pci, $(jq -r '[.[].holders[]] | unique | .[0]' "$S" 2>/dev/null); gpu reclaim refused: $(head -c 90 "$OUT/last.err")"

# ---------------------------------------------------------------- 3. L2 sees the card
begin 3.l2-card
expect "L2 printed its PCI devices within 240 s" wait_for 240 grep -q LAB-L2-DONE "$L2_CONSOLE"
grep LAB-L2 "$L2_CONSOLE" >> "$LOG"
expect "L2 lists 1002:5046 (class 0x030000)" grep -q "LAB-L2-PCI .* 1002:5046 class=0x030000" "$L2_CONSOLE"
expect "L2 lists 8086:2668 (class 0x040300)" grep -q "LAB-L2-PCI .* 8086:2668 class=0x040300" "$L2_CONSOLE"
end "L2 ($(grep -o 'LAB-L2-UP .*' "$L2_CONSOLE" | cut -d' ' -f2)) reports $(grep -o 'LAB-L2-PCI [^ ]* 1002:5046' "$L2_CONSOLE" | cut -d' ' -f2-) and $(grep -o 'LAB-L2-PCI [^ ]* 8086:2668' "$L2_CONSOLE" | cut -d' ' -f2-)"

# ---------------------------------------------------------------- 4. stop: the card goes home
begin 4.stop
vg vm stop $DOM --force
expect "vgapass vm stop --force exits 0" test $RC -eq 0
expect "both back on their host drivers ($GPU_DRV, $AUDIO_DRV)" wait_for 20 drivers_are $GPU_DRV $AUDIO_DRV
show_drivers
expect "$DOM is shut off" bash -c "virsh -c qemu:///system domstate $DOM | grep -q 'shut off'"
end "stopped; libvirt gave $GPU back to $(driver $GPU), $AUDIO to $(driver $AUDIO)"

begin 5.hooks-stop
wait_for 20 test ! -e /run/vgapass/$DOM.state
log "hooks.log:"; log "$(cat /var/log/vgapass/hooks.log 2>/dev/null)"
log "2 MiB pool after stop: nr $(pool nr_hugepages), free $(pool free_hugepages)"
expect "the hook logged release/end for $DOM" grep -q "$DOM release/end: .*undone hugepages" /var/log/vgapass/hooks.log
expect "the 2 MiB pool is back to $pages_before pages" test "$(pool nr_hugepages)" -eq "$pages_before"
expect "the state file is gone" test ! -e /run/vgapass/$DOM.state
expect "the CPU shield is gone" test ! -e /sys/fs/cgroup/vgapass-shield
by=; grep "$DOM release/end: " /var/log/vgapass/hooks.log | tail -1 | grep -q 'by the dispatcher' && by=' (in the shell dispatcher, no JVM)'
end "release/end$by freed the pages (nr_hugepages $pages_running -> $(pool nr_hugepages)), removed the shield and the state file"

# ---------------------------------------------------------------- 4. the card by hand
begin 4.gpu-status
vg gpu status $GPU --json
cp "$OUT/last.out" "$OUT/gpu-status-stopped.json"
S=$OUT/gpu-status-stopped.json
expect "gpu status exits 0" test $RC -eq 0
expect "gpu status: $GPU on $GPU_DRV" jqe ".[] | select(.address == \"$GPU\" and .driver == \"$GPU_DRV\")" "$S"
expect "gpu status: $AUDIO on $AUDIO_DRV" jqe ".[] | select(.address == \"$AUDIO\" and .driver == \"$AUDIO_DRV\")" "$S"
expect "gpu status: no driver_override left, group $grp, no holders" \
  jqe "[.[] | select(.driverOverride == null and .group == $grp and .holders == [])] | length == 2" "$S"
end "$(jq -r '[.[] | "\(.address) \(.driver // "no driver")"] | join(", ")' "$S" 2>/dev/null), group $grp, nobody holds them"

begin 4.busy-refusal
snd=$(ls /sys/bus/pci/devices/$AUDIO/sound/ | grep -m1 '^card')
ctl=/dev/snd/controlC${snd#card}
log "the HDA function is ALSA $snd; holding $ctl open"
bash -c "exec 3<$ctl; exec sleep 600" &
holder=$!
wait_for 5 test -e /proc/$holder/fd/3
vg gpu release $GPU
expect "gpu release refuses while pid $holder holds $ctl (exit $RC)" test $RC -ne 0
expect "the refusal names pid $holder and $ctl" bash -c "grep -q 'pid $holder (sleep) holds $ctl' $OUT/last.err"
expect "nothing was rebound" drivers_are $GPU_DRV $AUDIO_DRV
kill $holder; wait $holder 2>/dev/null
end "release refused: $(head -c 100 "$OUT/last.err")"

begin 4.release-reclaim
vg gpu release $GPU
expect "gpu release exits 0" test $RC -eq 0
show_drivers
expect "both functions on vfio-pci" drivers_are vfio-pci vfio-pci
expect "/dev/vfio/$grp exists" test -c /dev/vfio/$grp
vg gpu status $GPU --json
expect "gpu status says vfio-pci (override vfio-pci) for both" \
  jqe '[.[] | select(.driver == "vfio-pci" and .driverOverride == "vfio-pci")] | length == 2' "$OUT/last.out"
vg gpu reclaim $GPU
expect "gpu reclaim exits 0" test $RC -eq 0
show_drivers
expect "both back on $GPU_DRV and $AUDIO_DRV" wait_for 10 drivers_are $GPU_DRV $AUDIO_DRV
expect "driver_override cleared" bash -c \
  "grep -qx '(null)' /sys/bus/pci/devices/$GPU/driver_override && grep -qx '(null)' /sys/bus/pci/devices/$AUDIO/driver_override"
end "release: both to vfio-pci (/dev/vfio/$grp); reclaim: $GPU back to $(driver $GPU), $AUDIO to $(driver $AUDIO), overrides cleared"

# ---------------------------------------------------------------- 6. the deep shield: the card's IRQs follow the guest
begin 6.deep-irqs
D=$DOM-deep
vg plan --gpu $GPU --vcpus 1 --memory 256M --hugepages 2M --audio none --nic hostonly:$NET --name $D --shield deep --no-tpm --no-secure-boot \
  --xml-out "$OUT/$D.planned.xml"
expect "plan --shield deep exits 0" test $RC -eq 0
run "$lab_dir/adapt-domain.sh" "$OUT/$D.planned.xml" "$OUT/$D.xml" "$L2_KERNEL" "$L2_INITRD" /var/log/lab-l2-deep-console.log
vg vm define "$OUT/$D.xml"
expect "vm define exits 0" test $RC -eq 0
guest=$(virsh -c qemu:///system dumpxml $D | xmllint --xpath 'string(//vcpupin/@cpuset)' - 2>/dev/null)
line=$(cat /sys/bus/pci/devices/$GPU/irq)
before=$(cat /proc/irq/$line/smp_affinity_list)
log "the card's INTx line: IRQ $line, smp_affinity_list $before; the guest's CPUs: $guest"
vg vm start $D
expect "vm start exits 0" test $RC -eq 0
expect "vfio-intx($GPU) is on IRQ $line" wait_for 20 grep -q "^ *$line:.*vfio-intx($GPU)" /proc/interrupts
expect "IRQ $line follows the guest's CPUs ($guest) within 10 s" wait_for 10 \
  bash -c "[[ \$(cat /proc/irq/$line/smp_affinity_list) == '$guest' ]]"
during=$(cat /proc/irq/$line/smp_affinity_list)
log "$(grep -o 'deep: .*' /var/log/vgapass/hooks.log | tail -1)"
vg vm stop $D --force
expect "vm stop exits 0" test $RC -eq 0
expect "release/end ran (the state file is gone)" wait_for 20 test ! -e /run/vgapass/$D.state
expect "IRQ $line is back on $before" bash -c "[[ \$(cat /proc/irq/$line/smp_affinity_list) == '$before' ]]"
expect "no follower left" bash -c "! pgrep -f '[v]gapass-irq-follow'"
run virsh -c qemu:///system undefine $D
end "IRQ $line (vfio-intx): $before before, $during while $D ran on CPU $guest, $(cat /proc/irq/$line/smp_affinity_list) after"

# ---------------------------------------------------------------- gpu recover (issue 17)
. "$(dirname "$0")/recover-steps.sh"

save_logs
