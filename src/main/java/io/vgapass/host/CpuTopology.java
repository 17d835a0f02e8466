package io.vgapass.host;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The host's online CPUs and how they are grouped.
 *
 * @param model the CPU model name from /proc/cpuinfo
 * @param vendor GenuineIntel, AuthenticAMD, or "unknown"
 * @param flags the CPU flags that matter here (vmx, svm, hypervisor, pdpe1gb...)
 */
public record CpuTopology(String model, String vendor, Set<String> flags, List<Cpu> cpus) {

  public CpuTopology {
    cpus = cpus.stream().sorted(Comparator.comparingInt(Cpu::id)).toList();
    // sorted, so that --json and a replayed capture list them in the same order on every run
    flags = Collections.unmodifiableSortedSet(new TreeSet<>(flags));
  }

  public Cpu cpu(int id) {
    return cpus.stream().filter(c -> c.id() == id).findFirst().orElse(null);
  }

  /** Physical cores, each the sorted list of its thread ids, in order of their first thread. */
  @JsonIgnore
  public List<List<Integer>> cores() {
    Map<String, List<Integer>> byCore = new LinkedHashMap<>();
    for (Cpu c : cpus) byCore.computeIfAbsent(c.coreKey(), k -> new ArrayList<>()).add(c.id());
    List<List<Integer>> result = new ArrayList<>(byCore.values());
    result.sort(Comparator.comparingInt(l -> l.get(0)));
    return result;
  }

  public List<Integer> siblingsOf(int cpuId) {
    Cpu c = cpu(cpuId);
    if (c == null) return List.of();
    return cpus.stream().filter(o -> o.coreKey().equals(c.coreKey())).map(Cpu::id).toList();
  }

  public int threadsPerCore() {
    return cores().stream().mapToInt(List::size).max().orElse(1);
  }

  public int coreCount() {
    return cores().size();
  }

  public int packageCount() {
    return (int) cpus.stream().map(Cpu::packageId).distinct().count();
  }

  public Set<Integer> nodes() {
    return cpus.stream().map(Cpu::node).collect(Collectors.toCollection(TreeSet::new));
  }

  public Set<Integer> l3Domains() {
    return cpus.stream().map(Cpu::l3).collect(Collectors.toCollection(TreeSet::new));
  }

  public boolean hybrid() {
    return cpus.stream().anyMatch(c -> c.type() == CoreType.EFFICIENT);
  }

  public boolean hasVmx() {
    return flags.contains("vmx");
  }

  public boolean hasSvm() {
    return flags.contains("svm");
  }

  /** AMD (or Hygon) by vendor, not only by the svm flag, which is gone when SVM is off in the firmware. */
  public boolean isAmd() {
    return vendor.contains("AMD") || vendor.contains("Hygon") || hasSvm();
  }
}
