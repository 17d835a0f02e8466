package io.vgapass.domain;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The devices vgapass added to a domain, by kind and key ("disk", "/dev/sdb"), read from and
 * written back to its metadata. A later tune removes what it added and is no longer planned,
 * and never touches a device the user added, even one with the same source.
 */
final class Ownership {
  record Owned(String kind, String key) {}

  private final Set<Owned> before;
  private final Set<Owned> now = new LinkedHashSet<>();

  Ownership(List<Owned> before) {
    this.before = new LinkedHashSet<>(before);
  }

  boolean ownedBefore(String kind, String key) {
    return before.contains(new Owned(kind, key));
  }

  void claim(String kind, String key) {
    now.add(new Owned(kind, key));
  }

  /** Keeps earlier claims of the kinds this run did not touch. */
  void carryOver(String kind) {
    for (Owned o : before) if (o.kind().equals(kind)) now.add(o);
  }

  /** Keeps every earlier claim except those of {@code kinds} (a run that changes only those). */
  void carryOverAllBut(String... kinds) {
    java.util.Set<String> skip = Set.of(kinds);
    for (Owned o : before) if (!skip.contains(o.kind())) now.add(o);
  }

  List<Owned> previously(String kind) {
    List<Owned> out = new ArrayList<>();
    for (Owned o : before) if (o.kind().equals(kind)) out.add(o);
    return out;
  }

  /**
   * What is owned now, in a stable order: earlier claims where they were, new ones after them. Tuners claim in their
   * own order but carry over in the metadata's; without this, a tune that skips a kind (no --gpu) reordered the
   * records and a second tune changed the XML.
   */
  List<Owned> current() {
    List<Owned> out = new ArrayList<>();
    for (Owned o : before) if (now.contains(o)) out.add(o);
    for (Owned o : now) if (!before.contains(o)) out.add(o);
    return List.copyOf(out);
  }
}
