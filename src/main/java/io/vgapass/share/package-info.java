/**
 * Host-guest file sharing: a Samba share served only on the host-only network ({@link SambaShares}, smb.conf edited
 * through the host journal) and virtiofs ({@code domain.FilesystemTuner}). The text edits of smb.conf are exact:
 * what {@link SambaConf#remove} takes out is byte for byte what {@link SambaConf#add} put in.
 */
package io.vgapass.share;
