/**
 * Floor 3: keyboard and mouse for the guest (USB hot-plug through libvirt, evdev), the token-protected switch-back
 * service the guest calls. (The host-only network's XML is {@code domain.HostOnlyNetwork}'s, the sound server's files
 * {@code apply.AudioSetup}'s.) May import
 * floors 0 to 2; must not import {@code cli} or the other floor-3 packages.
 */
package io.vgapass.input;
