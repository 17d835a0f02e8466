package io.vgapass.host;

/** The first regular user (uid >= 1000) from etc/passwd: whose sound server the VM plays to. */
public record DesktopUser(String name, int uid, String home) {}
