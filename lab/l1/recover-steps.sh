# The VFIO lab's gpu recover steps (issue 17), sourced by steps.sh in the main L1 after the card is back on its
# host drivers. recover.bound: the card bound to vfio-pci is unbound, reset by the kernel's methods, removed and
# rescanned behind its root port, and comes back on aty128fb and snd_hda_intel. recover.held: while a process holds
# the HDA function's ALSA control node, recover is refused naming it, and nothing moves.

begin recover.bound
vg gpu release $GPU
expect "gpu release put both functions on vfio-pci first" drivers_are vfio-pci vfio-pci
log "  reset_method of $GPU: $(cat /sys/bus/pci/devices/$GPU/reset_method 2>/dev/null || echo none)"
vg gpu recover $GPU --json; rc=$RC
cp "$OUT/last.out" "$OUT/gpu-recover.json"
R=$OUT/gpu-recover.json
expect "gpu recover exits 0 (got $rc)" test $rc -eq 0
expect "it reports recovered" jqe '.recovered == true' "$R"
expect "its steps: unbind, reset, remove, rescan, rebind, check" \
  jqe '[.steps[].step] | unique == ["check", "rebind", "remove", "rescan", "reset", "unbind"]' "$R"
expect "the rescan went through the card's root port 0000:00:03.0" \
  jqe '.steps[] | select(.step == "rescan" and .ok) | select(.detail | contains("0000:00:03.0/rescan"))' "$R"
expect "both back on $GPU_DRV and $AUDIO_DRV" wait_for 10 drivers_are $GPU_DRV $AUDIO_DRV
expect "no driver_override left" bash -c \
  "grep -qx '(null)' /sys/bus/pci/devices/$GPU/driver_override && grep -qx '(null)' /sys/bus/pci/devices/$AUDIO/driver_override"
expect "the HDA function has an ALSA card again (codecs probe asynchronously)" wait_for 15 bash -c \
  "ls /sys/bus/pci/devices/$AUDIO/sound 2>/dev/null | grep -q '^card'"
show_drivers
log "  steps: $(jq -c '[.steps[] | {step, ok, detail}]' "$R" 2>/dev/null)"
end "from vfio-pci: $(jq -r '[.steps[] | select(.step == "reset") | .detail] | .[0]' "$R" 2>/dev/null | cut -c1-70); $(jq -r .verdict "$R" 2>/dev/null)"

begin recover.held
wait_for 15 bash -c "ls /sys/bus/pci/devices/$AUDIO/sound 2>/dev/null | grep -q '^card'"
snd=$(ls /sys/bus/pci/devices/$AUDIO/sound/ 2>/dev/null | grep -m1 '^card')
ctl=/dev/snd/controlC${snd#card}
log "the HDA function is ALSA $snd; holding $ctl open"
bash -c "exec 3<$ctl; exec sleep 600" &
holder=$!
wait_for 5 test -e /proc/$holder/fd/3
vg gpu recover $GPU
expect "gpu recover refuses while pid $holder holds $ctl (exit $RC)" test $RC -eq 2
expect "the refusal names pid $holder (sleep) and $ctl" bash -c "grep -q 'pid $holder (sleep) holds $ctl' $OUT/last.err"
expect "in one line" test "$(grep -c . "$OUT/last.err")" -eq 1
expect "nothing moved: both still on $GPU_DRV and $AUDIO_DRV" drivers_are $GPU_DRV $AUDIO_DRV
kill $holder; wait $holder 2>/dev/null
end "refused: $(head -c 120 "$OUT/last.err")"
