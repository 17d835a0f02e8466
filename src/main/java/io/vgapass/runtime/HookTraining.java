package io.vgapass.runtime;

import io.vgapass.domain.VgapassMetadata;
import io.vgapass.domain.XmlDoc;
import io.vgapass.host.SysRoot;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * One prepare and release on a throwaway tree, run by {@code hooks install} under
 * {@code -XX:ArchiveClassesAtExit}: the class-data archive it leaves holds every class the real
 * hook loads, so the hook on a VM's start path starts in a fraction of the time.
 */
final class HookTraining {
  private HookTraining() {}

  static int run(PrintStream err) {
    Path dir = null;
    try {
      dir = Files.createTempDirectory("vgapass-hook-training");
      write(dir, "sys/devices/system/cpu/online", "0-1");
      write(dir, "sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages", "0");
      write(dir, "sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages", "0");
      write(dir, "proc/sys/vm/drop_caches", "0");
      write(dir, "proc/sys/vm/compact_memory", "0");
      write(dir, "sys/fs/cgroup/cpuset/cpuset.cpus", "0-1");
      write(dir, "sys/fs/cgroup/cpuset/cpuset.mems", "0");
      write(dir, "sys/fs/cgroup/cpuset/cgroup.procs", "");
      String xml = ("<domain type='qemu'><name>training</name><metadata>"
          + "<vgapass:vm xmlns:vgapass='" + HookScript.NAMESPACE + "' format='1'><vgapass:cpu vcpus='1' emulator='0' "
          + "iothread='0' iothread-priority='10'/><vgapass:memory kib='4096' hugepage-kib='2048' hugepages='2' "
          + "node=''/></vgapass:vm></metadata></domain>");
      Path root = dir;
      CgroupDirs plainDirs = new CgroupDirs() {
        @Override
        public void create(Path d) throws IOException {
          Files.createDirectories(d);
          for (String f : List.of("cpuset.cpus", "cpuset.mems", "cgroup.procs")) Files.writeString(d.resolve(f), "");
        }

        @Override
        public void remove(Path d) throws IOException {
          delete(d);
        }
      };
      Lifecycle life = new Lifecycle(new SysRoot(root), Commands.NONE, plainDirs);
      life.prepare("training", VgapassMetadata.read(xml, "training")); // the hook's own (DOM-free) path
      // a release that needs Java (a GPU hand-over, or a shell without our release) runs this path
      life.release("training");
      life.prepare("training", VgapassMetadata.read(XmlDoc.parse("training", xml))); // shapes the scanner leaves to the DOM
      life.release("training");
      return 0;
    } catch (IOException | RuntimeException e) {
      err.println("vgapass: hook training failed: " + e.getMessage());
      return 1;
    } finally {
      if (dir != null) delete(dir);
    }
  }

  private static void write(Path root, String rel, String content) throws IOException {
    Path p = root.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
  }

  private static void delete(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temp tree; the OS cleans it eventually
    }
  }
}
