package io.vgapass.doctor;

/**
 * One verdict about the host, with what it saw and what to do.
 *
 * @param id stable identifier ("iommu.inactive"), for scripts and docs
 * @param evidence the file and value seen ("proc/cmdline: ... (no intel_iommu=on)")
 * @param fix the exact command or edit; empty for OK findings
 */
public record Finding(String id, Severity severity, String message, String evidence, String fix) {

  public static Finding ok(String id, String message, String evidence) {
    return new Finding(id, Severity.OK, message, evidence, "");
  }
}
