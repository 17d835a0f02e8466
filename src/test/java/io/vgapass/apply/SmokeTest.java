package io.vgapass.apply;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmokeTest {
  @TempDir Path tmp;

  @Test
  void print() {
    for (String d : Trees.DISTROS) {
      Path root = Trees.write(d, tmp);
      Trees.Run r = Trees.cli("host", "apply", "--sysroot", root.toString(), "--gpu", Trees.gpu(d), "--dry-run");
      System.out.println("===== " + d + " exit " + r.code() + "\n" + r.out() + r.err());
    }
  }
}
