# The VFIO lab's single-GPU variant (issue 14), sourced by lab/l1/steps.sh in mode "single":
# the step framework (begin/run/vg/expect/end, driver, wait_for, ...) comes from there.
#
# This L1 has no display device but the card: the ati-vga is the boot VGA, aty128fb drives it
# and the framebuffer console sits on it; the HDA function is its sound card. A stand-in
# display manager (an init script, as on a host without systemd) holds /dev/fb0, a stand-in
# sound server (a script named pipewire, run by a desktop user) holds the sound card's control
# node. vgapass must hand all of it to the VM at start and give it back at stop, after a failed
# start and after a SIGKILLed QEMU.
#
# Steps are named single.<what>; lab/run lists them in SINGLE_STEPS. The two benchmark
# figures (vm start -> both functions on vfio-pci; vm stop -> the stand-in display manager
# holding the card again) go to /lab-out/bench as "NAME SECONDS" lines.

DM=vgapass-lab-dm DM_BIN=/usr/sbin/vgapass-lab-dm DM_PID=/run/vgapass-lab-dm.pid
DESK_USER=labdesk SOUND_BIN=/usr/local/bin/pipewire UDEV_BIN=/usr/local/sbin/vgapass-lab-udev
DISK=/var/lib/vgapass-lab/l2-disk.img
STATE=/run/vgapass/$DOM.state
HOOKS_LOG=/var/log/vgapass/hooks.log
BENCH=$OUT/bench
: > "$BENCH"

# A fork-free pause: read -t on a FIFO nobody writes to (the pollers below must not load the
# two vCPUs they measure, and must never hold one of the card's nodes).
mkfifo /run/lab-tick && exec 7<> /run/lab-tick && rm -f /run/lab-tick
tick() { read -r -t "${1:-0.05}" -u 7; return 0; }

# ---- conditions made of builtins only (they run in tight polls)
on_vfio() { [[ -e /sys/bus/pci/drivers/vfio-pci/$GPU && -e /sys/bus/pci/drivers/vfio-pci/$AUDIO ]]; }
on_host() { [[ -e /sys/bus/pci/drivers/$GPU_DRV/$GPU && -e /sys/bus/pci/drivers/$AUDIO_DRV/$AUDIO ]]; }
# the stand-in display manager runs (by its pidfile) and holds the frame buffer (its fd 3)
dm_holds() { local p; [[ -s $DM_PID ]] && read -r p < "$DM_PID" && [[ /proc/$p/fd/3 -ef /dev/fb0 ]]; }
# pids of the processes whose name (comm) is $1
pids_named() {
  local d c
  for d in /proc/[0-9]*; do
    read -r c < "$d/comm" 2>/dev/null && [[ $c == "$1" ]] && echo "${d#/proc/}"
  done
}
dm_gone() { [[ -z $(pids_named $DM) ]]; }
sound_gone() { [[ -z $(pids_named pipewire) ]]; }
# the stand-in sound server runs as the desktop user and holds an ALSA control node
sound_holds() {
  local p f
  for p in $(pids_named pipewire); do
    for f in /proc/$p/fd/*; do [[ $f -ef $SND_CTL ]] && return 0; done
  done
  return 1
}
# fbcon's console ("frame buffer device"): its vtcon, and whether it is bound. Once the last
# frame buffer is gone, fbcon unregisters it (the vtcon disappears); it comes back with fb0.
fbcon_vt() { local v n; for v in /sys/class/vtconsole/vtcon*; do read -r n < "$v/name"; [[ $n == *"frame buffer"* ]] && { echo "${v##*/}"; return; }; done; }
fbcon_bound() {
  local v n b
  for v in /sys/class/vtconsole/vtcon*; do
    read -r n < "$v/name" && read -r b < "$v/bind" && [[ $n == *"frame buffer"* && $b == 1 ]] && return 0
  done
  return 1
}
fbcon_unbound() { ! fbcon_bound; }
vtconsoles() { local v; for v in /sys/class/vtconsole/vtcon*; do printf '%s bind=%s %s; ' "${v##*/}" "$(cat "$v/bind")" "$(cat "$v/name")"; done; }

# holders: "NAME USER NODE" for every process holding one of the card's nodes (no pids: a
# stopped and restarted service has new ones); holders_pids: the same with pids, for the logs
holder_links() {
  find /proc/[0-9]*/fd -maxdepth 1 \( -lname '/dev/fb*' -o -lname '/dev/dri/*' -o -lname '/dev/snd/*' \
    -o -lname '/dev/vfio/[0-9]*' \) -printf '%h %l\n' 2>/dev/null
}
holders_pids() {
  local fdd node pid c u
  holder_links | while read -r fdd node; do
    pid=${fdd#/proc/}; pid=${pid%/fd}
    read -r c < "/proc/$pid/comm" 2>/dev/null || continue
    u=$(stat -c %U "/proc/$pid" 2>/dev/null)
    echo "$pid $c $u $node"
  done | sort -u
}
holders() { holders_pids | cut -d' ' -f2- | sort -u; }

# snapshot: everything a single-GPU hand-over touches, as text that two moments can be diffed on
snapshot() {
  local v f
  echo "driver $GPU $(driver $GPU) override $(cat /sys/bus/pci/devices/$GPU/driver_override)"
  echo "driver $AUDIO $(driver $AUDIO) override $(cat /sys/bus/pci/devices/$AUDIO/driver_override)"
  for v in /sys/class/vtconsole/vtcon*; do echo "${v##*/} bind=$(cat "$v/bind") $(cat "$v/name")"; done
  echo "/proc/fb: $(tr '\n' ';' < /proc/fb)"
  echo "nodes: $(cd /dev && ls -d fb* dri/* snd/* vfio/* 2>/dev/null | tr '\n' ' ')"
  echo "modules: $(cut -d' ' -f1 /proc/modules | grep -E '^(aty128fb|snd_hda_intel|vfio_pci|vfio)$' | sort | tr '\n' ' ')"
  echo "dm pidfile: $([[ -s $DM_PID ]] && echo present || echo absent); $DM running: $( dm_gone && echo no || echo yes)"
  echo "state file: $([[ -e $STATE ]] && echo present || echo absent)"
  holders | sed 's/^/holder /'
}
# settled_as FILE: the snapshot now equals FILE (the restarted services may take a moment)
settled_as() { snapshot > "$OUT/snap.now" && cmp -s "$1" "$OUT/snap.now"; }
log_snapshot_diff() { log "  snapshot diff ($1 vs now):"; log "$(diff "$2" "$OUT/snap.now" | sed 's/^/    /')"; }

# bench_start NAME CONDITION [FIRST]: polls, in the background from now on, every 50 ms, for
# FIRST (when given) and then CONDITION (builtin functions both); bench_took NAME LABEL waits for
# it and sets TOOK (seconds until CONDITION held, "-" if it never did) and TAIL (seconds from
# FIRST to CONDITION), and adds "NAME TOOK" and "NAME.from-LABEL TAIL" to $BENCH.
bench_start() {
  local name=$1 cond=$2 first=${3:-} t0=$EPOCHREALTIME
  rm -f "$OUT/$name.took"
  ( end=$(( ${t0%.*} + 300 )) t1=
    if [[ -n $first ]]; then
      until $first; do (( ${EPOCHREALTIME%.*} < end )) || exit 1; tick 0.05; done
      t1=$EPOCHREALTIME
    fi
    until $cond; do (( ${EPOCHREALTIME%.*} < end )) || exit 1; tick 0.05; done
    awk -v a="$t0" -v m="$t1" -v b="$EPOCHREALTIME" \
      'BEGIN { printf "%.2f %s\n", b - a, (m == "" ? "-" : sprintf("%.2f", b - m)) }' > "$OUT/$name.took" ) &
  BENCH_PID=$!
}
bench_took() {
  TOOK=- TAIL=-
  wait "$BENCH_PID" 2>/dev/null
  [[ -s $OUT/$1.took ]] || return 0
  read -r TOOK TAIL < "$OUT/$1.took"
  echo "$1 $TOOK" >> "$BENCH"
  [[ $TAIL == - ]] || echo "$1.from-$2 $TAIL" >> "$BENCH"
}

start_libvirtd() {
  LIBVIRT_LOG_OUTPUTS="3:file:/var/log/libvirt/libvirtd.log" libvirtd -d
  wait_for 90 virsh -c qemu:///system version
}
qemu_pid() { cat /run/libvirt/qemu/$DOM.pid 2>/dev/null; }
hook_lines() { local n; n=$(grep -c "$DOM " "$HOOKS_LOG" 2>/dev/null); echo "${n:-0}"; }
# the hook's log lines for $DOM since line N
hook_log_since() { grep "$DOM " "$HOOKS_LOG" 2>/dev/null | tail -n +$(( $1 + 1 )); }

# ---------------------------------------------------------------- single.boot
begin single.boot
boot=$(cut -d' ' -f1 /proc/uptime)
log "uptime at steps.sh: $boot s; cmdline: $(cat /proc/cmdline)"
log "PCI: $(for d in /sys/bus/pci/devices/*; do printf '%s %s:%s %s; ' "${d##*/}" "$(cat $d/vendor)" "$(cat $d/device)" "$(cat $d/class)"; done)"
expect "an Intel IOMMU unit (sys/class/iommu/dmar0)" test -e /sys/class/iommu/dmar0
expect "vfio-pci driver registered" test -d /sys/bus/pci/drivers/vfio-pci
expect "no display device but the card (no class 0x03xxxx elsewhere)" \
  test "$(grep -l '^0x03' /sys/bus/pci/devices/*/class | wc -l)" = 1
expect "the card is the boot VGA" grep -qx 1 /sys/bus/pci/devices/$GPU/boot_vga
expect "$GPU on its host driver $GPU_DRV, $AUDIO on $AUDIO_DRV" on_host
expect "/proc/fb shows the card's frame buffer (ATY Rage128)" grep -q 'ATY Rage128' /proc/fb
FBCON_VT=$(fbcon_vt)
expect "a framebuffer console exists ($FBCON_VT)" test -n "$FBCON_VT"
expect "the framebuffer console is bound" fbcon_bound
snd=$(ls /sys/bus/pci/devices/$AUDIO/sound/ 2>/dev/null | grep -m1 '^card')
SND_CTL=/dev/snd/controlC${snd#card}
expect "$AUDIO has an ALSA card ($SND_CTL)" test -c "$SND_CTL"
log "vtconsoles: $(vtconsoles)"
log "/dev/dri: $(ls /dev/dri 2>&1)"
end "L1 up at ${boot}s with the card as its only display: boot_vga=1, $(head -1 /proc/fb | cut -d' ' -f2-) on fb0, $FBCON_VT = $(cat /sys/class/vtconsole/$FBCON_VT/name 2>/dev/null | sed 's/^ *//') bound"

# ---------------------------------------------------------------- single.setup
# libvirtd and the hooks as in the dual run, then the desktop's stand-ins
begin single.setup
vg hooks install
expect "hooks install exits 0" test $RC -eq 0
sed -i -E 's/^[[:space:]]*namespaces[[:space:]]*=.*$//' /etc/libvirt/qemu.conf
printf '\n# vgapass lab (L1 is a chroot)\nnamespaces = [ ]\n' >> /etc/libvirt/qemu.conf
virtlogd -d
expect "libvirtd answers on qemu:///system within 90 s" start_libvirtd
ip link add $BRIDGE type bridge && ip link set $BRIDGE up
printf "<network>\n  <name>$NET</name>\n  <forward mode='bridge'/>\n  <bridge name='$BRIDGE'/>\n</network>\n" > /tmp/$NET.xml
run virsh -c qemu:///system net-define /tmp/$NET.xml
run virsh -c qemu:///system net-start $NET
expect "network $NET started" test $RC -eq 0

# The stand-in udev: no udev in L1, so the sound nodes the kernel (re)creates are root's 0600;
# a desktop's udev gives them to the audio group, which the sound server's user is in.
cat > $UDEV_BIN <<'EOF'
#!/bin/bash
# vgapass lab: the part of udev a desktop's sound needs (ALSA nodes to group audio, 0660)
exec 0</dev/null 1>/dev/null 2>&1
mkfifo /run/vgapass-lab-udev.tick && exec 9<> /run/vgapass-lab-udev.tick && rm -f /run/vgapass-lab-udev.tick
while :; do
  for n in /dev/snd/*; do [[ -c $n && -G $n ]] && chgrp audio "$n" && chmod 0660 "$n"; done
  read -r -t 0.1 -u 9
done
EOF
# The stand-in display manager: holds the card's frame buffer (and DRM node, if it had one)
# open, as a display manager's X server does; started and stopped by its init script, and
# named by /etc/X11/default-display-manager, as Debian does on a host without systemd.
cat > $DM_BIN <<'EOF'
#!/bin/bash
# vgapass lab: stand-in display manager. Waits up to 10 s for the card (a display manager
# started right after the driver binds may come before the node), then holds it until killed.
for i in $(seq 100); do exec 3<> /dev/fb0 && break; sleep 0.1; done 2>/dev/null
[[ /proc/$$/fd/3 -ef /dev/fb0 ]] || { echo "vgapass-lab-dm: no /dev/fb0" >&2; exit 1; }
[[ -e /dev/dri/card0 ]] && exec 4<> /dev/dri/card0
mkfifo /run/vgapass-lab-dm.wait && exec 9<> /run/vgapass-lab-dm.wait && rm -f /run/vgapass-lab-dm.wait
read -r -u 9
EOF
cat > /etc/init.d/$DM <<EOF
#!/bin/sh
### BEGIN INIT INFO
# Provides:          $DM
# Required-Start:    \$local_fs
# Required-Stop:     \$local_fs
# Default-Start:     2 3 4 5
# Default-Stop:      0 1 6
# Short-Description: the VFIO lab's stand-in display manager
### END INIT INFO
case "\$1" in
  start) start-stop-daemon --start --quiet --oknodo --background --make-pidfile --pidfile $DM_PID --startas $DM_BIN ;;
  stop) start-stop-daemon --stop --quiet --oknodo --pidfile $DM_PID --retry TERM/5/KILL/2 --remove-pidfile ;;
  status) start-stop-daemon --status --pidfile $DM_PID ;;
  restart) "\$0" stop && "\$0" start ;;
  *) echo "Usage: \$0 {start|stop|status|restart}" >&2; exit 3 ;;
esac
EOF
# The stand-in sound server: a script named pipewire, run by the desktop user, holding every
# ALSA control node it may open (the card's HDA function is L1's only sound card); like
# pipewire it waits for devices rather than failing without them.
cat > $SOUND_BIN <<'EOF'
#!/bin/bash
# vgapass lab: stand-in sound server (named pipewire so vgapass recognises it)
# Run again from its command line ("/bin/bash .../pipewire"), bash would keep the name "bash":
# exec'ing itself makes it "pipewire" again, as the real program (a binary) always is.
[[ $(< /proc/$$/comm) == pipewire ]] || exec "$0" "$@"
exec 0</dev/null
tick=/tmp/.pipewire-lab.$$
mkfifo "$tick" && exec 9<> "$tick" && rm -f "$tick"
held=0
until (( held )); do
  for n in /dev/snd/controlC*; do { exec {fd}<> "$n" && held=1; } 2>/dev/null; done
  (( held )) || read -r -t 0.1 -u 9
done
read -r -u 9
EOF
chmod 0755 $UDEV_BIN $DM_BIN /etc/init.d/$DM $SOUND_BIN
mkdir -p /etc/X11 && echo $DM_BIN > /etc/X11/default-display-manager
id $DESK_USER >/dev/null 2>&1 || useradd -m -s /bin/bash -G audio $DESK_USER
setsid $UDEV_BIN &
run /etc/init.d/$DM start
expect "/etc/init.d/$DM start exits 0" test $RC -eq 0
expect "the stand-in display manager holds /dev/fb0 within 10 s" wait_for 10 dm_holds
expect "the ALSA nodes belong to group audio (the stand-in udev)" wait_for 5 bash -c "stat -c %G $SND_CTL | grep -qx audio"
(cd /home/$DESK_USER && exec setsid setpriv --reuid=$DESK_USER --regid=$DESK_USER --init-groups \
  env HOME=/home/$DESK_USER USER=$DESK_USER LOGNAME=$DESK_USER $SOUND_BIN < /dev/null > /dev/null 2>&1 &)
expect "the stand-in sound server (pipewire, user $DESK_USER) holds $SND_CTL within 10 s" wait_for 10 sound_holds
holders_pids > "$OUT/holders-desktop"
log "holders:"; log "$(sed 's/^/  /' "$OUT/holders-desktop")"
expect "pipewire runs as $DESK_USER" grep -q " pipewire $DESK_USER $SND_CTL" "$OUT/holders-desktop"
expect "nothing else holds the card's nodes" \
  test "$(grep -vc -e " $DM root /dev/fb0" -e " pipewire $DESK_USER /dev/snd/" "$OUT/holders-desktop")" = 0
snapshot > "$OUT/snap.desktop"
log "desktop snapshot:"; log "$(sed 's/^/  /' "$OUT/snap.desktop")"
end "libvirtd, hooks; the desktop: $DM (init script, pid $(cat $DM_PID 2>/dev/null)) holds /dev/fb0, pipewire ($DESK_USER) holds $SND_CTL"

# ---------------------------------------------------------------- single.doctor
begin single.doctor
vg doctor --json; rc=$RC
cp "$OUT/last.out" "$OUT/doctor.json"
D=$OUT/doctor.json
card=".gpus[] | select(.address == \"$GPU\")"
expect "doctor printed JSON" jqe . "$D"
expect "doctor exits 0 or 1 (got $rc)" test $rc -le 1
expect "the card is the boot VGA and not passable the dual-GPU way (the host would lose its display)" \
  jqe "$card | select(.bootVga == true and .passable == false)" "$D"
expect "the card carries a singleGpu verdict beside passable" jqe "$card | .singleGpu | objects" "$D"
expect "singleGpu says passable" jqe "$card | .singleGpu.passable == true" "$D"
expect "singleGpu: the display manager to stop is /etc/init.d/$DM" \
  jqe "$card | .singleGpu.displayManager == \"/etc/init.d/$DM\"" "$D"
expect "singleGpu: the sound server to stop is $DESK_USER's pipewire" \
  jqe "$card | .singleGpu.soundServers | length == 1 and (.[0] | contains(\"$DESK_USER's pipewire\"))" "$D"
expect "singleGpu: the framebuffer console to unbind is $FBCON_VT" jqe "$card | .singleGpu.consoles == [\"$FBCON_VT\"]" "$D"
expect "singleGpu: no blockers" jqe "$card | .singleGpu.blockers == []" "$D"
log "  singleGpu: $(jq -c "$card | .singleGpu" "$D")"
vg doctor
expect "doctor's text says 'passable in single-GPU mode'" grep -q 'passable in single-GPU mode' "$OUT/last.out"
log "  text: $(grep -i 'single-GPU' "$OUT/last.out" | head -5)"
end "$(grep -o 'passable in single-GPU mode[^.;(]*' "$OUT/last.out" | head -1 | sed 's/ *$//'); stops $(jq -r "$card | .singleGpu | [.displayManager] + .soundServers + .consoles | join(\", \")" "$D" 2>/dev/null)"

# ---------------------------------------------------------------- single.plan-define
begin single.plan-define
mkdir -p "$(dirname $DISK)" && truncate -s 16M $DISK
PLAN_ARGS=(--gpu $GPU --vcpus 1 --memory 256M --hugepages 2M --audio none --nic hostonly:$NET --name $DOM --disk $DISK --no-tpm --no-secure-boot)
vg plan "${PLAN_ARGS[@]}" --xml-out "$OUT/$DOM.refused.xml"
expect "plan without --single-gpu refuses the host's only card (exit $RC)" test $RC -eq 2
expect "naming --single-gpu" grep -q -- '--single-gpu' "$OUT/last.err"
expect "and writes nothing" test ! -e "$OUT/$DOM.refused.xml"
refusal=$(head -1 "$OUT/last.err")
vg plan "${PLAN_ARGS[@]}" --single-gpu --xml-out "$OUT/$DOM.planned.xml"
expect "plan --single-gpu exits 0" test $RC -eq 0
P=$OUT/$DOM.planned.xml
for f in 0 1; do
  expect "planned hostdev 01:00.$f" bash -c "xmllint --xpath \
    \"//hostdev/source/address[@bus='0x01' and @slot='0x00' and @function='0x$f']\" $P"
done
expect "the metadata records the single-GPU hand-over" grep -q "handover='single'" "$P"
run "$(dirname "$0")/adapt-domain.sh" "$P" "$OUT/$DOM.xml" "$L2_KERNEL" "$L2_INITRD" "$L2_CONSOLE"
expect "adapted for TCG (type='qemu', direct kernel boot)" test $RC -eq 0
vg vm define "$OUT/$DOM.xml"
expect "vgapass vm define exits 0" test $RC -eq 0
run virsh -c qemu:///system dumpxml $DOM
cp "$OUT/last.out" "$OUT/$DOM.defined.xml"
expect "libvirt holds $DOM with both functions as hostdevs" \
  test "$(grep -c "<hostdev mode='subsystem' type='pci'" "$OUT/$DOM.defined.xml")" = 2
expect "and the single-GPU hand-over in its vgapass metadata" grep -Eq "handover=[\"']single[\"']" "$OUT/$DOM.defined.xml"
log "  hostdevs: $(grep "<hostdev " "$OUT/$DOM.defined.xml" | tr -s ' ' | tr '\n' ' ')"
log "  metadata: $(grep -o '<vgapass:gpu [^>]*>' "$OUT/$DOM.defined.xml")"
end "without --single-gpu: $(echo "$refusal" | cut -c1-80); with it: $(grep -o '<vgapass:gpu [^>]*>' "$OUT/$DOM.defined.xml" | head -1), defined"

# ---------------------------------------------------------------- single.start
begin single.start
log "before:"; log "$(sed 's/^/  /' "$OUT/snap.desktop")"
: > "$L2_CONSOLE"
h0=$(hook_lines)
bench_start start-to-vfio on_vfio dm_gone
vg vm start $DOM; rc=$RC
bench_took start-to-vfio dm-stopped
expect "vgapass vm start exits 0 (got $rc)" test $rc -eq 0
expect "both functions on vfio-pci" on_vfio
show_drivers
expect "the stand-in display manager was stopped" dm_gone
expect "the stand-in sound server was stopped" sound_gone
expect "no framebuffer console is bound" fbcon_unbound
log "  vtconsoles: $(vtconsoles)"
expect "the frame buffer is released (/proc/fb empty, no /dev/fb0)" bash -c '! test -s /proc/fb && ! test -e /dev/fb0'
expect "/dev/vfio/$(group_of $GPU) exists" test -c /dev/vfio/$(group_of $GPU)
expect "the hand-over is recorded in $STATE" test -s $STATE
log "  state file:"; log "$(sed 's/^/    /' $STATE 2>/dev/null)"
log "  hooks.log:"; log "$(hook_log_since "$h0" | sed 's/^/    /')"
log "  holders now:"; log "$(holders_pids | sed 's/^/    /')"
expect "L2 printed its PCI devices within 240 s" wait_for 240 grep -q LAB-L2-DONE "$L2_CONSOLE"
grep LAB-L2 "$L2_CONSOLE" >> "$LOG"
expect "L2 lists 1002:5046 (class 0x030000)" grep -q "LAB-L2-PCI .* 1002:5046 class=0x030000" "$L2_CONSOLE"
expect "L2 lists 8086:2668 (class 0x040300)" grep -q "LAB-L2-PCI .* 8086:2668 class=0x040300" "$L2_CONSOLE"
end "vm start -> both functions on vfio-pci in $TOOK s ($TAIL s after the display manager stopped; $DM and pipewire stopped, fbcon unbound, fb0 gone); L2 lists $(grep -o 'LAB-L2-PCI [^ ]* 1002:5046' "$L2_CONSOLE" | cut -d' ' -f3) and $(grep -o 'LAB-L2-PCI [^ ]* 8086:2668' "$L2_CONSOLE" | cut -d' ' -f3)"

# ---------------------------------------------------------------- single.stop
begin single.stop
h0=$(hook_lines)
bench_start stop-to-dm dm_holds on_host
vg vm stop $DOM --force; rc=$RC
bench_took stop-to-dm card-home
expect "vgapass vm stop --force exits 0 (got $rc)" test $rc -eq 0
expect "both functions back on $GPU_DRV and $AUDIO_DRV" wait_for 20 on_host
show_drivers
expect "the framebuffer console is bound again" wait_for 10 fbcon_bound
log "  vtconsoles: $(vtconsoles)"
expect "/proc/fb shows ATY Rage128 again" grep -q 'ATY Rage128' /proc/fb
expect "the stand-in display manager runs again and holds /dev/fb0" wait_for 20 dm_holds
expect "the stand-in sound server runs again and holds $SND_CTL" wait_for 20 sound_holds
expect "the state file is gone" wait_for 10 test ! -e $STATE
expect "L1 is as before the start (same holders, bindings, consoles)" wait_for 10 settled_as "$OUT/snap.desktop"
log_snapshot_diff desktop "$OUT/snap.desktop"
log "  hooks.log:"; log "$(hook_log_since "$h0" | sed 's/^/    /')"
log "  holders now:"; log "$(holders_pids | sed 's/^/    /')"
end "vm stop -> $DM holding the card again in $TOOK s ($TAIL s after the card was back on its drivers); both functions on their drivers, $(fbcon_vt) bound, pipewire back as $DESK_USER"

# ---------------------------------------------------------------- single.failed-start
# A start that fails after the hand-over began (libvirt finds L2's disk missing once the hook
# has run): L1 must end exactly as it was.
begin single.failed-start
snapshot > "$OUT/snap.before-failed"
mv $DISK $DISK.away
h0=$(hook_lines)
vg vm start $DOM; rc=$RC
expect "vgapass vm start fails (exit $rc)" test $rc -ne 0
expect "with one line on stderr" test "$(grep -c . "$OUT/last.err")" = 1
failure=$(head -1 "$OUT/last.err")
hook_log_since "$h0" > "$OUT/failed-start.hooks"
log "  hooks.log:"; log "$(sed 's/^/    /' "$OUT/failed-start.hooks")"
expect "the hand-over had begun (the hook ran prepare/begin for $DOM)" grep -q "prepare/begin" "$OUT/failed-start.hooks"
expect "L1 is exactly as before (same holders, bindings, consoles, no state file)" \
  wait_for 20 settled_as "$OUT/snap.before-failed"
log_snapshot_diff before-failed "$OUT/snap.before-failed"
expect "the stand-in display manager holds /dev/fb0" dm_holds
expect "the stand-in sound server holds $SND_CTL" sound_holds
mv $DISK.away $DISK
end "start failed: $(echo "$failure" | cut -c1-90); L1 as before ($(grep -c '^holder' "$OUT/snap.before-failed") holders, both functions on their drivers)"

# ---------------------------------------------------------------- single.busy-refusal
# A process vgapass does not know holds the card's sound node: the start is refused before
# anything is stopped, naming it (vgapass never kills what it does not know).
begin single.busy-refusal
snapshot > "$OUT/snap.before-busy"
(exec 3<> "$SND_CTL"; exec sleep 600) &
holder=$!
wait_for 5 test -e /proc/$holder/fd/3
vg vm start $DOM; rc=$RC
expect "vgapass vm start fails while pid $holder holds $SND_CTL (exit $rc)" test $rc -ne 0
expect "the refusal names pid $holder (sleep) and $SND_CTL" grep -q "pid $holder (sleep) holds $SND_CTL" "$OUT/last.err"
kill $holder; wait $holder 2>/dev/null
expect "nothing was stopped or unbound (L1 as before)" wait_for 10 settled_as "$OUT/snap.before-busy"
log_snapshot_diff before-busy "$OUT/snap.before-busy"
end "refused: $(grep -o 'pid [0-9]* (sleep) holds [^ ,;]*' "$OUT/last.err" | head -1); nothing changed"

# ---------------------------------------------------------------- single.crash-release
# QEMU SIGKILLed while libvirtd runs: libvirt notices and runs the hook's release itself; after
# that, gpu reclaim --force must find nothing left to do and change nothing.
begin single.crash-release
h0=$(hook_lines)
vg vm start $DOM
expect "vgapass vm start exits 0" test $RC -eq 0
expect "both functions on vfio-pci" wait_for 20 on_vfio
qpid=$(qemu_pid)
log "  QEMU pid $qpid: kill -KILL"
kill -KILL "$qpid"; t_kill=$(now)
expect "libvirt sees $DOM shut off" wait_for 30 bash -c "virsh -c qemu:///system domstate $DOM | grep -q 'shut off'"
back=no
wait_for 30 settled_as "$OUT/snap.desktop" && back=yes
took=$(secs "$t_kill" "$(now)")
[[ $back == yes ]] && echo "kill-to-desktop $took" >> "$BENCH"
hook_log_since "$h0" > "$OUT/crash.hooks"
log "  hooks.log:"; log "$(sed 's/^/    /' "$OUT/crash.hooks")"
released=no; grep -q "release/end" "$OUT/crash.hooks" && released=yes
log "  libvirt ran release/end after the kill: $released; desktop back: $back ($took s)"
log_snapshot_diff desktop "$OUT/snap.desktop"
expect "libvirt ran the hook's release/end after the kill" test $released = yes
expect "which gave everything back (L1 as before the start)" test $back = yes
vg gpu reclaim --force $DOM
expect "gpu reclaim --force $DOM afterwards exits 0 (got $RC)" test $RC -eq 0
log "  reclaim said: $(cat "$OUT/last.out" "$OUT/last.err" | head -3)"
expect "and changes nothing" settled_as "$OUT/snap.desktop"
end "SIGKILLed QEMU: libvirt ran release/end, desktop back in $took s; gpu reclaim --force then: $(head -1 "$OUT/last.out" | cut -c1-60)"

# ---------------------------------------------------------------- single.reclaim
# QEMU SIGKILLed with libvirtd gone first: no hook runs, the card stays handed over; gpu
# reclaim --force restores the desktop from the state file. libvirtd, started again, finds its
# QEMU dead and runs release/end itself: that must change nothing either.
begin single.reclaim
vg vm start $DOM
expect "vgapass vm start exits 0" test $RC -eq 0
expect "both functions on vfio-pci" wait_for 20 on_vfio
qpid=$(qemu_pid) lpid=$(cat /run/libvirtd.pid 2>/dev/null)
log "  libvirtd pid $lpid, QEMU pid $qpid: kill -KILL both"
kill -KILL "$lpid"; wait_for 10 bash -c "! kill -0 $lpid"
kill -KILL "$qpid"; wait_for 10 bash -c "! kill -0 $qpid"
snapshot > "$OUT/snap.crashed"
log "  after the kills:"; log "$(sed 's/^/    /' "$OUT/snap.crashed")"
expect "the card stays on vfio-pci (nobody gave it back)" on_vfio
expect "the state file is still there" test -s $STATE
expect "the display manager is still stopped" dm_gone
h0=$(hook_lines)
bench_start reclaim-to-dm dm_holds on_host
vg gpu reclaim --force $DOM; rc=$RC
bench_took reclaim-to-dm card-home
expect "gpu reclaim --force $DOM exits 0 (got $rc)" test $rc -eq 0
log "  reclaim said: $(cat "$OUT/last.out" "$OUT/last.err" | head -8)"
expect "L1 is as before the start (holders, bindings, consoles; no state file)" wait_for 20 settled_as "$OUT/snap.desktop"
log_snapshot_diff desktop "$OUT/snap.desktop"
expect "libvirtd starts again" start_libvirtd
expect "and finds $DOM shut off" wait_for 30 bash -c "virsh -c qemu:///system domstate $DOM | grep -q 'shut off'"
sleep 2
log "  hooks.log after libvirtd's restart:"; log "$(hook_log_since "$h0" | sed 's/^/    /')"
expect "L1 still as before the start" wait_for 10 settled_as "$OUT/snap.desktop"
log_snapshot_diff desktop "$OUT/snap.desktop"
end "libvirtd and QEMU SIGKILLed: card left on vfio-pci; gpu reclaim --force gave the card back, $DM holding it in $TOOK s; libvirtd's restart changed nothing"

save_logs
