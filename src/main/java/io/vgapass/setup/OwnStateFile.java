package io.vgapass.setup;

import io.vgapass.host.AtomicFiles;
import io.vgapass.host.SysRoot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/**
 * setup's own state file under the root (its progress in /var/lib/vgapass): not host configuration, so not
 * journaled, but written as the journal writes (host.AtomicFiles), whole or not at all, so a Ctrl-C or a crash
 * leaves the old bytes or the new ones. Read bounded and inside the root: a state file is input like any other.
 */
final class OwnStateFile {
  private final SysRoot root;
  private final String relative;
  private final int maxBytes;

  OwnStateFile(SysRoot root, String relative, int maxBytes) {
    this.root = root;
    this.relative = relative;
    this.maxBytes = maxBytes;
  }

  /** The file as it is; empty when there is none. Throws when it is not a regular file or longer than the bound. */
  public Optional<String> read() throws IOException {
    byte[] b = root.fileOrNull(relative);
    if (b == null) return Optional.empty();
    if (b.length > maxBytes) throw new IOException("longer than " + maxBytes + " bytes");
    return Optional.of(new String(b, StandardCharsets.UTF_8));
  }

  /** Replaces the file atomically (temporary file, fsync, rename), readable by root only. */
  public void write(String text) throws IOException {
    Path target = root.entry(relative);
    AtomicFiles.createDirs(target.getParent());
    AtomicFiles.sweepTemps(target);
    AtomicFiles.write(target, text.getBytes(StandardCharsets.UTF_8), AtomicFiles.SECRET_MODE,
        () -> { });
  }

  /** The path as the host shows it ("/var/lib/vgapass/setup.state"), for messages. */
  public String shown() {
    return "/" + relative;
  }
}
