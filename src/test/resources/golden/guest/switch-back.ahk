; vgapass: ^!Home gives the keyboard and mouse back to the host (written by vgapass guest switch-script --ahk).
; Save C:\ProgramData\vgapass\switch-back.ps1 first (vgapass guest switch-script > switch-back.ps1); put this file in shell:startup.
#Requires AutoHotkey v2.0
^!Home::Run('powershell.exe -NoProfile -ExecutionPolicy Bypass -WindowStyle Hidden -File "C:\ProgramData\vgapass\switch-back.ps1"', , 'Hide')
