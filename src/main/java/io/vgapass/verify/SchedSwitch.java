package io.vgapass.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code sched:sched_switch} event as tracefs prints it in its {@code trace} file: on {@code cpu}, the task
 * {@code nextComm} (pid {@code nextPid}) was switched in. pid 0 is the idle task.
 */
public record SchedSwitch(int cpu, String nextComm, long nextPid) {
  // "<idle>-0  [001] d..2.  1234.567890: sched_switch: prev_comm=... ==> next_comm=kworker/1:0 next_pid=42 next_prio=120"
  // comm may hold spaces ("CPU 0/TCG"), so next_comm runs up to " next_pid="
  private static final Pattern LINE =
      Pattern.compile("\\[(\\d{1,5})\\].*?sched_switch: .*==> next_comm=(.*) next_pid=(\\d{1,10}) next_prio=");

  /** Every sched_switch event in a trace file's text; comment lines and other events are skipped. */
  public static List<SchedSwitch> parse(String trace) {
    List<SchedSwitch> out = new ArrayList<>();
    for (String line : trace.split("\n")) {
      if (line.startsWith("#") || !line.contains("sched_switch:")) continue;
      Matcher m = LINE.matcher(line);
      if (m.find()) out.add(new SchedSwitch(Integer.parseInt(m.group(1)), m.group(2), Long.parseLong(m.group(3))));
    }
    return out;
  }

  public boolean toIdle() {
    return nextPid == 0;
  }
}
