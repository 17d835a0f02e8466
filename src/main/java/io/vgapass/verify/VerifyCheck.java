package io.vgapass.verify;

/** One proof about the running VM: its name, whether it holds, and what was seen. */
public record VerifyCheck(String name, boolean passed, String detail) {}
