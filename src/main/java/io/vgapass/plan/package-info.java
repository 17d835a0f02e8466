/**
 * Floor 1: what the user asked ({@link io.vgapass.plan.Intent}) and the pure planner
 * ({@link io.vgapass.plan.Planner}: {@code (Host, Intent) -> Plan}), with the CPU pinning planner and the
 * shield's contract ({@link io.vgapass.plan.ShieldMode}, {@link io.vgapass.plan.ShieldPolicy}: what the hook's
 * shield leaves alone, read by runtime and verify alike). The
 * {@link io.vgapass.plan.Plan} is also the domain spec the tuners read.
 *
 * <p>May import {@code host} only.
 */
package io.vgapass.plan;
