/**
 * Floor 2: the only code that changes host configuration files. Each {@link io.vgapass.apply.HostChange} is
 * recorded in the {@link io.vgapass.apply.Journal} first (prior and next copies), written atomically, shown as a
 * diff by {@code --dry-run} and taken back by {@code host undo}; per-distribution editors for the bootloader and
 * the initramfs live here too.
 *
 * <p>May import {@code host} and {@code plan}; must not import {@code domain}, {@code report}, floor 3 or
 * {@code cli}.
 */
package io.vgapass.apply;
