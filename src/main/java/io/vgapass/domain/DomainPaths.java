package io.vgapass.domain;

/**
 * The property paths from a domain's root ({@code <domain>}) that more than one reader or writer uses, declared once
 * (after virt-manager's virtinst, where each XML property is declared as a path): the tuner that writes a fact and
 * the commands that read it back use the same constant, so they cannot drift apart. A path that only one tuner uses
 * is declared in that tuner.
 */
public final class DomainPaths {
  // identity and sizes
  /** The hypervisor: {@code kvm}, or {@code qemu} for a TCG guest. */
  public static final String TYPE = "./@type";
  public static final String NAME = "./name";
  public static final String VCPU = "./vcpu";
  public static final String MEMORY = "./memory";
  public static final String MEMORY_UNIT = "./memory/@unit";
  public static final String NUMA_CELLS = "./cpu/numa/cell";

  // how the guest boots
  public static final String OS_TYPE = "./os/type";
  public static final String OS_ARCH = "./os/type/@arch";
  public static final String OS_MACHINE = "./os/type/@machine";
  /** {@code efi}: libvirt chooses the firmware by the features asked for below. */
  public static final String OS_FIRMWARE = "./os/@firmware";
  public static final String OS_FIRMWARE_FEATURES = "./os/firmware";
  public static final String SECURE_BOOT_FEATURE = "./os/firmware/feature[@name='secure-boot']/@enabled";
  public static final String ENROLLED_KEYS_FEATURE = "./os/firmware/feature[@name='enrolled-keys']/@enabled";
  public static final String OS_LOADER = "./os/loader";
  public static final String OS_LOADER_SECURE = "./os/loader/@secure";
  public static final String SMM_STATE = "./features/smm/@state";
  /** The VM's own UEFI variables file (written by the guest-features tuner, read by firmware keys/enroll). */
  public static final String NVRAM = "./os/nvram";
  /** The template libvirt copies it from at the first start. */
  public static final String NVRAM_TEMPLATE = "./os/nvram/@template";

  // device lists
  public static final String EMULATOR = "./devices/emulator";
  public static final String MEMBALLOON_MODEL = "./devices/memballoon/@model";
  public static final String DISKS = "./devices/disk";
  public static final String INTERFACES = "./devices/interface";
  public static final String SOUNDS = "./devices/sound";
  public static final String HOSTDEVS = "./devices/hostdev";
  public static final String EVDEV_INPUTS = "./devices/input[@type='evdev']";
  public static final String TPM = "./devices/tpm";

  // Looking Glass's shared memory (written by the tuner, read back by looking-glass status)
  public static final String LOOKING_GLASS_SHMEM = "./devices/shmem[@name='looking-glass']";
  public static final String LOOKING_GLASS_SIZE = LOOKING_GLASS_SHMEM + "/size";
  public static final String LOOKING_GLASS_SIZE_UNIT = LOOKING_GLASS_SIZE + "/@unit";

  private DomainPaths() {}
}
