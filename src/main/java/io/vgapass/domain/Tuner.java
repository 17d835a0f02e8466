package io.vgapass.domain;

import io.vgapass.plan.Plan;

/** One concern of the domain (CPU, memory, disks...): edits only what it owns. */
interface Tuner {
  void tune(XmlDoc doc, Plan plan, TuneScope scope, Ownership owned);
}
