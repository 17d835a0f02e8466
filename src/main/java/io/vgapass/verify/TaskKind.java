package io.vgapass.verify;

/** What a task that ran on a guest CPU is, which says whether it can be moved off it and how. */
public enum TaskKind {
  /** A kernel thread bound to this one CPU (kworker/1:0, migration/1, ksoftirqd/1): only boot options reduce it. */
  KERNEL_PER_CPU(false),
  /** A kernel thread allowed on other CPUs too (rcu_preempt, kcompactd, kworker/u*): its affinity can be narrowed. */
  KERNEL_UNBOUND(true),
  /** An ordinary process: the CPU shield (cgroup cpuset) moves it. */
  USER(true),
  /** One of this VM's own threads other than a vCPU (emulator, I/O thread): the plan pins it elsewhere. */
  VM_THREAD(true),
  /** Gone before it could be looked at; its name is all that is known. */
  GONE(false);

  private final boolean movable;

  TaskKind(boolean movable) {
    this.movable = movable;
  }

  public boolean movable() {
    return movable;
  }
}
