package io.vgapass.host;

/**
 * Huge pages of one size, for the whole host (node null) or one NUMA node.
 *
 * @param sizeKiB 2048 for 2 MiB pages, 1048576 for 1 GiB pages
 */
public record HugePagePool(long sizeKiB, Integer node, long total, long free) {}
