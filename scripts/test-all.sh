#!/usr/bin/env bash
# Full test run with the real libvirtd + QEMU (TCG) integration tests.
#
# Runs as root on a fresh Debian 12 machine that has only a JDK and Maven and no running
# systemd (containers, the project's lab VMs): it starts the daemons itself. Idempotent: a
# second run installs, downloads, builds and restarts nothing.
#
#   bash scripts/test-all.sh [extra mvn args...]
#
# Steps: packages -> hugetlbfs -> qemu.conf (cgroup v1 RT trap; chroot) -> /dev/kvm
#        -> virtlogd/libvirtd -> tiny test guest (cloud kernel + busybox initramfs)
#        -> debootstrapped Debian 12 root (cached tarball, for DebootstrapDebianTest)
#        -> mvn -B verify -Dvgapass.it=true -> ./lab/run (the VFIO lab; VGAPASS_LAB=0 skips it)
#
# Environment: VGAPASS_TEST_CACHE (default /var/cache/vgapass-test),
# VGAPASS_DAEMON_WAIT_SECS (60), VGAPASS_IN_CHROOT=1 (when pid 1's root is unreadable),
# VGAPASS_DEBOOTSTRAP_CACHE (default /var/cache/vgapass-debootstrap),
# VGAPASS_DEBIAN_MIRROR (default: the machine's own Debian archive from its apt sources, else
# http://deb.debian.org/debian), VGAPASS_LAB=0 (skip the VFIO lab).
set -euo pipefail

CACHE_DIR=${VGAPASS_TEST_CACHE:-/var/cache/vgapass-test}
QEMU_CONF=/etc/libvirt/qemu.conf
HUGE_MNT=/dev/hugepages
LIBVIRT_URI=qemu:///system
DAEMON_WAIT_SECS=${VGAPASS_DAEMON_WAIT_SECS:-60}
PACKAGES=(
  libvirt-daemon-system libvirt-daemon-system-sysv libvirt-clients libvirt0
  qemu-system-x86 ovmf busybox-static pciutils libxml2-utils cpio gzip chromium
  debootstrap zstd samba smbclient
  swtpm swtpm-tools shim-signed grub-efi-amd64-signed mtools dosfstools sbsigntool
)

T0=$(date +%s)
step() { printf '\n==> [%3ss] %s\n' "$(( $(date +%s) - T0 ))" "$*"; }
info() { printf '    %s\n' "$*"; }
die()  { printf '\nERROR: %s\n' "$*" >&2; exit 1; }

[[ $(id -u) -eq 0 ]] || die "must run as root (installs packages, starts libvirtd, allocates hugepages)"
cd "$(dirname "$0")/.."

export DEBIAN_FRONTEND=noninteractive

# ---------------------------------------------------------------- packages
step "Packages"
missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
# hugetlbfs must be mounted before libvirtd starts, and a package postinst may start it.
mount_hugetlbfs() {
  if awk -v m="$HUGE_MNT" '$2 == m && $3 == "hugetlbfs" { f = 1 } END { exit !f }' /proc/mounts; then
    return 1
  fi
  mkdir -p "$HUGE_MNT"
  mount -t hugetlbfs hugetlbfs "$HUGE_MNT" || die "cannot mount hugetlbfs at $HUGE_MNT"
  return 0
}
HUGE_MOUNTED_NOW=0
if mount_hugetlbfs; then HUGE_MOUNTED_NOW=1; fi
if (( ${#missing[@]} )); then
  info "missing: ${missing[*]}"
  info "apt-get update"
  apt-get update -qq || die "apt-get update failed"
  info "apt-get install (no recommends; sysv scripts instead of systemd units)"
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || die "apt-get install ${missing[*]} failed"
else
  info "all present: ${PACKAGES[*]}"
fi
for tool in virsh libvirtd virtlogd qemu-system-x86_64 busybox cpio xmllint debootstrap zstd; do
  command -v "$tool" >/dev/null || [[ -x /usr/sbin/$tool || -x /bin/$tool ]] || die "$tool not found after install"
done
info "$(libvirtd --version); $(qemu-system-x86_64 --version | head -1)"

# ---------------------------------------------------------------- hugetlbfs
step "hugetlbfs"
if (( HUGE_MOUNTED_NOW )); then info "mounted hugetlbfs at $HUGE_MNT"; else info "already mounted at $HUGE_MNT"; fi
info "2M pages: total $(cat /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages), free $(cat /sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages)"

# ---------------------------------------------------------------- cgroups / qemu.conf
step "cgroups"
CONF_CHANGED=0
cpu_v1=$(awk '$3 == "cgroup" { n = split($4, o, ","); for (i = 1; i <= n; i++) if (o[i] == "cpu") print $2 }' /proc/mounts | head -1)
if [[ -n $cpu_v1 && -e $cpu_v1/cpu.rt_runtime_us ]]; then
  info "cgroup v1 'cpu' controller at $cpu_v1 with RT group scheduling (cpu.rt_runtime_us=$(cat "$cpu_v1/cpu.rt_runtime_us"))"
  info "libvirt's per-VM cpu cgroups would get rt_runtime_us=0 and SCHED_FIFO vCPU/IO threads fail to start;"
  info "so libvirt must not use the 'cpu' controller (cgroup_controllers in $QEMU_CONF)"
  [[ -f $QEMU_CONF ]] || die "$QEMU_CONF missing (libvirt-daemon-driver-qemu not installed?)"
  line=$(grep -nE '^[[:space:]]*cgroup_controllers[[:space:]]*=' "$QEMU_CONF" | tail -1 || true)
  if [[ -z $line ]]; then
    {
      echo
      echo "# Added by vgapass scripts/test-all.sh: cgroup v1 with RT group scheduling;"
      echo "# without the \"cpu\" controller libvirt can give QEMU threads SCHED_FIFO."
      echo 'cgroup_controllers = [ "devices", "memory", "blkio", "cpuset", "cpuacct" ]'
    } >> "$QEMU_CONF"
    CONF_CHANGED=1
    info "added cgroup_controllers without \"cpu\" to $QEMU_CONF"
  else
    n=${line%%:*}; text=${line#*:}
    [[ $text == *']'* ]] || die "$QEMU_CONF:$n: multi-line cgroup_controllers; remove \"cpu\" from it by hand"
    if [[ $text == *'"cpu"'* ]]; then
      sed -i -E "${n}s/\"cpu\"[[:space:]]*,?[[:space:]]*//; ${n}s/,[[:space:]]*\]/ ]/" "$QEMU_CONF"
      CONF_CHANGED=1
      info "removed \"cpu\" from $QEMU_CONF:$n: $(sed -n "${n}p" "$QEMU_CONF")"
    else
      info "$QEMU_CONF:$n already excludes \"cpu\": $text"
    fi
  fi
elif [[ -n $cpu_v1 ]]; then
  info "cgroup v1 'cpu' controller at $cpu_v1 without RT group scheduling: nothing to do"
else
  info "no cgroup v1 'cpu' hierarchy (cgroup v2 or none): nothing to do"
fi

# In a chroot (the nested VFIO lab, or a fresh-machine rehearsal) libvirt cannot give QEMU
# its private /dev namespace ("Failed disable mount propagation out of the root filesystem",
# "Failed to create PTY"): turn that namespace off there, and only there.
# Detected when pid 1's root can be read (not on every machine: set VGAPASS_IN_CHROOT=1).
step "chroot?"
in_chroot() {
  [[ ${VGAPASS_IN_CHROOT:-} == 1 ]] && return 0
  local pid1; pid1=$(stat -c '%d:%i' /proc/1/root/ 2>/dev/null) || return 1
  [[ $pid1 != "$(stat -c '%d:%i' /)" ]]
}
if ! in_chroot; then
  info "not in a chroot (or VGAPASS_IN_CHROOT=1 not set): libvirt keeps its per-VM mount namespace"
else
  line=$(grep -nE '^[[:space:]]*namespaces[[:space:]]*=' "$QEMU_CONF" | tail -1 || true)
  if [[ -z $line ]]; then
    {
      echo
      echo "# Added by vgapass scripts/test-all.sh: running in a chroot, where QEMU's private"
      echo "# /dev namespace cannot be set up."
      echo 'namespaces = [ ]'
    } >> "$QEMU_CONF"
    CONF_CHANGED=1
    info "in a chroot: added 'namespaces = [ ]' to $QEMU_CONF"
  elif [[ ${line#*:} =~ \[[[:space:]]*\] ]]; then
    info "in a chroot: $QEMU_CONF:${line%%:*} already has ${line#*:}"
  else
    die "in a chroot, $QEMU_CONF:${line%%:*} has '${line#*:}'; QEMU's mount namespace fails in a chroot: set 'namespaces = [ ]'"
  fi
fi

# ---------------------------------------------------------------- /dev/kvm
# Without udev, /dev/kvm stays root:root 0600. libvirt then finds KVM "not usable" for the
# qemu user, decides on every API call that its cached QEMU capabilities (probed with KVM)
# are outdated and re-probes every emulator binary: each define/start costs 10-40 s.
# Give /dev/kvm what Debian's udev rule gives it (group kvm, 0660). Guests stay type='qemu'.
step "/dev/kvm"
if [[ -c /dev/kvm ]] && getent group kvm >/dev/null; then
  if [[ $(stat -c '%G %a' /dev/kvm) != "kvm 660" ]]; then
    info "/dev/kvm is $(stat -c '%U:%G %a' /dev/kvm): setting root:kvm 0660 as udev would (keeps libvirt's capability cache valid)"
    chgrp kvm /dev/kvm && chmod 0660 /dev/kvm || die "cannot set group kvm / mode 0660 on /dev/kvm"
  else
    info "/dev/kvm is root:kvm 0660"
  fi
else
  info "no /dev/kvm (or no kvm group): libvirt uses TCG only"
fi

# ---------------------------------------------------------------- daemons
step "virtlogd / libvirtd"
daemon_pid() { # prints the pid of a running daemon named $1 in this root, if any (no procps needed)
  local pidfile=/run/$1.pid pid d
  ours() { [[ $(cat "/proc/$1/comm" 2>/dev/null) == "$2" && /proc/$1/root -ef / ]]; }
  if [[ -r $pidfile ]]; then
    pid=$(<"$pidfile")
    if [[ -n $pid ]] && ours "$pid" "$1"; then echo "$pid"; return 0; fi
  fi
  for d in /proc/[0-9]*; do   # started without a pidfile; a daemon in a chroot is not ours
    if ours "${d#/proc/}" "$1"; then echo "${d#/proc/}"; return 0; fi
  done
  return 1
}
started_at() { # start time of process $1 in seconds since the epoch
  local btime ticks
  btime=$(awk '$1 == "btime" { print $2 }' /proc/stat)
  ticks=$(sed 's/.*) //' "/proc/$1/stat" | awk '{ print $20 }')   # field 22, counted after ')'
  echo $(( btime + ticks / $(getconf CLK_TCK) ))
}
start_daemon() { # name, args...
  local name=$1; shift
  local pid; pid=$(daemon_pid "$name" || true)
  if [[ -n $pid ]]; then info "$name running (pid $pid)"; return; fi
  mkdir -p /var/log/libvirt
  LIBVIRT_LOG_OUTPUTS="3:file:/var/log/libvirt/$name.log" "$name" "$@" \
    || die "$name failed to start (see /var/log/libvirt/$name.log)"
  info "started $name -d (log: /var/log/libvirt/$name.log)"
}
# A libvirtd must be restarted when qemu.conf changed (or hugetlbfs appeared) after it started.
# The stamp records which pid this script last started and with which qemu.conf.
STAMP=/run/vgapass-test/libvirtd.stamp
conf_hash=$(sha256sum "$QEMU_CONF" | cut -c1-16)
pid=$(daemon_pid libvirtd || true)
restart=""
if [[ -n $pid ]]; then
  if (( CONF_CHANGED || HUGE_MOUNTED_NOW )); then
    restart="started before this run changed $QEMU_CONF or mounted hugetlbfs"
  elif [[ -r $STAMP ]] && read -r s_pid s_hash < "$STAMP" && [[ $s_pid == "$pid" ]]; then
    [[ $s_hash == "$conf_hash" ]] || restart="$QEMU_CONF changed since it started"
  elif (( $(stat -c %Y "$QEMU_CONF") > $(started_at "$pid") + 2 )); then
    restart="not started by this script, and older than $QEMU_CONF"
  fi
fi
if [[ -n $restart ]]; then
  info "libvirtd (pid $pid) $restart: restarting it"
  kill -TERM "$pid"
  for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -0 "$pid" 2>/dev/null && die "libvirtd (pid $pid) did not stop within 15 s"
fi
start_daemon virtlogd -d
start_daemon libvirtd -d
pid=$(daemon_pid libvirtd || true)
mkdir -p "${STAMP%/*}"
[[ -n $pid ]] && echo "$pid $conf_hash" > "$STAMP"
info "waiting for '$LIBVIRT_URI' (at most ${DAEMON_WAIT_SECS}s)"
deadline=$(( $(date +%s) + DAEMON_WAIT_SECS ))
until timeout 10 virsh -c "$LIBVIRT_URI" version >/dev/null 2>&1; do
  if (( $(date +%s) >= deadline )); then
    timeout 10 virsh -c "$LIBVIRT_URI" version >&2 || true
    tail -n 20 /var/log/libvirt/libvirtd.log >&2 2>/dev/null || true
    die "libvirtd does not answer on $LIBVIRT_URI after ${DAEMON_WAIT_SECS}s (log: /var/log/libvirt/libvirtd.log)"
  fi
  sleep 0.5
done
virsh -c "$LIBVIRT_URI" version | sed -n 's/^Running hypervisor: /    hypervisor: /p'
info "QEMU capabilities (probed once, then cached in /var/cache/libvirt/qemu)"
timeout 300 virsh -c "$LIBVIRT_URI" domcapabilities --virttype qemu --arch x86_64 >/dev/null \
  || die "libvirt cannot probe QEMU: 'virsh domcapabilities --virttype qemu' failed (log: /var/log/libvirt/libvirtd.log)"

# ---------------------------------------------------------------- tiny guest
step "Tiny test guest (cache: $CACHE_DIR)"
mkdir -p "$CACHE_DIR"
chmod 0755 "$CACHE_DIR"

# Kernel: Debian's cloud flavour, whatever version the cache already holds; else the
# version linux-image-cloud-amd64 currently points to. Beside it, the modules the share test's
# virtiofs needs (the cloud kernel has virtio-pci, FUSE and virtiofs as modules), from the same
# package, flat in $CACHE_DIR/modules-KVER in load order. A cached kernel whose package the
# archive no longer has is replaced by the current one. Debian's virtiofsd is QEMU's own
# (/usr/lib/qemu/virtiofsd in qemu-system-common on bookworm; there is no separate package).
VIRTIOFS_MODULES=(drivers/virtio/virtio_ring drivers/virtio/virtio drivers/virtio/virtio_pci_legacy_dev
  drivers/virtio/virtio_pci_modern_dev drivers/virtio/virtio_pci fs/fuse/fuse fs/fuse/virtiofs)
# Kept beside them but not put in the tiny guest's initramfs: efivarfs, with which the firmware enroll test's
# own initramfs reads KEK and db as the firmware hands them to the kernel.
EFI_MODULES=(fs/efivarfs/efivarfs)
# fetch_kernel KVER: downloads linux-image-KVER; installs its vmlinuz and the virtiofs modules.
fetch_kernel() {
  local kver=$1 work f m ok=0
  work=$(mktemp -d /tmp/vgapass-kernel.XXXXXX)
  chmod 0777 "$work"   # lets apt's _apt user write there (no "unsandboxed" warning)
  info "downloading linux-image-$kver"
  if ( cd "$work" && apt-get download -qq "linux-image-$kver" ) 2>/dev/null \
      || { apt-get update -qq && ( cd "$work" && apt-get download -qq "linux-image-$kver" ); }; then
    dpkg -x "$work"/linux-image-"$kver"_*.deb "$work/root"
    if [[ -f $work/root/boot/vmlinuz-$kver ]]; then
      rm -rf "$CACHE_DIR/modules-$kver.tmp"; mkdir -p "$CACHE_DIR/modules-$kver.tmp"; ok=1
      for m in "${VIRTIOFS_MODULES[@]}" "${EFI_MODULES[@]}"; do
        f=$(ls "$work/root/lib/modules/$kver/kernel/$m".ko* 2>/dev/null | head -1)
        if [[ -z $f ]]; then info "linux-image-$kver has no module $m"; ok=0; break; fi
        case $f in
          *.xz) xz -dc "$f" > "$CACHE_DIR/modules-$kver.tmp/$(basename "$m").ko" ;;
          *.zst) zstd -qdc "$f" > "$CACHE_DIR/modules-$kver.tmp/$(basename "$m").ko" ;;
          *) cp "$f" "$CACHE_DIR/modules-$kver.tmp/$(basename "$m").ko" ;;
        esac
      done
      if (( ok )); then
        install -m 0644 "$work/root/boot/vmlinuz-$kver" "$CACHE_DIR/vmlinuz-$kver.tmp"
        mv "$CACHE_DIR/vmlinuz-$kver.tmp" "$CACHE_DIR/vmlinuz-$kver"
        rm -rf "$CACHE_DIR/modules-$kver"; mv "$CACHE_DIR/modules-$kver.tmp" "$CACHE_DIR/modules-$kver"
      fi
    fi
  fi
  rm -rf "$work"
  (( ok ))
}
kernel=$(ls -1 "$CACHE_DIR"/vmlinuz-*-cloud-amd64 2>/dev/null | sort -V | tail -1 || true)
if [[ -n $kernel ]]; then
  kver=${kernel##*/vmlinuz-}
  if [[ -f $CACHE_DIR/modules-$kver/virtiofs.ko && -f $CACHE_DIR/modules-$kver/efivarfs.ko ]]; then
    info "kernel cached: $kernel"
  elif fetch_kernel "$kver"; then
    info "kernel cached: $kernel (virtiofs modules added)"
  else
    info "linux-image-$kver is gone from the archive: fetching the current cloud kernel"
    kernel=
  fi
fi
if [[ -z $kernel ]]; then
  resolve_kpkg() {
    apt-cache depends linux-image-cloud-amd64 2>/dev/null \
      | awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9].*-cloud-amd64$/ { print $2; exit }'
  }
  kpkg=$(resolve_kpkg || true)
  if [[ -z $kpkg ]]; then
    info "linux-image-cloud-amd64 unknown to apt: apt-get update"
    apt-get update -qq || die "apt-get update failed"
    kpkg=$(resolve_kpkg || true)
  fi
  [[ -n $kpkg ]] || die "cannot resolve linux-image-cloud-amd64 to a versioned kernel package"
  kver=${kpkg#linux-image-}
  fetch_kernel "$kver" || die "$kpkg: cannot download it, or it lacks vmlinuz or the virtiofs modules"
  kernel=$CACHE_DIR/vmlinuz-$kver
  info "kernel: $kernel"
fi
moddir=$CACHE_DIR/modules-$kver

# Initramfs: busybox-static (+ the virtiofs modules). /init prints a marker, then either
# powers off (kernel argument vgapass.poweroff) or sleeps forever so tests can inspect QEMU's
# threads. With vgapass.pci it first lists the guest's PCI functions (address vendor:device),
# one a line; with vgapass.virtiofs=TAG it mounts that virtiofs tag and prints the file
# vgapass-share.txt from it.
INIT_SCRIPT='#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
echo "VGAPASS-TINYGUEST-UP $(uname -r) cpus=$(grep -c ^processor /proc/cpuinfo)"
for a in $(cat /proc/cmdline); do
  case $a in vgapass.virtiofs=*) tag=${a#vgapass.virtiofs=} ;; esac
done
if [ -n "$tag" ]; then
  for m in $(cat /lib/modules/order 2>/dev/null); do insmod /lib/modules/$m.ko; done
  mkdir -p /mnt
  if mount -t virtiofs "$tag" /mnt; then
    echo "VGAPASS-VIRTIOFS-READ $(cat /mnt/vgapass-share.txt)"
  else
    echo "VGAPASS-VIRTIOFS-FAILED"
  fi
fi
case " $(cat /proc/cmdline) " in
  *" vgapass.pci "*) for d in /sys/bus/pci/devices/*; do v=$(cat $d/vendor); p=$(cat $d/device); echo "VGAPASS-PCI ${d##*/} ${v#0x}:${p#0x}"; done ;;
esac
case " $(cat /proc/cmdline) " in
  *" vgapass.poweroff "*) echo "VGAPASS-TINYGUEST-POWEROFF"; poweroff -f ;;
esac
while :; do sleep 3600; done
'
busybox_bin=$(command -v busybox || echo /bin/busybox)
# the key covers the modules too: a new kernel (or modules now present) builds a new image
key=$( { printf '%s' "$INIT_SCRIPT"; dpkg-query -W -f='${Version}' busybox-static;
  if [[ -f $moddir/virtiofs.ko ]]; then cat "$moddir"/*.ko; fi; } | sha256sum | cut -c1-12)
initrd=$CACHE_DIR/tinyguest-$key.cpio.gz
if [[ -f $initrd ]]; then
  info "initramfs cached: $initrd"
else
  stage=$(mktemp -d /tmp/vgapass-initrd.XXXXXX)
  trap 'rm -rf "$stage"' EXIT
  mkdir -p "$stage"/{bin,dev,proc,sys,tmp}
  cp "$busybox_bin" "$stage/bin/busybox"
  if [[ -f $moddir/virtiofs.ko ]]; then
    mkdir -p "$stage/lib/modules"
    for m in "${VIRTIOFS_MODULES[@]}"; do
      cp "$moddir/$(basename "$m").ko" "$stage/lib/modules/"
      basename "$m" >> "$stage/lib/modules/order"
    done
  fi
  printf '%s' "$INIT_SCRIPT" > "$stage/init"
  chmod 0755 "$stage/init" "$stage/bin/busybox"
  mknod -m 0600 "$stage/dev/console" c 5 1
  ( cd "$stage" && find . -print0 | sort -z | cpio --null -o -H newc --quiet | gzip -9 ) > "$initrd.tmp"
  chmod 0644 "$initrd.tmp"
  mv "$initrd.tmp" "$initrd"
  rm -rf "$stage"; trap - EXIT
  info "built initramfs: $initrd ($(stat -c %s "$initrd") bytes)"
fi
ln -sfn "$(basename "$kernel")" "$CACHE_DIR/vmlinuz"
ln -sfn "$(basename "$initrd")" "$CACHE_DIR/initrd.img"

# ---------------------------------------------------------------- debootstrap root
# A Debian 12 root for DebootstrapDebianTest: host apply/undo run in it with Debian's own
# update-initramfs and update-grub (chroot). Built once and cached as a tarball whose name
# carries a hash of this function (change the recipe, get a new root); the test extracts a
# fresh copy for every run. Sets DEBOOTSTRAP_TARBALL.
#
# The minbase root is finished as Debian's installer finishes a BIOS install with GRUB, minus
# the disk: /etc/default/grub from grub2-common's template (grub-pc's postinst would copy it),
# /boot/grub (grub-install would create it), and a grub-probe that answers for a root on
# /dev/vda1, because a directory on the build machine has no block device grub-probe may name
# ("cannot find a device for /"). The real grub-probe is kept, diverted to grub-probe.real.
# zstd is in the root so update-initramfs uses Debian's default COMPRESS=zstd.
DEBOOTSTRAP_CACHE=${VGAPASS_DEBOOTSTRAP_CACHE:-/var/cache/vgapass-debootstrap}
# The machine's own Debian archive (its apt sources), so a host behind a local mirror or proxy
# debootstraps from where its apt already reaches; deb.debian.org only when it names none.
# One-line entries ("deb [opts] URI SUITE COMPONENTS...", sources.list and *.list) and deb822
# stanzas (*.sources: Types/URIs/Suites/Components, "Enabled: no" skipped) are read; the first
# "deb" entry of a release suite (no -security/-updates/-backports) with "main" wins.
apt_debian_mirror() {
  local dir=${1:-/etc/apt} f
  for f in "$dir/sources.list" "$dir"/sources.list.d/*; do   # apt's own order
    [[ -f $f ]] || continue
    case $f in
      */sources.list|*.list) awk '
        $1 == "deb" {
          i = 2
          if ($i ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }   # [arch=... signed-by=...]
          uri = $i; suite = $(i + 1); main = 0
          for (j = i + 2; j <= NF; j++) if ($j == "main") main = 1
          if (main && suite !~ /-(security|updates|backports)$/ && uri ~ /^https?:/) { print uri; exit }
        }' "$f" ;;
      *.sources) awk -v RS= '
        {
          types = uris = suites = comps = ""; enabled = 1
          n = split($0, lines, "\n")
          for (k = 1; k <= n; k++) {
            l = lines[k]; if (l ~ /^#/) continue
            key = tolower(l); sub(/:.*/, "", key); val = l; sub(/^[^:]*:[ \t]*/, "", val)
            if (key == "types") types = val; else if (key == "uris") uris = val
            else if (key == "suites") suites = val; else if (key == "components") comps = val
            else if (key == "enabled" && tolower(val) == "no") enabled = 0
          }
          if (!enabled || (" " types " ") !~ / deb / || (" " comps " ") !~ / main /) next
          split(uris, u, /[ \t]+/)
          ns = split(suites, s, /[ \t]+/)
          for (k = 1; k <= ns; k++)
            if (s[k] != "" && s[k] !~ /-(security|updates|backports)$/ && u[1] ~ /^https?:/) { print u[1]; exit }
        }' "$f" ;;
    esac
  done | head -1
}
DEBIAN_MIRROR=${VGAPASS_DEBIAN_MIRROR:-$(apt_debian_mirror || true)}
DEBIAN_MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
debootstrap_root() {
  local suite=bookworm
  local include=linux-image-amd64,initramfs-tools,zstd,grub-pc-bin,grub2-common,kmod,udev
  local key; key=$(declare -f debootstrap_root | sha256sum | cut -c1-12)
  local tarball=$DEBOOTSTRAP_CACHE/$suite-$key.tar.zst
  mkdir -p "$DEBOOTSTRAP_CACHE"
  chmod 0755 "$DEBOOTSTRAP_CACHE"
  DEBOOTSTRAP_TARBALL=$tarball
  if [[ -f $tarball ]]; then
    info "root cached: $tarball ($(( $(stat -c %s "$tarball") / 1048576 )) MiB)"
    ln -sfn "$(basename "$tarball")" "$DEBOOTSTRAP_CACHE/$suite.tar.zst"
    return 0
  fi
  command -v debootstrap >/dev/null || die "debootstrap not installed"
  local t0; t0=$(date +%s)
  local work; work=$(mktemp -d /var/tmp/vgapass-debootstrap.XXXXXX)
  local root=$work/root
  # debootstrap mounts proc/sys inside the target; never delete through a mount that survived a failure
  unmount_under() {
    local m
    for m in $(awk -v w="$1/" 'index($2, w) == 1 { print $2 }' /proc/mounts | sort -r); do umount -l "$m" || true; done
  }
  trap 'unmount_under "$work"; rm -rf --one-file-system "$work"' EXIT
  info "debootstrap --variant=minbase --include=$include $suite ($DEBIAN_MIRROR); log: $work/debootstrap.log"
  if ! debootstrap --variant=minbase --include="$include" "$suite" "$root" "$DEBIAN_MIRROR" > "$work/debootstrap.log" 2>&1; then
    tail -n 30 "$work/debootstrap.log" >&2
    [[ -f $root/debootstrap/debootstrap.log ]] && tail -n 30 "$root/debootstrap/debootstrap.log" >&2
    die "debootstrap $suite failed (mirror $DEBIAN_MIRROR)"
  fi
  unmount_under "$work"
  info "debootstrap done in $(( $(date +%s) - t0 )) s; finishing the root (GRUB defaults, grub-probe for a diskless chroot)"
  [[ -f $root/usr/share/grub/default/grub ]] || die "$suite root: no /usr/share/grub/default/grub (grub2-common)"
  install -m 0644 "$root/usr/share/grub/default/grub" "$root/etc/default/grub"
  mkdir -p "$root/boot/grub"
  chroot "$root" dpkg-divert --quiet --local --rename --divert /usr/sbin/grub-probe.real --add /usr/sbin/grub-probe \
    || die "dpkg-divert of grub-probe failed"
  cat > "$root/usr/sbin/grub-probe" <<'PROBE'
#!/bin/sh
# vgapass test root (scripts/test-all.sh): grub-probe for a chroot that has no disk of its own.
# The real one (/usr/sbin/grub-probe.real, dpkg-divert) asks the kernel which block device holds
# a path; this root is a directory on the build machine. This one answers as for a root on
# /dev/vda1 (ext2 driver, msdos label, no LVM/RAID/crypto), so grub-mkconfig and every
# /etc/grub.d script run for real over /etc/default/grub and /boot. Unknown targets fail.
target=
while [ $# -gt 0 ]; do
  case $1 in
    --target=*) target=${1#--target=} ;;
    -t|--target) shift; target=$1 ;;
  esac
  shift
done
case $target in
  device) echo /dev/vda1 ;;
  disk) echo /dev/vda ;;
  fs) echo ext2 ;;
  fs_uuid) echo 5a1b2c3d-0000-4000-8000-76676170617373 ;;
  partuuid) echo 5a1b2c3d-01 ;;
  fs_label) exit 1 ;;
  drive) echo '(hd0,msdos1)' ;;
  partmap) echo msdos ;;
  abstraction|cryptodisk_uuid) ;;
  compatibility_hint) echo hd0,msdos1 ;;
  hints_string) echo '--hint-bios=hd0,msdos1 --hint-efi=hd0,msdos1 --hint-baremetal=ahci0,msdos1' ;;
  *) echo "grub-probe (vgapass test root): unsupported target '$target'" >&2; exit 1 ;;
esac
PROBE
  chmod 0755 "$root/usr/sbin/grub-probe"
  # the baseline: initramfs and grub.cfg made by the root's own tools, as the test's undo remakes them
  local env=(env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8)
  "${env[@]}" chroot "$root" update-initramfs -u -k all > "$work/update-initramfs.log" 2>&1 \
    || { cat "$work/update-initramfs.log" >&2; die "update-initramfs in the $suite root failed"; }
  if grep -q '^W:' "$work/update-initramfs.log"; then sed 's/^/    /' "$work/update-initramfs.log"; fi
  "${env[@]}" chroot "$root" update-grub > "$work/update-grub.log" 2>&1 \
    || { cat "$work/update-grub.log" >&2; die "update-grub in the $suite root failed"; }
  grep -q '^[[:space:]]*linux[[:space:]]' "$root/boot/grub/grub.cfg" || die "$suite root: grub.cfg has no linux line"
  # what the test does not need: downloaded packages and package lists
  rm -f "$root"/var/cache/apt/archives/*.deb "$root"/var/cache/apt/*.bin
  [[ -d $root/var/lib/apt/lists ]] && find "$root/var/lib/apt/lists" -type f ! -name lock -delete
  info "packing $(du -sm "$root" | cut -f1) MiB"
  tar -C "$root" --numeric-owner -cf - . | zstd -q -T0 -3 -o "$tarball.tmp" \
    || die "cannot write $tarball"
  mv "$tarball.tmp" "$tarball"
  find "$DEBOOTSTRAP_CACHE" -maxdepth 1 -name "$suite-*.tar.zst" ! -name "$(basename "$tarball")" -delete
  ln -sfn "$(basename "$tarball")" "$DEBOOTSTRAP_CACHE/$suite.tar.zst"
  unmount_under "$work"
  rm -rf --one-file-system "$work"
  trap - EXIT
  info "built $tarball ($(( $(stat -c %s "$tarball") / 1048576 )) MiB) in $(( $(date +%s) - t0 )) s"
}
step "Debian 12 root for the debootstrap test (cache: $DEBOOTSTRAP_CACHE)"
debootstrap_root

# ---------------------------------------------------------------- maven
step "mvn -B verify -Dvgapass.it=true $*"
mvn -B verify -Dvgapass.it=true \
  -Dvgapass.test.kernel="$kernel" -Dvgapass.test.initrd="$initrd" \
  -Dvgapass.test.debootstrap="$DEBOOTSTRAP_TARBALL" "$@"

# ---------------------------------------------------------------- the VFIO lab
# Real PCI passthrough in a nested TCG machine (README: "Testing: the VFIO lab"), 3-4 minutes.
if [[ ${VGAPASS_LAB:-1} != 0 ]]; then
  step "VFIO lab: ./lab/run"
  ./lab/run || die "the VFIO lab failed (its output above; logs under target/lab/)"
else
  step "VFIO lab skipped (VGAPASS_LAB=0)"
fi
step "All tests passed ($(( $(date +%s) - T0 )) s)"
