package io.vgapass.apply;

import io.vgapass.host.AtomicFiles;
import io.vgapass.host.Printable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One vgapass at a time changes the host: an exclusive {@link FileChannel#lock} on
 * {@code var/lib/vgapass/journal.lock}, held from before a run reads the journal until it has written its last
 * marker. The operating system drops the lock when the process dies, so a killed run never blocks the next
 * one; the file itself stays (removing it would let two runs lock two different files).
 *
 * <p>The lock is per process, so this JVM also keeps its own table: the thread that holds it may take it
 * again (the CLI takes it for the whole command, the {@link Applier} again for its part), another thread is
 * turned away like another process. The table also keeps us from opening a second channel on the file,
 * because closing any channel on a file drops the process's lock on it.
 */
public final class JournalLock implements AutoCloseable {
  public static final String FILE = "var/lib/vgapass/journal.lock";
  /** The holder's line is short; more is not ours. */
  private static final int MAX_LINE = 512;
  private static final Map<Path, JournalLock> HELD = new HashMap<>();

  private final Path key;
  private final FileChannel channel;
  private final FileLock lock;
  private final Thread owner;
  private final String holder;
  private int depth = 1;

  private JournalLock(Path key, FileChannel channel, FileLock lock, String holder) {
    this.key = key;
    this.channel = channel;
    this.lock = lock;
    this.owner = Thread.currentThread();
    this.holder = holder;
  }

  /**
   * Takes the lock of {@code file} for {@code what} ("host apply"), or refuses at once (nothing changed) when
   * another run holds it: waiting behind a run that may take minutes (initramfs rebuilds) or hang is worse
   * than one clear line.
   */
  static JournalLock acquire(Path file, String what) {
    Path key = file.toAbsolutePath().normalize();
    synchronized (HELD) {
      JournalLock held = HELD.get(key);
      if (held != null) {
        if (held.owner == Thread.currentThread()) {
          held.depth++;
          return held;
        }
        throw busy(held.holder);
      }
      FileChannel ch = null;
      try {
        AtomicFiles.createDirs(file.getParent());
        ch = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
            StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
          throw new Refusal("/" + FILE + " is not a regular file; move it aside and run again; nothing was changed");
        }
        FileLock lock;
        try {
          lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
          lock = null; // this JVM holds it under another name of the same file
        }
        if (lock == null) throw busy(readHolder(file));
        String holder = "pid " + ProcessHandle.current().pid() + ": " + what + ", since "
            + Instant.now().truncatedTo(ChronoUnit.SECONDS);
        ch.truncate(0);
        ByteBuffer b = ByteBuffer.wrap((holder + "\n").getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) ch.write(b);
        ch.force(false);
        JournalLock l = new JournalLock(key, ch, lock, holder);
        HELD.put(key, l);
        ch = null;
        return l;
      } catch (IOException e) {
        throw new Refusal("cannot lock /" + FILE + " (" + e.getMessage() + "); nothing was changed");
      } finally {
        closeQuietly(ch);
      }
    }
  }

  /**
   * Who holds the lock of {@code file} now, if another run (process or thread) does: for {@code host status},
   * which only reads and so never takes it.
   */
  static Optional<String> holder(Path file) {
    Path key = file.toAbsolutePath().normalize();
    synchronized (HELD) {
      JournalLock held = HELD.get(key);
      if (held != null) return held.owner == Thread.currentThread() ? Optional.empty() : Optional.of(held.holder);
      if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) return Optional.empty();
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
        FileLock probe = ch.tryLock(0, Long.MAX_VALUE, true);
        if (probe != null) {
          probe.release();
          return Optional.empty();
        }
        return Optional.of(readHolder(file));
      } catch (OverlappingFileLockException | IOException e) {
        return Optional.empty();
      }
    }
  }

  private static Refusal busy(String holder) {
    return new Refusal("another vgapass is changing this host now (" + holder + "; lock /" + FILE + "): wait for it "
        + "to finish and run again; nothing was changed");
  }

  /** The first line the holder wrote, bounded and stripped of control characters (the file may be anything). */
  private static String readHolder(Path file) {
    byte[] b;
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      b = in.readNBytes(MAX_LINE);
    } catch (NoSuchFileException e) {
      return "holder unknown";
    } catch (IOException e) {
      return "holder unknown";
    }
    String line = Printable.of(new String(b, StandardCharsets.UTF_8).lines().findFirst().orElse("")).strip();
    return line.isEmpty() ? "holder unknown" : line;
  }

  private static void closeQuietly(FileChannel ch) {
    if (ch == null) return;
    try {
      ch.close();
    } catch (IOException e) {
      // closing drops the lock either way
    }
  }

  @Override
  public void close() {
    synchronized (HELD) {
      if (--depth > 0) return;
      HELD.remove(key);
      try {
        lock.release();
      } catch (IOException e) {
        // the close below drops it too
      }
      closeQuietly(channel);
    }
  }
}
