package io.vgapass.host;

import java.util.ArrayList;
import java.util.List;

/**
 * The kernel's virtual terminal consoles ({@code /sys/class/vtconsole/vtconN}): the framebuffer console
 * ("frame buffer device") holds the card's framebuffer while it is bound, so single-GPU mode unbinds it (the
 * terminals fall back to the dummy console) and binds it again at stop.
 */
public final class VtConsoles {
  /** One console: its directory name, what it calls itself, and whether it is bound. */
  public record Console(String name, String description, boolean bound) {
    public boolean framebuffer() {
      return description.contains("frame buffer device");
    }

    public String bindFile() {
      return "sys/class/vtconsole/" + name + "/bind";
    }
  }

  private VtConsoles() {}

  public static List<Console> all(SysRoot root) {
    List<Console> out = new ArrayList<>();
    for (String c : root.list("sys/class/vtconsole")) {
      if (!c.matches("vtcon[0-9]{1,3}")) continue;
      out.add(new Console(c, root.read("sys/class/vtconsole/" + c + "/name").orElse(""),
          "1".equals(root.read("sys/class/vtconsole/" + c + "/bind").orElse(""))));
    }
    return out;
  }

  /** The bound framebuffer consoles: what the hand-over unbinds. */
  public static List<Console> boundFramebuffers(SysRoot root) {
    return all(root).stream().filter(c -> c.framebuffer() && c.bound()).toList();
  }
}
