package io.vgapass.plan;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the user asked of Looking Glass: the guest's largest resolution, HDR, and which emulated display the
 * guest keeps beside the GPU.
 */
public record LookingGlassRequest(int width, int height, boolean hdr, LookingGlassSpec.Video video) {
  public static final String DEFAULT_RESOLUTION = "1920x1080";
  /** Larger than any display made (16K); beyond it the shared memory would pass 4 GiB. */
  static final int MAX_SIDE = 16384;
  private static final Pattern WXH = Pattern.compile("\\s*(\\d{1,6})\\s*[xX×]\\s*(\\d{1,6})\\s*");

  /**
   * Parses {@code --resolution} (null: the default); throws IllegalArgumentException with a one-line message that
   * names the input and the fix.
   */
  public static LookingGlassRequest parse(String resolution, boolean hdr, LookingGlassSpec.Video video) {
    String text = resolution == null ? DEFAULT_RESOLUTION : resolution;
    Matcher m = WXH.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("--resolution " + text + ": write WIDTHxHEIGHT in pixels, e.g. "
          + DEFAULT_RESOLUTION + " or 2560x1440");
    }
    int w = Integer.parseInt(m.group(1));
    int h = Integer.parseInt(m.group(2));
    if (w < 1 || h < 1 || w > MAX_SIDE || h > MAX_SIDE) {
      throw new IllegalArgumentException("--resolution " + text + ": width and height must be 1 to " + MAX_SIDE
          + " pixels; give the guest's largest resolution, e.g. " + DEFAULT_RESOLUTION);
    }
    return new LookingGlassRequest(w, h, hdr, video == null ? LookingGlassSpec.Video.NONE : video);
  }

  public String resolution() {
    return String.format(Locale.ROOT, "%dx%d", width, height);
  }
}
