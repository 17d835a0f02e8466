package io.vgapass.plan;

/** The guest's UEFI firmware: OVMF code (read-only pflash) and the template for its variables. */
public record Firmware(String loader, String nvramTemplate, boolean secureBoot, String descriptor) {}
