/**
 * Floor 3: artefacts that run inside a Windows guest (the MSI interrupt script, the switch-back script). They are
 * text generators; every value placed in them is escaped for the syntax it lands in. May import floors 0 to 2.
 */
package io.vgapass.guest;
