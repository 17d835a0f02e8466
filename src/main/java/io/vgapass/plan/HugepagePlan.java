package io.vgapass.plan;

/**
 * How guest memory is backed.
 *
 * @param sizeKiB 2048 or 1048576; 0 when huge pages are off
 * @param count pages to reserve for the guest
 * @param node the NUMA node to take them from, null for any
 */
public record HugepagePlan(long sizeKiB, long count, Integer node) {
  public static final HugepagePlan OFF = new HugepagePlan(0, 0, null);

  public boolean enabled() {
    return sizeKiB > 0;
  }
}
