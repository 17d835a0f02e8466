package io.vgapass.host;

import java.util.ArrayList;
import java.util.List;

/** Reads network interfaces, disks and the desktop user. */
final class PeripheralReader {
  private final SysRoot root;

  PeripheralReader(SysRoot root) {
    this.root = root;
  }

  Network network() {
    List<Network.Interface> ifaces = new ArrayList<>();
    for (String n : root.list("sys/class/net")) {
      if (n.equals("lo")) continue;
      String dir = "sys/class/net/" + n;
      boolean physical = root.exists(dir + "/device");
      boolean wireless = root.exists(dir + "/wireless") || root.exists(dir + "/phy80211");
      ifaces.add(new Network.Interface(n, physical, root.read(dir + "/address").orElse(null), wireless));
    }
    String def = null;
    for (String line : root.lines("proc/net/route")) {
      String[] f = line.trim().split("\\s+");
      if (f.length > 2 && f[1].equals("00000000") && !f[0].equals("Iface")) {
        def = f[0];
        break;
      }
    }
    return new Network(ifaces, def);
  }

  List<BlockDevice> disks() {
    List<BlockDevice> out = new ArrayList<>();
    for (String n : root.list("sys/block")) {
      if (n.startsWith("loop") || n.startsWith("ram") || n.startsWith("zram") || n.startsWith("dm-")) continue;
      String base = "sys/block/" + n + "/";
      long sectors = root.read(base + "size").map(PeripheralReader::longOr0).orElse(0L);
      Boolean rot = root.read(base + "queue/rotational").map(s -> s.equals("1")).orElse(null);
      out.add(new BlockDevice(n, sectors * 512, rot, root.read(base + "device/model").orElse(null)));
    }
    return out;
  }

  DesktopUser desktopUser() {
    for (String line : root.lines("etc/passwd")) {
      String[] f = line.split(":", -1);
      if (f.length < 7) continue;
      Integer uid = PciReader.intOrNull(f[2]);
      if (uid != null && uid >= 1000 && uid < 60000 && !f[6].endsWith("nologin") && !f[6].endsWith("false")) {
        return new DesktopUser(f[0], uid, f[5]);
      }
    }
    return null;
  }

  private static long longOr0(String s) {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return 0L;
    }
  }
}
