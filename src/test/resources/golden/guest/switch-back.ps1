# vgapass switch script for the guest win10 (written by vgapass guest switch-script).
# Gives this guest's keyboard and mouse back to the host, or takes them:
#   powershell -NoProfile -ExecutionPolicy Bypass -File C:\ProgramData\vgapass\switch-back.ps1 [switch-back|switch-to-guest|status]
# It holds the service's token: keep it where only administrators can read it.
param([ValidateSet('switch-back', 'switch-to-guest', 'status')][string]$Action = 'switch-back')
$Url = 'http://192.168.150.1:47801'
$Token = 'tok_ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ab'
$Method = if ($Action -eq 'status') { 'Get' } else { 'Post' }
try {
    $r = Invoke-RestMethod -Method $Method -Uri "$Url/$Action" -Headers @{ Authorization = "Bearer $Token" } -TimeoutSec 10
    Write-Output $r.message
} catch {
    Write-Error "vgapass: $Action failed: $($_.Exception.Message)"
    exit 1
}
