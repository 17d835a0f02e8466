/**
 * The only door to libvirt. {@link io.vgapass.libvirt.LibvirtPort} is the port the rest of vgapass talks to;
 * {@link io.vgapass.libvirt.LibvirtJavaPort} implements it with libvirt-java (JNA over {@code libvirt.so.0}).
 * Nothing outside this package imports {@code org.libvirt}: failures come out as
 * {@link io.vgapass.libvirt.LibvirtFailure}, values as plain records and strings.
 *
 * <p>Floor 0: imports no other vgapass package. See {@code docs/architecture.md}.
 */
package io.vgapass.libvirt;
