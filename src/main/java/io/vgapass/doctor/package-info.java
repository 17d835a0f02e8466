/**
 * Floor 1: the audit. Each {@link io.vgapass.doctor.Check} is a pure function of the {@link io.vgapass.host.Host}
 * that returns {@link io.vgapass.doctor.Finding}s with a stable id, a severity, the evidence and the fix.
 *
 * <p>May import {@code host} only: facts a check needs from elsewhere (libvirt's saved domains, for Looking Glass)
 * are handed in as plain records by the caller.
 */
package io.vgapass.doctor;
