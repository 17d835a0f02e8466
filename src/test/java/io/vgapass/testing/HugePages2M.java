package io.vgapass.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Makes sure enough free 2 MiB hugepages exist for a test VM and gives back, on close, the pages
 * it added to the pool (needs root). Other users of the pool keep theirs: it only ever adds what
 * is missing and removes what it added.
 */
public final class HugePages2M implements AutoCloseable {
  public static final Path DIR = Path.of("/sys/kernel/mm/hugepages/hugepages-2048kB");
  private final int added;

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

  /** Grows the pool until at least {@code pages} are free; compacts memory once if needed. */
  public static HugePages2M ensureFree(int pages) {
    int before = total();
    int missing = pages - free();
    if (missing <= 0) return new HugePages2M(0);
    write(before + missing);
    if (free() < pages) {
      // fragmented memory: write back dirty pages, drop clean caches, compact, try again
      Cmd.run(Duration.ofSeconds(60), "sync");
      writeProc("/proc/sys/vm/drop_caches", "3");
      writeProc("/proc/sys/vm/compact_memory", "1");
      write(total() + (pages - free()));
    }
    HugePages2M r = new HugePages2M(total() - before);
    if (free() < pages) {
      r.close();
      throw new IllegalStateException("could get only " + free() + " of " + pages
          + " free 2 MiB hugepages (" + DIR + "/nr_hugepages)");
    }
    return r;
  }

  @Override
  public void close() {
    if (added > 0) write(Math.max(0, total() - added));
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
