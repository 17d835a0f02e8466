package io.vgapass.host;

/** A whole disk from sys/block: name (sda, nvme0n1), size, and whether it spins. */
public record BlockDevice(String name, long sizeBytes, Boolean rotational, String model) {}
