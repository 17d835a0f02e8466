package io.vgapass.guest;

import io.vgapass.host.PciAddress;
import io.vgapass.host.PciDevice;
import io.vgapass.host.Printable;
import java.util.List;
import java.util.Locale;

/**
 * A PowerShell script for a Windows guest that switches every passed-through function of the card to message
 * signalled interrupts: for each function's {@code VEN_xxxx&DEV_xxxx} under {@code HKLM\SYSTEM\CurrentControlSet\Enum
 * \PCI}, every instance gets {@code Device Parameters\Interrupt Management\MessageSignaledInterruptProperties\
 * MSISupported = 1}. Idempotent: values already 1 are left alone, and it prints what it changed.
 */
public final class MsiScript {
  private MsiScript() {}

  public static String of(PciAddress card, List<PciDevice> functions) {
    if (functions.isEmpty()) throw new IllegalArgumentException("no functions for " + card);
    StringBuilder ids = new StringBuilder();
    StringBuilder list = new StringBuilder();
    for (PciDevice f : functions) {
      // the ids land in single-quoted PowerShell strings; from a captured or hand-made --sysroot they could hold
      // anything, so only what a PCI id is goes in
      if (!f.vendorId().matches("[0-9a-fA-F]{4}") || !f.deviceId().matches("[0-9a-fA-F]{4}")) {
        throw new IllegalArgumentException(f.address() + ": vendor/device id '"
            + Printable.of(f.ids()) + "' is not two 4-digit hex numbers; check the "
            + "host's /sys/bus/pci/devices/" + f.address());
      }
      String id = "VEN_" + f.vendorId().toUpperCase(Locale.ROOT) + "&DEV_" + f.deviceId().toUpperCase(Locale.ROOT);
      if (ids.indexOf("'" + id + "'") >= 0) continue;
      if (ids.length() > 0) ids.append(", ");
      ids.append('\'').append(id).append('\'');
      list.append("#   ").append(f.address()).append(' ').append(f.ids()).append(' ').append(f.kind()).append('\n');
    }
    return """
        # vgapass guest msi: MSI interrupts for the functions of the card %1$s passed to this guest.
        # Functions (matched by vendor and device id):
        %2$s# Run in the guest as Administrator, then reboot the guest. Running it again changes nothing.
        # On the host, vgapass verify then shows whether the card's interrupts are MSI.
        #Requires -RunAsAdministrator
        $ErrorActionPreference = 'Stop'
        $Ids = @(%3$s)
        $Enum = 'HKLM:\\SYSTEM\\CurrentControlSet\\Enum\\PCI'
        $Changed = 0
        foreach ($Id in $Ids) {
            $Found = $false
            foreach ($Dev in Get-ChildItem -Path $Enum | Where-Object { $_.PSChildName -like "$Id&*" }) {
                foreach ($Inst in Get-ChildItem -Path $Dev.PSPath) {
                    $Found = $true
                    $Key = Join-Path $Inst.PSPath 'Device Parameters\\Interrupt Management\\MessageSignaledInterruptProperties'
                    $Name = "$($Dev.PSChildName)\\$($Inst.PSChildName)"
                    if (-not (Test-Path $Key)) { New-Item -Path $Key -Force | Out-Null }
                    $Now = (Get-ItemProperty -Path $Key -Name MSISupported -ErrorAction SilentlyContinue).MSISupported
                    if ($Now -eq 1) {
                        Write-Output "already MSI: $Name"
                    } else {
                        New-ItemProperty -Path $Key -Name MSISupported -PropertyType DWord -Value 1 -Force | Out-Null
                        Write-Output "set MSISupported=1: $Name"
                        $Changed++
                    }
                }
            }
            if (-not $Found) { Write-Warning "no $Id in this guest: is the function passed through and its driver installed?" }
        }
        if ($Changed -gt 0) { Write-Output "$Changed changed: reboot the guest for MSI to take effect" } else { Write-Output 'nothing to change' }
        """.formatted(card, list, ids);
  }
}
