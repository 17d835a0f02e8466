import io.vgapass.host.sketch.HostSketch;
import io.vgapass.host.sketch.LargeHostSketch;
import io.vgapass.host.sketch.SketchWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the large server of {@link LargeHostSketch} (2 sockets, 256 CPUs, 400 PCI functions in
 * 120 IOMMU groups) as a sysroot.
 * Run: java -cp target/vgapass.jar bench/LargeHost.java OUT_DIR [--sketch FILE]
 */
public class LargeHost {
  public static void main(String[] args) throws Exception {
    String text = LargeHostSketch.sketch();
    SketchWriter.write(HostSketch.parse("large-host", text), Path.of(args[0]));
    if (args.length > 2 && args[1].equals("--sketch")) Files.writeString(Path.of(args[2]), text);
  }
}
