package io.vgapass.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * Adds 2 MiB hugepages to the pool for one test VM and takes exactly those away again on close
 * (needs root).
 *
 * <p>Several test runs may share the machine's pool at once. So this never counts on pages that
 * are free now (another run may be about to use or release them): it always adds its own, and
 * every read-modify-write of {@code nr_hugepages} happens under an exclusive lock on {@value
 * #LOCK_FILE}, which other tests and scripts touching the pool should take too.
 */
public final class HugePages2M implements AutoCloseable {
  public static final Path DIR = Path.of("/sys/kernel/mm/hugepages/hugepages-2048kB");
  public static final String LOCK_FILE = "/run/lock/vgapass-hugepages.lock";
  private int added;

  private HugePages2M(int added) {
    this.added = added;
  }

  /** Pages of 2 MiB needed for this many MiB. */
  public static int pagesFor(int mib) {
    return (mib + 1) / 2;
  }

  public static int total() {
    return read("nr_hugepages");
  }

  public static int free() {
    return read("free_hugepages");
  }

  /** Grows the pool by {@code pages}; if memory is fragmented, compacts it once and retries. */
  public static HugePages2M add(int pages) {
    return locked(() -> {
      int before = total();
      write(before + pages);
      if (total() < before + pages) {
        // fragmented memory: write back dirty pages, drop clean caches, compact, try again
        Cmd.run(Duration.ofSeconds(60), "sync");
        writeProc("/proc/sys/vm/drop_caches", "3");
        writeProc("/proc/sys/vm/compact_memory", "1");
        write(before + pages);
      }
      int got = total() - before;
      if (got < pages) {
        write(Math.max(0, total() - Math.max(got, 0)));
        throw new IllegalStateException("could add only " + got + " of " + pages
            + " 2 MiB hugepages to the pool (" + DIR + "/nr_hugepages was " + before + ")");
      }
      return new HugePages2M(got);
    });
  }

  @Override
  public void close() {
    if (added <= 0) return;
    locked(() -> {
      write(Math.max(0, total() - added));
      added = 0;
      return null;
    });
  }

  /**
   * Holds the pool's lock until closed, for a test whose VMs' hooks change the pool themselves
   * and that then checks the pool came back to where it was (another run must not move it meanwhile).
   */
  public static AutoCloseable hold() {
    try {
      Path lock = Path.of(LOCK_FILE);
      Files.createDirectories(lock.getParent());
      FileChannel ch = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock l = ch.lock();
      return () -> {
        l.release();
        ch.close();
      };
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lock " + LOCK_FILE, e);
    }
  }

  private interface Action<T> {
    T run();
  }

  private static <T> T locked(Action<T> action) {
    try {
      Path lock = Path.of(LOCK_FILE);
      Files.createDirectories(lock.getParent());
      try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock l = ch.lock()) {
        return action.run();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lock " + LOCK_FILE, e);
    }
  }

  private static int read(String name) {
    try {
      return Integer.parseInt(Files.readString(DIR.resolve(name)).trim());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(int total) {
    writeProc(DIR.resolve("nr_hugepages").toString(), Integer.toString(total));
  }

  private static void writeProc(String path, String value) {
    try {
      Files.writeString(Path.of(path), value);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + value + " to " + path, e);
    }
  }
}
