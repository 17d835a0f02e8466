package io.vgapass.verify;

import io.vgapass.apply.CommandRunner;
import io.vgapass.apply.ProcessRunner;
import io.vgapass.host.CpuList;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * Records {@code sched:sched_switch} on some CPUs through a tracefs instance of its own, and leaves tracing as it
 * found it: the instance ({@code instances/vgapass-PID-N}) has its own buffer, event switches and CPU mask, so the
 * global tracer, its events and anyone else's instances are never touched; closing removes the instance, and
 * unmounts tracefs when this session mounted it.
 */
public final class TraceSession implements AutoCloseable {
  /** Per-CPU buffer: 20 s of a CPU switching every millisecond is about 1.5 MiB of events. */
  static final int BUFFER_KB = 4096;
  /** The most of the trace file read: far above what {@link #BUFFER_KB} per CPU can hold as text. */
  static final long MAX_TRACE_BYTES = 256L << 20;

  private final Path tracing;
  private final boolean mountedHere;
  private final Path instance;
  private final List<Integer> cpus;
  private long windowStart;
  private long windowEnd;

  private TraceSession(Path tracing, boolean mountedHere, Path instance, List<Integer> cpus) {
    this.tracing = tracing;
    this.mountedHere = mountedHere;
    this.instance = instance;
    this.cpus = cpus;
  }

  /** Opens a session on {@code tracing} (normally /sys/kernel/tracing), mounting tracefs there if it is not. */
  public static TraceSession open(Path tracing, Collection<Integer> cpus) throws IOException {
    boolean mounted = false;
    if (!Files.isDirectory(tracing.resolve("instances"))) {
      if (!Files.isDirectory(tracing)) throw new IOException(tracing + " does not exist: the kernel has no tracefs");
      mount(tracing);
      mounted = true;
    }
    Path instance = tracing.resolve("instances").resolve("vgapass-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
    try {
      Files.createDirectory(instance);
    } catch (IOException e) {
      if (mounted) unmount(tracing);
      throw new IOException("cannot create the tracefs instance " + instance + ": " + e.getMessage(), e);
    }
    TraceSession s = new TraceSession(tracing, mounted, instance, List.copyOf(cpus));
    try {
      s.write("tracing_on", "0");
      // CLOCK_MONOTONIC, which System.nanoTime() reads too: the window can be named in the trace's own time
      s.write("trace_clock", "mono");
      s.write("buffer_size_kb", Integer.toString(BUFFER_KB));
      s.write("tracing_cpumask", CpuList.formatMask(s.cpus));
      s.write("events/sched/sched_switch/enable", "1");
      s.write("trace", ""); // empties the instance's buffer
    } catch (IOException e) {
      s.close();
      throw e;
    }
    return s;
  }

  /** Traces for {@code duration} and returns the trace file's text. */
  public String record(Duration duration) throws IOException, InterruptedException {
    write("tracing_on", "1");
    windowStart = System.nanoTime();
    try {
      Thread.sleep(duration.toMillis());
    } finally {
      windowEnd = System.nanoTime();
      write("tracing_on", "0");
    }
    try (InputStream in = Files.newInputStream(instance.resolve("trace"))) {
      byte[] text = in.readNBytes((int) Math.min(MAX_TRACE_BYTES, Integer.MAX_VALUE - 8));
      return new String(text, StandardCharsets.ISO_8859_1);
    }
  }

  /**
   * The measured window on CLOCK_MONOTONIC (the trace's clock): from just after tracing was switched on to just
   * before it was switched off, so another trace of the same clock can count over the same time.
   */
  public Interference.Window window() {
    return new Interference.Window("mono", windowStart / 1e9, windowEnd / 1e9);
  }

  /** Events the buffer had to drop on the traced CPUs (the kernel's per-CPU "overrun" count). */
  public long lostEvents() {
    long lost = 0;
    for (int cpu : cpus) {
      try {
        for (String line : Files.readAllLines(instance.resolve("per_cpu/cpu" + cpu + "/stats"))) {
          if (line.startsWith("overrun:")) lost += Long.parseLong(line.substring(8).trim());
        }
      } catch (IOException | NumberFormatException e) {
        // a CPU without stats lost nothing we can count
      }
    }
    return lost;
  }

  @Override
  public void close() throws IOException {
    IOException failed = null;
    try {
      write("events/sched/sched_switch/enable", "0");
    } catch (IOException e) {
      // the instance may already be half gone; removing it is what matters
    }
    for (int attempt = 0; ; attempt++) {
      try {
        Files.deleteIfExists(instance);
        break;
      } catch (IOException e) {
        if (attempt == 20) {
          failed = new IOException("cannot remove the tracefs instance " + instance + ": " + e.getMessage(), e);
          break;
        }
        try {
          Thread.sleep(50); // a reader of its trace file may still be closing
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    if (mountedHere) unmount(tracing);
    if (failed != null) throw failed;
  }

  private void write(String file, String value) throws IOException {
    Files.writeString(instance.resolve(file), value + "\n", StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
  }

  private static void mount(Path tracing) throws IOException {
    run(List.of("mount", "-t", "tracefs", "nodev", tracing.toString()), "mount tracefs on " + tracing);
  }

  private static void unmount(Path tracing) throws IOException {
    run(List.of("umount", tracing.toString()), "unmount " + tracing);
  }

  /** Through apply's runner, the one that starts host commands and keeps their output's tail for the message. */
  private static void run(List<String> argv, String what) throws IOException {
    CommandRunner.Outcome o = new ProcessRunner().run(argv, line -> { });
    if (!o.ok()) throw new IOException("cannot " + what + ": " + o.output().strip());
  }
}
