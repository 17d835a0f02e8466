# prepare/begin without Java: what runtime.Lifecycle.prepare does (the RT trap check, huge pages,
# the CPU shield, the performance governor), recording each change in the state file before
# making it, for the common shape of vgapass's metadata. Anything else (a GPU hand-over by the
# hook, passed devices whose identity Java must check against the host, a state file left by a
# VM that died, an odd metadata shape) returns 2 before any change,
# and Java does it all. Returns 0 when done, 1 when the start must fail (the reason on stderr,
# everything undone), 2 for Java.
#   vgapass_prepare DOMAIN METADATA   (METADATA: the <vgapass:vm> element's text)
vgapass_prepare() {
  dom=$1 meta=$2 r=${VGAPASS_ROOT:-}
  st="$r/run/vgapass/$dom.state"
  case "$dom" in ''|*/*)
    vgapass_fail "the domain name '$dom' cannot name a state file in /run/vgapass (empty, or it has a '/'); rename\
 the domain"
    vgapass_log "$dom" "prepare/begin FAILED: $failed"
    return 1 ;;
  esac
  case "$meta" in *'&'*|*'<!--'*|*"${vgapass_attr_gpu_handover#*:}="*|*'<![CDATA['*|*'<?'*) return 2 ;; esac
  { [ -e "$st" ] || [ -L "$st" ]; } && return 2
  vgapass_scan || return 2
  [ -n "$devices" ] && return 2 # passed devices with a recorded identity: Java checks them (the drift guard)
  case "$shieldmode" in ''|cgroup) ;; *) return 2 ;; esac # deep and off: rarer opt-ins, done by Java
  # the numbers in the order VgapassMetadata reads them, refused as it refuses them (the same
  # message): digits only, no sign, no leading zero, no more than the largest it accepts
  for n in "$vcpus" "$prio" "$hkib" "$pages" "$node"; do [ "$n" = - ] && return 2; done
  case ",$vcpus," in *,,*) [ -n "$vcpus" ] && { vgapass_refuse "$vgapass_attr_cpu_vcpus" "$vcpus" 999999999; return 1; } ;; esac
  oldifs=$IFS; IFS=,; set -f; set -- $vcpus; IFS=$oldifs; set +f
  for cpu; do vgapass_number "$vgapass_attr_cpu_vcpus" "$vcpus" "$cpu" 999999999 || return 1; done
  vgapass_cpulist "$emu" && vgapass_cpulist "$iot" || return 2 # odd CPU lists: Java reads them
  vgapass_number "$vgapass_attr_cpu_iothread_priority" "$prio" "$prio" 99 || return 1
  [ "$kib" = - ] || vgapass_number "$vgapass_attr_memory_kib" "$kib" "$kib" 999999999999999999 || return 1
  vgapass_number "$vgapass_attr_memory_hugepage_kib" "$hkib" "$hkib" 999999999 || return 1; hkib=$num
  vgapass_number "$vgapass_attr_memory_hugepages" "$pages" "$pages" 999999999 || return 1; pages=$num
  [ -z "$node" ] || vgapass_number "$vgapass_attr_memory_node" "$node" "$node" 999999999 || return 1
  prio=${prio:-0}
  [ -n "$vcpus" ] || return 2

  # the cgroup v1 RT trap: refuse before anything changes
  if [ "$prio" -gt 0 ] && { [ -e "$r/sys/fs/cgroup/cpu,cpuacct/cpu.rt_runtime_us" ] ||
      [ -e "$r/sys/fs/cgroup/cpu/cpu.rt_runtime_us" ]; }; then
    controlled=1
    if [ -e "$r/etc/libvirt/qemu.conf" ]; then
      while IFS= read -r line || [ -n "$line" ]; do
        line=${line#"${line%%[![:space:]]*}"}
        case "$line" in cgroup_controllers*'['*)
          case "$line" in *'"cpu"'*) controlled=1 ;; *) controlled=0 ;; esac ;;
        esac
      done < "$r/etc/libvirt/qemu.conf"
    fi
    if [ "$controlled" = 1 ]; then
      vgapass_fail "$dom: its FIFO I/O thread cannot start here: cgroup v1 RT group scheduling gives libvirt's cpu\
 cgroups no RT budget; remove \"cpu\" from cgroup_controllers in /etc/libvirt/qemu.conf and restart libvirtd\
 (sudo vgapass selftest --fix does it)"
      vgapass_log "$dom" "prepare/begin FAILED: $failed"
      return 1
    fi
  fi

  log=
  if [ "$hkib" -gt 0 ] && [ "$pages" -gt 0 ]; then
    vgapass_grant || { vgapass_undo_prepare; return 1; }
  fi
  vgapass_shield || { vgapass_undo_prepare; return 1; }
  log="$log; shield: $shield"
  changed=0
  oldifs=$IFS; IFS=,; set -f; set -- $vcpus; IFS=$oldifs; set +f
  for cpu; do
    g="sys/devices/system/cpu/cpu$cpu/cpufreq/scaling_governor"
    now=; { read -r now < "$r/$g"; } 2>/dev/null || [ -n "$now" ] || continue
    [ "$now" = performance ] && continue
    vgapass_record "$vgapass_kind_governor" "$g" "$now" 0 && vgapass_write "$g" performance || { vgapass_undo_prepare; return 1; }
    changed=$((changed + 1))
  done
  if [ "$changed" = 1 ]; then log="$log; governor: performance on 1 CPU"
  else log="$log; governor: performance on $changed CPUs"; fi
  vgapass_log "$dom" "prepare/begin: ${log#; }"
  return 0
}

# Our <vm> element as runtime.MetadataScanner's simple shape, read with the shell's own string
# operations: empty child elements of our prefix, each attribute name='value' or name="value",
# nothing between them but white space. Sets vcpus emu iot prio kib hkib pages node ("-": absent)
# and shieldmode (empty: absent); devices=1 when a hostdev record carries an identity.
# Anything else (an element or attribute twice, a '<' or a quote out of place, text) fails, and
# Java reads the XML. The XML is the domain's: anyone who may define domains wrote it. The namespace and the
# element:attribute names come from the generated header (domain.MetadataAttribute).
vgapass_scan() {
  vcpus=- emu= iot= prio=- kib=- hkib=- pages=- node=- shieldmode= devices= seen=' '
  ns=$vgapass_ns
  pre=${meta%%"$ns"*} rest=${meta#*"$ns"}
  q=${pre#"${pre%?}"} # the quote before the namespace: the same one must close it
  case "$q" in \'|\") ;; *) return 1 ;; esac
  case "$rest" in "$q"*'>'*) ;; *) return 1 ;; esac
  p=${pre%"$q"}; case "$p" in *'xmlns:'*=) ;; *) return 1 ;; esac
  p=${p##*xmlns:}; p=${p%=}
  case "$p" in ''|*[!A-Za-z0-9_.-]*) return 1 ;; esac
  case "$pre" in *"<$p:vm "*) ;; *) return 1 ;; esac
  case "$rest" in *"xmlns:$p"*) return 1 ;; esac # the prefix bound again
  tag=${rest%%>*}; case "$tag" in */) return 1 ;; esac
  rest=${rest#*>}
  while :; do
    rest=${rest#"${rest%%[![:space:]]*}"}
    case "$rest" in
      "</$p:vm>"*) return 0 ;;
      "<$p:"*'>'*) rest=${rest#"<$p:"} ;;
      *) return 1 ;;
    esac
    el=${rest%%>*} rest=${rest#*>}
    case "$el" in */) el=${el%/} ;; *) return 1 ;; esac
    name=${el%%[[:space:]]*} a=${el#"$name"}
    case "$name" in ''|*[!A-Za-z0-9_.-]*) return 1 ;; esac
    while :; do
      a=${a#"${a%%[![:space:]]*}"}
      [ -z "$a" ] && break
      n=${a%%=*}
      case "$n" in ''|*[!A-Za-z0-9_:.-]*) return 1 ;; esac
      a=${a#*=}
      case "$a" in
        \'*\'*) a=${a#?}; val=${a%%\'*}; a=${a#*\'} ;;
        \"*\"*) a=${a#?}; val=${a%%\"*}; a=${a#*\"} ;;
        *) return 1 ;;
      esac
      case "$a" in ''|[[:space:]]*) ;; *) return 1 ;; esac
      case "$val" in *'<'*) return 1 ;; esac
      case "$seen" in *" $name:$n "*) return 1 ;; esac
      seen="$seen$name:$n "
      case "$name:$n" in
        "$vgapass_attr_cpu_vcpus") vcpus=$val ;;
        "$vgapass_attr_cpu_emulator") emu=$val ;;
        "$vgapass_attr_cpu_iothread") iot=$val ;;
        "$vgapass_attr_cpu_iothread_priority") prio=$val ;;
        "$vgapass_attr_cpu_shield") shieldmode=$val ;;
        "$vgapass_attr_memory_kib") kib=$val ;;
        "$vgapass_attr_memory_hugepage_kib") hkib=$val ;;
        "$vgapass_attr_memory_hugepages") pages=$val ;;
        "$vgapass_attr_memory_node") node=$val ;;
        "$vgapass_attr_hostdev_ids") devices=1 ;;
      esac
    done
  done
}

# num = $3 (0 when empty) when it is a number as vgapass writes it, no larger than $4 (all nines);
# else the start fails with VgapassMetadata's message: element:attribute whole-value part max
vgapass_number() {
  num=${3:-0}
  case "$3" in
    ''|0) return 0 ;;
    [1-9]*) case "$3" in *[!0-9]*) ;; *) [ "${#3}" -le "${#4}" ] && return 0 ;; esac ;;
  esac
  vgapass_refuse "$1" "$2" "$4"
}

vgapass_refuse() { # element:attribute value max
  vgapass_fail "the vgapass metadata's <${1%%:*} ${1#*:}='$2'> is not what vgapass writes there (whole numbers from 0 to $3);\
 run vgapass vm tune on the domain again to rewrite it"
  vgapass_log "$dom" "prepare/begin FAILED: $failed"
  return 1
}

vgapass_cpulist() { # true for a CPU list as vgapass writes it (0-3,8)
  oldifs=$IFS; IFS=,; set -f; set -- $1; IFS=$oldifs; set +f
  for part; do
    a=${part%%-*} b=${part#*-}
    for n in "$a" "$b"; do
      case "$n" in 0) ;; [1-9]*) case "$n" in *[!0-9]*) return 1 ;; esac; [ "${#n}" -le 9 ] || return 1 ;; *) return 1 ;; esac
    done
    [ "$a" -le "$b" ] && [ $((b - a)) -le 65536 ] || return 1
  done
}

vgapass_fail() { # message: to libvirt (stderr) and kept for the log
  failed=$1
  echo "vgapass: $1" >&2
}

vgapass_undo_prepare() { # a step failed: undo what the state file records, log why
  { [ -e "$st" ] || [ -L "$st" ]; } && vgapass_release "$st" quiet
  vgapass_log "$dom" "prepare/begin FAILED: $failed"
}

# kind path previous added: appended before the change it describes; when it cannot be written
# (no room, not a directory, a name too long) the change is not made and the start fails
vgapass_record() {
  { [ -d "$r/run/vgapass" ] || mkdir -p "$r/run/vgapass"; } 2>/dev/null &&
    { printf 'v1\t%s\t%s\t%s\t%s\tend\n' "$1" "$2" "$3" "$4" >> "$st"; } 2>/dev/null && return 0
  vgapass_fail "cannot write the state file $st (nothing was changed for this step)"
  return 1
}

vgapass_write() { # file value: a kernel file written as SysFiles.write does (it must exist; no create)
  [ -e "$r/$1" ] && { echo "$2" > "$r/$1"; } 2>/dev/null && return 0
  vgapass_fail "cannot write '$2' to /$1"
  return 1
}

# huge pages: grow the pool by what is missing; on a shortfall sync, drop caches, compact, ask again
vgapass_grant() {
  if [ -n "$node" ]; then pool="sys/devices/system/node/node$node/hugepages/hugepages-${hkib}kB/"
  else pool="sys/kernel/mm/hugepages/hugepages-${hkib}kB/"; fi
  if [ ! -f "$r/${pool}nr_hugepages" ]; then # as SysFiles.read: a directory there is no pool
    on=; [ -n "$node" ] && on=" on NUMA node $node"
    vgapass_fail "$dom: this kernel has no $((hkib / 1024)) MiB huge pages$on (/$pool missing); plan with\
 --hugepages 2M or off"
    return 1
  fi
  # never more than the host's memory: the kernel would take all it can find for the pool
  total=; { read -r k total u < "$r/proc/meminfo"; } 2>/dev/null
  case "$k $total" in 'MemTotal: '[1-9]*) case "$total" in *[!0-9]*) total= ;; esac ;; *) total= ;; esac
  if [ -n "$total" ] && [ "${#total}" -le 18 ] && [ $((pages * hkib)) -gt "$total" ]; then
    vgapass_fail "$dom: the vgapass metadata asks for $pages huge pages of $((hkib / 1024)) MiB, more than this\
 host's $((total / 1024)) MiB of memory; run vgapass vm tune on the domain again to plan for this host"
    return 1
  fi
  vgapass_num "${pool}nr_hugepages"; nr=$num
  vgapass_num "${pool}free_hugepages"; free=$num
  added=0
  if [ "$free" -lt "$pages" ]; then
    target=$((nr + pages - free))
    vgapass_record "$vgapass_kind_hugepages" "${pool}nr_hugepages" "$nr" $((target - nr)) || return 1
    vgapass_write "${pool}nr_hugepages" "$target" || return 1
    vgapass_num "${pool}nr_hugepages"
    if [ "$num" -lt "$target" ]; then
      sync
      { echo 3 > "$r/proc/sys/vm/drop_caches"; } 2>/dev/null
      { echo 1 > "$r/proc/sys/vm/compact_memory"; } 2>/dev/null
      vgapass_write "${pool}nr_hugepages" "$target" || return 1
    fi
    vgapass_num "${pool}nr_hugepages"; got=$num
    if [ "$got" -lt "$target" ]; then
      vgapass_write "${pool}nr_hugepages" "$nr" || return 1
      vgapass_record "$vgapass_kind_hugepages_granted" "${pool}nr_hugepages" "$nr" 0 || return 1
      vgapass_fail "$dom: only $((got - nr + free)) of $pages huge pages of $((hkib / 1024)) MiB could be reserved,\
 even after dropping caches and compacting memory; close programs, give the VM less memory, or reserve them\
 at boot (vgapass host apply --boot-hugepages)"
      return 1
    fi
    vgapass_record "$vgapass_kind_hugepages_granted" "${pool}nr_hugepages" "$nr" $((target - nr)) || return 1
    added=$((target - nr))
  fi
  log="$log; hugepages: $pages x $((hkib / 1024)) MiB ready ($added added)"
}

# the host's CPUs (online minus the vCPUs') as a cpulist; then the shield on them
vgapass_shield() {
  online=; { read -r online < "$r/sys/devices/system/cpu/online"; } 2>/dev/null
  list=
  oldifs=$IFS; IFS=,; set -f; set -- $online; IFS=$oldifs; set +f
  for part; do
    a=${part%-*} b=${part#*-}
    case "$a$b" in ''|*[!0-9]*) continue ;; esac
    while [ "$a" -le "$b" ]; do
      case ",$vcpus," in *",$a,"*) ;; *) list="$list $a" ;; esac
      a=$((a + 1))
    done
  done
  cpus= start= prev=
  for c in $list end; do
    if [ "$c" != end ] && [ -n "$prev" ] && [ "$c" -eq $((prev + 1)) ]; then prev=$c; continue; fi
    if [ -n "$start" ]; then
      cpus="$cpus,$start"; [ "$prev" != "$start" ] && cpus="$cpus-$prev"
    fi
    start=$c prev=$c
  done
  cpus=${cpus#,}
  if [ -z "$cpus" ]; then shield="not shielded: the VM's vCPUs cover every CPU"; return 0; fi
  if [ -e "$r/run/systemd/system" ]; then
    for unit in system.slice user.slice init.scope; do
      vgapass_record "$vgapass_kind_systemd_allowed_cpus" "$unit" "" 0 || return 1
      if ! systemctl set-property --runtime "$unit" "AllowedCPUs=$cpus" >/dev/null 2>&1; then
        vgapass_fail "systemctl set-property $unit AllowedCPUs=$cpus failed"
        return 1
      fi
    done
    shield="host work on CPUs $cpus (systemd AllowedCPUs)"; return 0
  fi
  if [ -e "$r/sys/fs/cgroup/cpuset/cpuset.cpus" ] && [ -e "$r/sys/fs/cgroup/cpuset/cgroup.procs" ]; then
    vgapass_cgroup sys/fs/cgroup/cpuset "cgroup v1 cpuset"; return
  fi
  base=sys/fs/cgroup
  controllers=; { read -r controllers < "$r/$base/cgroup.controllers"; } 2>/dev/null
  case " $controllers " in
    *" cpuset "*)
      subtree=; { read -r subtree < "$r/$base/cgroup.subtree_control"; } 2>/dev/null
      case " $subtree " in
        *" cpuset "*) ;;
        *) vgapass_record "$vgapass_kind_cgroup2_subtree" "$base/cgroup.subtree_control" -cpuset 0 &&
             vgapass_write "$base/cgroup.subtree_control" +cpuset || return 1 ;;
      esac
      vgapass_cgroup "$base" "cgroup v2 cpuset"; return ;;
  esac
  shield="not shielded: no systemd and no cpuset cgroup controller on this host"
}

vgapass_cgroup() { # base how: a cpuset cgroup on the host's CPUs holding the host's processes
  dir="$1/vgapass-shield"
  vgapass_record "$vgapass_kind_shield_cgroup" "$dir" "$1/cgroup.procs" 0 || return 1
  if [ ! -d "$r/$dir" ] && ! mkdir "$r/$dir" 2>/dev/null; then
    vgapass_fail "cannot create the cgroup /$dir"; return 1
  fi
  mems=; { read -r mems < "$r/$1/cpuset.effective_mems"; } 2>/dev/null
  [ -n "$mems" ] || { { read -r mems < "$r/$1/cpuset.mems"; } 2>/dev/null; }
  [ -n "$mems" ] || mems=0
  vgapass_write "$dir/cpuset.mems" "$mems" && vgapass_write "$dir/cpuset.cpus" "$cpus" || return 1
  moved=0
  while IFS= read -r pid || [ -n "$pid" ]; do
    [ -n "$pid" ] || continue
    cmd=; { read -r cmd < "$r/proc/$pid/cmdline"; } 2>/dev/null
    comm=; { read -r comm < "$r/proc/$pid/comm"; } 2>/dev/null
    [ -n "$cmd" ] || continue # per-CPU kernel threads cannot move
    for keep in $vgapass_unshielded; do [ "$comm" = "$keep" ] && continue 2; done # plan.ShieldPolicy
    { echo "$pid" > "$r/$dir/cgroup.procs"; } 2>/dev/null && moved=$((moved + 1))
  done < "$r/$1/cgroup.procs"
  shield="host work on CPUs $cpus ($2, $moved processes)"
}
