# release/end without Java: undoes the state file the way runtime.Lifecycle.release does, newest
# entry first, rewriting the file after each so an interrupted release resumes where it stopped.
# The kinds' words come from the generated header (runtime.StateKind). It knows the simple kinds
# only; a file with anything else (a GPU hand-over, a newer format) goes to Java untouched.
# Whatever the file says, it touches only the places vgapass_owned allows (an entry naming
# anything else is dropped, and the log says so). Returns 0 when done (entries
# that must wait stay in the file), 1 for Java.
vgapass_release() {
  st=$1 r=${VGAPASS_ROOT:-} tab='	' nl='
'
  name=${st##*/}
  if [ -L "$st" ] || [ ! -f "$st" ]; then # not written by vgapass: read nothing through it (see StateStore)
    [ -d "$st" ] || rm -f "$st"
    vgapass_log "${name%.state}" "release/end: refused the state file /run/vgapass/$name (not a plain file; removed)"
    return 0
  fi
  all= line=
  while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in
      *"$tab"*"$tab"*"$tab"*"$tab"*"$tab"*"$tab"*) continue ;; # not six fields: as torn
      v1"$tab"*"$tab"*"$tab"*"$tab"*"$tab"end) ;;
      *) continue ;; # a torn line (crash mid-write): the change after it was never made
    esac
    f=${line#v1"$tab"}; kind=${f%%"$tab"*}
    case "$kind" in
      "$vgapass_kind_hugepages"|"$vgapass_kind_hugepages_granted"|"$vgapass_kind_governor"|\
      "$vgapass_kind_cgroup2_subtree"|"$vgapass_kind_shield_cgroup"|"$vgapass_kind_systemd_allowed_cpus") ;;
      *) return 1 ;;
    esac
    all="$all$line$nl"
  done < "$st"
  keep= settled=' ' log=
  while [ -n "$all" ]; do
    rest=${all%"$nl"}; line=${rest##*"$nl"}; all=${rest%"$line"}
    f=${line#v1"$tab"}; kind=${f%%"$tab"*}; f=${f#*"$tab"}; path=${f%%"$tab"*}; f=${f#*"$tab"}
    prev=${f%%"$tab"*}; f=${f#*"$tab"}; added=${f%%"$tab"*}
    ok=1
    if ! vgapass_owned; then
      log="$log; refused (not a place vgapass owns) $kind $path"
      kind=refused
    fi
    case "$kind" in
      "$vgapass_kind_hugepages_granted"|"$vgapass_kind_hugepages")
        vgapass_num "$path"; nr=$num
        if [ "$kind" = "$vgapass_kind_hugepages_granted" ]; then
          settled="$settled$path "
          n=$((nr - added)); [ "$n" -lt 0 ] && n=0
          [ "$added" -gt 0 ] && [ -e "$r/$path" ] && { echo "$n" > "$r/$path"; } 2>/dev/null
        else
          case "$settled" in
            *" $path "*) ;; # the grant finished: its own entry gave the pages back
            *) n=$((nr - added)); [ "$n" -lt "$prev" ] && n=$prev
               [ -e "$r/$path" ] && { echo "$n" > "$r/$path"; } 2>/dev/null ;;
          esac
        fi ;;
      "$vgapass_kind_governor"|"$vgapass_kind_cgroup2_subtree") [ -e "$r/$path" ] && { echo "$prev" > "$r/$path"; } 2>/dev/null ;;
      "$vgapass_kind_systemd_allowed_cpus") systemctl set-property --runtime "$path" AllowedCPUs= >/dev/null 2>&1 || ok=0 ;;
      "$vgapass_kind_shield_cgroup")
        # processes may fork inside the shield while we empty it: move, try rmdir, repeat
        procs=${prev##*/} tries=0 ok=0
        while [ "$tries" -lt 50 ]; do
          if [ -e "$r/$path/$procs" ]; then
            while IFS= read -r pid || [ -n "$pid" ]; do { echo "$pid" > "$r/$prev"; } 2>/dev/null; done < "$r/$path/$procs"
          fi
          if [ ! -e "$r/$path" ] || rmdir "$r/$path" 2>/dev/null; then ok=1; break; fi
          tries=$((tries + 1)); sleep 0.02
        done ;;
    esac
    if [ "$kind" = refused ]; then :
    elif [ "$ok" = 1 ]; then log="$log; undone $kind $path"; else keep="$line$nl$keep"; log="$log; could not undo (kept for the next release) $kind $path"; fi
    if [ -n "$all$keep" ]; then
      # a file left at the temporary name (a link to anything) is removed, not written through
      { [ -e "$st.tmp" ] || [ -L "$st.tmp" ]; } && rm -f "$st.tmp"
      printf '%s' "$all$keep" > "$st.tmp" && mv -f "$st.tmp" "$st" || return 0
    else
      rm -f "$st"
    fi
  done
  [ "${2:-}" = quiet ] && return 0 # a failed prepare undoing itself logs its own line
  vgapass_log "${name%.state}" "release/end: ${log#; }"
  return 0
}

# Shared with prepare.sh (rendered after this file): the hook log's line, as Java's HookMain writes it
# (timestamp, domain, what was done), and a number read from a kernel file.
vgapass_log() {
  { [ -d "$r/var/log/vgapass" ] || mkdir -p "$r/var/log/vgapass"; } 2>/dev/null &&
    printf '%s %s %s (by the dispatcher, no JVM)\n' "$(date -u +%Y-%m-%dT%H:%M:%S.%NZ)" "$1" "$2" \
      >> "$r/var/log/vgapass/hooks.log" 2>/dev/null
}

vgapass_num() { # file -> num (0 when unreadable or not a number of at most 18 digits, as SysFiles.readLong)
  num=; { read -r num < "$r/$1"; } 2>/dev/null
  while :; do case "$num" in 0?*) num=${num#0} ;; *) break ;; esac; done # decimal, never octal
  case "$num" in ''|*[!0-9]*) num=0 ;; esac
  [ "${#num}" -le 18 ] || num=0
}

vgapass_canon() { # true for a number as vgapass writes it: 0, or no leading zero, at most 18 digits
  case "$1" in 0) return 0 ;; [1-9]*) case "$1" in *[!0-9]*) return 1 ;; esac; [ "${#1}" -le 18 ] ;; *) return 1 ;; esac
}

# The places release may touch, whatever the state file says (runtime.OwnedPlaces is the same
# rule): a huge page pool's nr_hugepages, a CPU's scaling_governor, the cgroup v2 root's
# subtree_control, a vgapass-shield cgroup, systemd's three units. Each file must lie under
# $r/sys once its directory's symlinks are resolved, and not be a symlink itself (on sysfs,
# cpuN/cpufreq is a symlink to ../cpufreq/policyN, so directories may be). True when the entry
# in kind path prev added is such a place with numbers where numbers belong.
vgapass_owned() {
  vgapass_canon "$added" || return 1
  case "$kind" in
    "$vgapass_kind_hugepages"|"$vgapass_kind_hugepages_granted")
      vgapass_canon "$prev" || return 1
      case "$path" in
        sys/kernel/mm/hugepages/*) t=${path#sys/kernel/mm/hugepages/} ;;
        sys/devices/system/node/node*)
          t=${path#sys/devices/system/node/node}; n=${t%%/*}; t=${t#"$n"}
          vgapass_canon "$n" || return 1
          case "$t" in /hugepages/*) t=${t#/hugepages/} ;; *) return 1 ;; esac ;;
        *) return 1 ;;
      esac
      n=${t#hugepages-}; n=${n%kB/nr_hugepages}
      [ "$t" = "hugepages-${n}kB/nr_hugepages" ] && vgapass_canon "$n" || return 1 ;;
    "$vgapass_kind_governor")
      t=${path#sys/devices/system/cpu/cpu}; n=${t%%/*}
      [ "$path" = "sys/devices/system/cpu/cpu$n/cpufreq/scaling_governor" ] && vgapass_canon "$n" || return 1
      case "$prev" in ''|*[!a-z0-9_-]*) return 1 ;; esac ;;
    "$vgapass_kind_cgroup2_subtree")
      [ "$path" = sys/fs/cgroup/cgroup.subtree_control ] && [ "$prev" = -cpuset ] || return 1 ;;
    "$vgapass_kind_shield_cgroup")
      case "$path:$prev" in
        sys/fs/cgroup/cpuset/vgapass-shield:sys/fs/cgroup/cpuset/cgroup.procs) ;;
        sys/fs/cgroup/vgapass-shield:sys/fs/cgroup/cgroup.procs) ;;
        *) return 1 ;;
      esac ;;
    "$vgapass_kind_systemd_allowed_cpus")
      case "$path" in system.slice|user.slice|init.scope) return 0 ;; *) return 1 ;; esac ;;
    *) return 1 ;;
  esac
  [ -L "$r/$path" ] && return 1
  [ -d "$r/${path%/*}" ] || return 0 # nothing there to touch
  here=$PWD
  { cd -P "$r/sys" && sys=$PWD && cd -P "$r/${path%/*}" && real=$PWD; } 2>/dev/null || { cd "$here"; return 1; }
  cd "$here" || return 1
  case "$real/" in "$sys/"*) return 0 ;; *) return 1 ;; esac
}
