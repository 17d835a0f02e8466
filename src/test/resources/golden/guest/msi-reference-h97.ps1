# vgapass guest msi: MSI interrupts for the functions of the card 0000:01:00.0 passed to this guest.
# Functions (matched by vendor and device id):
#   0000:01:00.0 10de:1c03 VGA
#   0000:01:00.1 10de:10f1 audio
# Run in the guest as Administrator, then reboot the guest. Running it again changes nothing.
# On the host, vgapass verify then shows whether the card's interrupts are MSI.
#Requires -RunAsAdministrator
$ErrorActionPreference = 'Stop'
$Ids = @('VEN_10DE&DEV_1C03', 'VEN_10DE&DEV_10F1')
$Enum = 'HKLM:\SYSTEM\CurrentControlSet\Enum\PCI'
$Changed = 0
foreach ($Id in $Ids) {
    $Found = $false
    foreach ($Dev in Get-ChildItem -Path $Enum | Where-Object { $_.PSChildName -like "$Id&*" }) {
        foreach ($Inst in Get-ChildItem -Path $Dev.PSPath) {
            $Found = $true
            $Key = Join-Path $Inst.PSPath 'Device Parameters\Interrupt Management\MessageSignaledInterruptProperties'
            $Name = "$($Dev.PSChildName)\$($Inst.PSChildName)"
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
