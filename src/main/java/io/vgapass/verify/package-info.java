/**
 * Floor 3: proves on the running VM that the plan recorded in its metadata is in effect (vCPU affinities, the I/O
 * thread's policy, memory backing, interrupts, the CPU shield). May import floors 0 to 2; must not import
 * {@code cli} or the other floor-3 packages.
 */
package io.vgapass.verify;
