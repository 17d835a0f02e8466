/**
 * Floor 0: the compact host-sketch format (docs/host-sketch.md) materialised as a sysfs-shaped tree, for the
 * fixtures, the embedded reference machine and the benchmark's large host, so every test reads through the same
 * readers as a live host. May import {@code io.vgapass.host} only.
 */
package io.vgapass.host.sketch;
