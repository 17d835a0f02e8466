/**
 * The libvirt XML engine: domains, and the networks vgapass defines.
 *
 * <ul>
 *   <li>{@link io.vgapass.domain.XmlDoc}: reads domain XML safely (no DTDs, no external entities), edits it through the
 *       DOM with an XPath-like property layer ({@code get/set/remove/list/add/ensure}, after virt-manager's
 *       {@code XMLProperty}), and writes it back in libvirt's layout, keeping all it does not touch;</li>
 *   <li>{@link io.vgapass.domain.XmlNode}: a handle on one element, with the same operations relative to it;</li>
 *   <li>{@link io.vgapass.domain.ElementOrder}: where new elements go (libvirt's {@code virsh dumpxml} order);</li>
 *   <li>{@link io.vgapass.domain.SchemaValidator}: checks a domain against libvirt's own {@code domain.rng} (a
 *       network against {@code network.rng});</li>
 *   <li>{@link io.vgapass.domain.NetworkXml}: a libvirt network's paths and what vgapass reads from one;
 *       {@link io.vgapass.domain.HostOnlyNetwork} builds the host-only network with them.</li>
 * </ul>
 *
 * Tuners (CPU, memory, hostdev, ...) build on these and record vgapass's intent under
 * {@link io.vgapass.domain.XmlDoc#VGAPASS_NS} in the domain's {@code <metadata>}.
 *
 * <p>Floor 2: may import {@code host} and {@code plan}; must not import {@code apply}, {@code report}, floor 3 or
 * {@code cli}. The only package that parses or writes XML (DOM, SAX, Jing).
 */
package io.vgapass.domain;
