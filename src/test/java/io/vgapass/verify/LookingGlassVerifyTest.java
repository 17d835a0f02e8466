package io.vgapass.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.host.SysRoot;
import io.vgapass.plan.LookingGlassRequest;
import io.vgapass.plan.LookingGlassSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** verify's Looking Glass check against QEMU command lines as libvirt writes them. */
class LookingGlassVerifyTest {
  @TempDir Path dir;
  static final long PID = 4343;

  private VerifyCheck check(LookingGlassSpec.Mode mode, String resolution, String... args) throws IOException {
    Path p = dir.resolve("proc/" + PID + "/cmdline");
    Files.createDirectories(p.getParent());
    Files.writeString(p, "/usr/bin/qemu-system-x86_64\0-name\0guest=glass\0" + String.join("\0", args) + "\0");
    LookingGlassSpec lg = LookingGlassSpec.of(LookingGlassRequest.parse(resolution, false, null), mode);
    return SharedMemoryCheck.check(new SysRoot(dir), lg, PID);
  }

  @Test
  void libvirtsJsonShmem() throws IOException {
    VerifyCheck c = check(LookingGlassSpec.Mode.IVSHMEM, "1920x1080", "-object",
        "{\"qom-type\":\"memory-backend-file\",\"id\":\"shmmem-shmem0\",\"mem-path\":\"/dev/shm/looking-glass\","
            + "\"size\":33554432,\"share\":true}", "-device",
        "{\"driver\":\"ivshmem-plain\",\"id\":\"shmem0\",\"memdev\":\"shmmem-shmem0\",\"bus\":\"pcie.0\",\"addr\":\"0x2\"}");
    assertThat(c.passed()).as(c.detail()).isTrue();
    assertThat(c.detail()).isEqualTo("32 MiB on /dev/shm/looking-glass (planned 32 MiB for 1920x1080)");
  }

  @Test
  void keyValueFormsAndOurKvmfrBackend() throws IOException {
    assertThat(check(LookingGlassSpec.Mode.IVSHMEM, "2560x1440", "-object",
        "memory-backend-file,id=shmmem-shmem0,mem-path=/dev/shm/looking-glass,size=67108864,share=yes", "-device",
        "ivshmem-plain,id=shmem0,memdev=shmmem-shmem0").passed()).isTrue();
    assertThat(check(LookingGlassSpec.Mode.KVMFR, "2560x1440", "-object",
        "memory-backend-file,id=vgapass-lg,mem-path=/dev/kvmfr0,size=64M,share=on", "-device",
        "ivshmem-plain,id=vgapass-lg0,memdev=vgapass-lg").passed()).isTrue();
  }

  @Test
  void tooSmallOrMissingFails() throws IOException {
    VerifyCheck small = check(LookingGlassSpec.Mode.IVSHMEM, "3840x2160", "-object",
        "memory-backend-file,id=shmmem-shmem0,mem-path=/dev/shm/looking-glass,size=33554432,share=yes", "-device",
        "ivshmem-plain,id=shmem0,memdev=shmmem-shmem0");
    assertThat(small.passed()).isFalse();
    assertThat(small.detail()).contains("32 MiB", "planned 128 MiB for 3840x2160", "too small");
    VerifyCheck none = check(LookingGlassSpec.Mode.KVMFR, "1920x1080");
    assertThat(none.passed()).isFalse();
    assertThat(none.detail()).contains("no memory backend on /dev/kvmfr0");
  }
}
