package io.vgapass.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Making and removing cgroups: mkdir and rmdir on cgroupfs, where the kernel fills in (and
 * takes away) the control files. A seam, so tests on a plain directory tree can emulate that.
 */
public interface CgroupDirs {
  void create(Path dir) throws IOException;

  void remove(Path dir) throws IOException;

  CgroupDirs KERNEL = new CgroupDirs() {
    @Override
    public void create(Path dir) throws IOException {
      if (!Files.isDirectory(dir)) Files.createDirectory(dir);
    }

    @Override
    public void remove(Path dir) throws IOException {
      Files.deleteIfExists(dir);
    }
  };
}
