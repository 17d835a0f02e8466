/**
 * Host-guest file sharing: a Samba share served only on the host-only network ({@link SambaShares}, smb.conf edited
 * through the host journal) and virtiofs ({@code domain.FilesystemTuner}). The text edits of smb.conf are exact:
 * what {@link SambaConf#remove} takes out is byte for byte what {@link SambaConf#add} put in.
 *
 * <p>Floor 3: may import floors 0 to 2; must not import {@code cli} or the other floor-3 packages.
 */
package io.vgapass.share;
