package io.vgapass.plan;

import io.vgapass.host.PciAddress;
import io.vgapass.host.sketch.SizeParser;
import java.util.ArrayList;
import java.util.List;

/** A fluent way to write an {@link Intent} in tests, flag by flag as on the command line. */
public final class Intents {
  private PciAddress gpu;
  private Integer vcpus;
  private Long memoryKiB;
  private String name;
  private HugepageMode hugepages = HugepageMode.AUTO;
  private final List<DiskSpec> disks = new ArrayList<>();
  private final List<NicSpec> nics = new ArrayList<>();
  private String audio;
  private final List<InputSpec> inputs = new ArrayList<>();
  private Integer iothreadPriority;
  private boolean nvidiaHideKvm;
  private boolean secureBoot;

  public static Intents intent() {
    return new Intents();
  }

  public Intents gpu(String address) {
    gpu = PciAddress.parse(address);
    return this;
  }

  public Intents vcpus(int n) {
    vcpus = n;
    return this;
  }

  public Intents memory(String size) {
    memoryKiB = SizeParser.kib(size);
    return this;
  }

  public Intents name(String n) {
    name = n;
    return this;
  }

  public Intents hugepages(String mode) {
    hugepages = HugepageMode.parse(mode);
    return this;
  }

  public Intents disk(String path) {
    disks.add(DiskSpec.of(path));
    return this;
  }

  public Intents nic(String spec) {
    nics.add(NicSpec.parse(spec));
    return this;
  }

  public Intents audio(String spec) {
    audio = spec;
    return this;
  }

  public Intents input(String spec) {
    inputs.add(InputSpec.parse(spec));
    return this;
  }

  public Intents iothreadPriority(int p) {
    iothreadPriority = p;
    return this;
  }

  public Intents nvidiaHideKvm() {
    nvidiaHideKvm = true;
    return this;
  }

  public Intents secureBoot() {
    secureBoot = true;
    return this;
  }

  public Intent build() {
    return Intent.builder().gpu(gpu).vcpus(vcpus).memoryKiB(memoryKiB).name(name).hugepages(hugepages)
        .disks(List.copyOf(disks)).nics(List.copyOf(nics)).audio(audio).inputs(List.copyOf(inputs))
        .iothreadPriority(iothreadPriority).nvidiaHideKvm(nvidiaHideKvm).secureBoot(secureBoot).build();
  }

  /** Plans this intent on a fixture host (see {@link TestHosts}). */
  public Plan on(String host) {
    return Planner.plan(TestHosts.host(host), build());
  }
}
