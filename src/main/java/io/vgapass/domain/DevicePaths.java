package io.vgapass.domain;

/**
 * The property paths relative to one device element ({@code <disk>}, {@code <hostdev>}, {@code <interface>},
 * {@code <input>}, {@code <controller>}, {@code <video>}) that more than one tuner or reader uses, declared once:
 * what a tuner writes, {@link Devices}' keys, {@link LegacyOwnership}'s recognisers and the input commands read
 * through the same constants.
 */
public final class DevicePaths {
  // the device element's own attributes
  public static final String TYPE = "./@type";
  public static final String MODEL = "./@model";
  public static final String INDEX = "./@index";
  public static final String MANAGED = "./@managed";
  public static final String DEVICE = "./@device";

  // <source>
  public static final String SOURCE_DEV = "./source/@dev";
  public static final String SOURCE_FILE = "./source/@file";
  public static final String SOURCE_NETWORK = "./source/@network";
  public static final String SOURCE_MODE = "./source/@mode";
  public static final String SOURCE_GRAB_TOGGLE = "./source/@grabToggle";
  public static final String SOURCE_VENDOR_ID = "./source/vendor/@id";
  public static final String SOURCE_PRODUCT_ID = "./source/product/@id";
  public static final String SOURCE_ADDRESS_BUS = "./source/address/@bus";

  // <model>, <driver>, <target>, <address>
  public static final String MODEL_TYPE = "./model/@type";
  public static final String DRIVER_NAME = "./driver/@name";
  public static final String DRIVER_TYPE = "./driver/@type";
  public static final String DRIVER_CACHE = "./driver/@cache";
  public static final String DRIVER_IO = "./driver/@io";
  public static final String DRIVER_DISCARD = "./driver/@discard";
  public static final String TARGET_BUS = "./target/@bus";
  public static final String TARGET_DEV = "./target/@dev";
  public static final String ADDRESS_TYPE = "./address/@type";
  public static final String ADDRESS_BUS = "./address/@bus";

  private DevicePaths() {}
}
