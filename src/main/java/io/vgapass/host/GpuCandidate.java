package io.vgapass.host;

import java.util.List;

/**
 * A display device judged for passthrough.
 *
 * @param functions the card's own functions on its slot (VGA, HDMI audio, USB, UCSI: {@link PciClasses#cardFunction})
 * @param groupMembers every device in the groups the card's functions are in
 * @param groups the IOMMU groups that must go to the VM together
 * @param isolated the groups hold only this card's functions and bridges
 * @param passable it can be given to a VM now
 * @param reasons why it cannot be passed now (empty when passable)
 * @param plannable it can be passed once the host is prepared (IOMMU switched on)
 * @param notes facts worth knowing that do not block (split groups, a missing audio function)
 * @param cardPolicy the card family table's row for the card (reset, binding, ROM BAR, source)
 */
public record GpuCandidate(
  PciAddress address,
  String ids,
  String vendor,
  String driver,
  Boolean bootVga,
  Integer iommuGroup,
  List<PciAddress> functions,
  List<PciAddress> groupMembers,
  List<Integer> groups,
  boolean isolated,
  boolean passable,
  List<String> reasons,
  boolean plannable,
  List<String> notes,
  CardPolicy cardPolicy) {}
