# release/end without Java: undoes the state file the way runtime.Lifecycle.release does, newest
# entry first, rewriting the file after each so an interrupted release resumes where it stopped.
# It knows the simple kinds only; a file with anything else (a GPU hand-over, a newer format)
# goes to Java untouched. Returns 0 when done (entries that must wait stay in the file), 1 for Java.
vgapass_release() {
  st=$1 r=${VGAPASS_ROOT:-} tab='	' nl='
'
  all= line=
  while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in
      '') continue ;;
      v1"$tab"*"$tab"end) ;;
      *) continue ;; # a torn line (crash mid-write): the change after it was never made
    esac
    f=${line#v1"$tab"}; kind=${f%%"$tab"*}; f=${f#*"$tab"}; f=${f#*"$tab"}; f=${f#*"$tab"}; added=${f%%"$tab"*}
    case "$kind" in
      hugepages|hugepages-granted|governor|cgroup2-subtree|shield-cgroup|systemd-allowed-cpus) ;;
      *) return 1 ;;
    esac
    case "$added" in ''|*[!0-9]*) return 1 ;; esac
    case "$kind" in hugepages*) f=${line#v1"$tab"*"$tab"*"$tab"}; case "${f%%"$tab"*}" in ''|*[!0-9]*) return 1 ;; esac ;; esac
    all="$all$line$nl"
  done < "$st"
  keep= settled=' ' log=
  while [ -n "$all" ]; do
    rest=${all%"$nl"}; line=${rest##*"$nl"}; all=${rest%"$line"}
    f=${line#v1"$tab"}; kind=${f%%"$tab"*}; f=${f#*"$tab"}; path=${f%%"$tab"*}; f=${f#*"$tab"}
    prev=${f%%"$tab"*}; f=${f#*"$tab"}; added=${f%%"$tab"*}
    ok=1
    case "$kind" in
      hugepages-granted|hugepages)
        vgapass_num "$path"; nr=$num
        if [ "$kind" = hugepages-granted ]; then
          settled="$settled$path "
          n=$((nr - added)); [ "$n" -lt 0 ] && n=0
          [ "$added" -gt 0 ] && { echo "$n" > "$r/$path"; } 2>/dev/null
        else
          case "$settled" in
            *" $path "*) ;; # the grant finished: its own entry gave the pages back
            *) n=$((nr - added)); [ "$n" -lt "${prev:-0}" ] && n=$prev; { echo "$n" > "$r/$path"; } 2>/dev/null ;;
          esac
        fi ;;
      governor|cgroup2-subtree) { echo "$prev" > "$r/$path"; } 2>/dev/null ;;
      systemd-allowed-cpus) systemctl set-property --runtime "$path" AllowedCPUs= >/dev/null 2>&1 || ok=0 ;;
      shield-cgroup)
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
    if [ "$ok" = 1 ]; then log="$log; undone $kind $path"; else keep="$line$nl$keep"; log="$log; could not undo (kept for the next release) $kind $path"; fi
    if [ -n "$all$keep" ]; then
      printf '%s' "$all$keep" > "$st.tmp" && mv -f "$st.tmp" "$st" || return 0
    else
      rm -f "$st"
    fi
  done
  [ "${2:-}" = quiet ] && return 0 # a failed prepare undoing itself logs its own line
  name=${st##*/}
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

vgapass_num() { # file -> num (0 when unreadable)
  num=; { read -r num < "$r/$1"; } 2>/dev/null
  case "$num" in ''|*[!0-9]*) num=0 ;; esac
}
