/**
 * Floor 3: what runs inside libvirt's qemu hook around a vgapass VM (hugepages, CPU shield, governor, GPU
 * hand-over), recorded in a state file before each change so release, or a later start after a crash, undoes
 * exactly that; the hook scripts and their installer.
 *
 * <p>May import floors 0 to 2; must not import {@code cli} or the other floor-3 packages. The hook is started by
 * libvirt on every VM start, so its fast path avoids picocli and JSON.
 */
package io.vgapass.runtime;
