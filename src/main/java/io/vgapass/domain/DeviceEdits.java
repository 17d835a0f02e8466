package io.vgapass.domain;

import io.vgapass.plan.AudioSpec;
import io.vgapass.plan.InputSpec;
import io.vgapass.plan.NicSpec;
import io.vgapass.plan.Plan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Device-only edits for {@code input evdev}, {@code net setup} and {@code audio setup}: the same tuners as
 * {@code vm tune --input/--nic/--audio}, in a {@link TuneScope#devicesOnly devices-only} scope, so what they add is
 * recorded as owned in {@code <vgapass:vm>} and a later {@code vm tune} keeps it instead of adding it twice.
 *
 * <p>These commands add to what vgapass already owns ({@code vm tune --input} states the whole set): the requested
 * devices are joined to the owned ones of their kind still in the domain before the tuner runs, so an earlier
 * {@code --nic} or {@code --input} stays, and one the user deleted by hand is not brought back.
 */
public final class DeviceEdits {
  /** What became of one requested device. */
  public enum Result {
    ADDED,
    /** vgapass had added it before; kept (an evdev keyboard's toggle may change). */
    OURS,
    /** the user's own device of that kind and source; left as it is and not claimed. */
    USERS
  }

  private DeviceEdits() {}

  /** Adds evdev or USB inputs; returns each requested device's result, in their order. */
  public static List<Result> inputs(XmlDoc doc, List<InputSpec> add, String libvirtVersion) {
    Map<String, InputSpec> all = new LinkedHashMap<>();
    for (Ownership.Owned o : owned(doc, InputTuner.KIND)) {
      // one the user has since deleted by hand stays deleted (and its record goes)
      all.put(o.key(), inputSpec(doc, o.key()));
    }
    List<Result> results = new ArrayList<>();
    for (InputSpec in : add) {
      String key = InputTuner.key(in);
      results.add(result(InputTuner.find(doc, key) != null, all.containsKey(key)));
      all.put(key, in);
    }
    DomainWriter.tune(doc, Plan.devices(doc.get(DomainPaths.NAME), List.of(), AudioSpec.NONE,
        List.copyOf(all.values()), libvirtVersion), TuneScope.inputsOnly());
    return results;
  }

  /**
   * Takes out the inputs vgapass added whose keys (an event node, {@code usb:VID:PID}) match; the user's own entries
   * are never touched. Returns the keys removed.
   */
  public static List<String> removeInputs(XmlDoc doc, Predicate<String> which,
      String libvirtVersion) {
    List<InputSpec> keep = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    for (Ownership.Owned o : owned(doc, InputTuner.KIND)) {
      if (which.test(o.key())) removed.add(o.key());
      else keep.add(inputSpec(doc, o.key()));
    }
    DomainWriter.tune(doc, Plan.devices(doc.get(DomainPaths.NAME), List.of(), AudioSpec.NONE, keep, libvirtVersion),
        TuneScope.inputsOnly());
    return removed;
  }

  /** Adds macvtap or host-only interfaces; returns each requested one's result, in their order. */
  public static List<Result> nics(XmlDoc doc, List<NicSpec> add) {
    Map<String, NicSpec> all = new LinkedHashMap<>();
    for (Ownership.Owned o : owned(doc, NetworkTuner.KIND)) all.put(o.key(), nicSpec(doc, o.key()));
    List<Result> results = new ArrayList<>();
    for (NicSpec n : add) {
      String key = NetworkTuner.key(n);
      boolean present = doc.list(DomainPaths.INTERFACES).stream().anyMatch(i -> key.equals(Devices.interfaceKey(i)));
      results.add(result(present, all.containsKey(key)));
      all.put(key, n);
    }
    DomainWriter.tune(doc,
        Plan.devices(doc.get(DomainPaths.NAME), List.copyOf(all.values()), AudioSpec.NONE, List.of(), null),
        TuneScope.nicsOnly());
    return results;
  }

  /**
   * Sets vgapass's sound device and its backend ({@link AudioSpec#NONE} removes them, the domain part of undoing
   * {@code audio setup}); a domain with a sound device of its own keeps it and gets none ({@link Result#USERS}).
   */
  public static Result audio(XmlDoc doc, AudioSpec audio, String libvirtVersion) {
    boolean ours = ownsSound(doc);
    boolean present = doc.exists(DomainPaths.SOUNDS);
    DomainWriter.tune(doc, Plan.devices(doc.get(DomainPaths.NAME), List.of(), audio, List.of(), libvirtVersion),
        TuneScope.audioOnly());
    return result(present, ours);
  }

  /** True when vgapass's metadata records a sound device it added, and the domain has it as vgapass wrote it. */
  public static boolean ownsSound(XmlDoc doc) {
    return !owned(doc, AudioTuner.KIND).isEmpty();
  }

  private static Result result(boolean present, boolean ours) {
    return !present ? Result.ADDED : ours ? Result.OURS : Result.USERS;
  }

  /**
   * The records of a kind whose device is in the domain as vgapass wrote it (see {@link Ownership}): one the user has
   * deleted or changed since, or a record that was never vgapass's, is not vgapass's to keep or take out.
   */
  private static List<Ownership.Owned> owned(XmlDoc doc, String kind) {
    Ownership ownership = new Ownership(VgapassMetadata.owned(doc));
    List<Ownership.Owned> out = new ArrayList<>();
    for (Ownership.Owned o : ownership.previously(kind)) {
      List<XmlNode> elements = switch (kind) {
        case InputTuner.KIND -> {
          XmlNode input = InputTuner.find(doc, o.key());
          yield input == null ? List.of() : List.of(input);
        }
        case NetworkTuner.KIND -> NetworkTuner.withKey(doc, o.key());
        case AudioTuner.KIND -> AudioTuner.soundElements(doc);
        default -> throw new IllegalArgumentException(kind);
      };
      if (ownership.ownedBefore(kind, o.key(), elements)) out.add(o);
    }
    return out;
  }

  private static InputSpec inputSpec(XmlDoc doc, String key) {
    try {
      return InputSpec.parse(key.startsWith("usb:") ? key : "evdev:" + key);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(doc.name() + ": its vgapass metadata owns the input '" + key
          + "', which is neither usb:VID:PID nor an event node under /dev/input; remove that <vgapass:owns>");
    }
  }

  private static NicSpec nicSpec(XmlDoc doc, String key) {
    if (key.startsWith("direct:") && key.length() > 7) return new NicSpec(NicSpec.Kind.MACVTAP, key.substring(7));
    if (key.startsWith("network:") && key.length() > 8) return new NicSpec(NicSpec.Kind.HOSTONLY, key.substring(8));
    throw new IllegalArgumentException(doc.name() + ": its vgapass metadata owns the interface '" + key
        + "', which is neither direct:IFACE nor network:NAME; remove that <vgapass:owns>");
  }
}
