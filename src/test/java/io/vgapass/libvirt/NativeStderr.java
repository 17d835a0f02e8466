package io.vgapass.libvirt;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Captures what native code writes to file descriptor 2 (libvirt's default error handler prints there, past
 * {@code System.err}) by pointing fd 2 at a temporary file for the duration of a block. Linux only.
 */
final class NativeStderr {

  interface LibC extends Library {
    LibC INSTANCE = Native.load("c", LibC.class);

    int open(String path, int flags, int mode);

    int dup(int fd);

    int dup2(int from, int to);

    int close(int fd);

    long write(int fd, byte[] buf, long count);
  }

  private static final int O_WRONLY = 01;
  private static final int O_CREAT = 0100;
  private static final int O_TRUNC = 01000;

  private NativeStderr() {}

  /** Runs the block with fd 2 redirected and returns what was written to fd 2 meanwhile. */
  static String capture(Runnable block) throws IOException {
    Path file = Files.createTempFile("vgapass-stderr", ".txt");
    System.err.flush();
    LibC c = LibC.INSTANCE;
    int target = c.open(file.toString(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (target < 0) {
      throw new IOException("open " + file + " failed");
    }
    int saved = c.dup(2);
    try {
      c.dup2(target, 2);
      block.run();
    } finally {
      System.err.flush();
      c.dup2(saved, 2);
      c.close(saved);
      c.close(target);
    }
    try {
      return Files.readString(file);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /** Writes straight to fd 2, bypassing Java: proves that {@link #capture} sees native writes. */
  static void writeNative(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    LibC.INSTANCE.write(2, b, b.length);
  }
}
