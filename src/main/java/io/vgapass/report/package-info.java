/**
 * Floor 2: the self-contained HTML report and its SVG pictures (IOMMU groups, the VM's CPU map). Reads
 * {@code host}, {@code doctor} and {@code plan}; the domain XML comes in as text, so it must not import
 * {@code domain}, {@code apply}, floor 3 or {@code cli}.
 */
package io.vgapass.report;
