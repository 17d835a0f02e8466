package io.vgapass.guest;

import io.vgapass.host.Printable;
import java.util.regex.Pattern;

/**
 * The guest's side of the switch-back service: a PowerShell script that calls {@code vgapass input serve} with the
 * bearer token, and an AutoHotkey (v2) hotkey that runs it.
 */
public final class SwitchScript {
  /** Where the hotkey expects the PowerShell script in the guest. */
  public static final String GUEST_PATH = "C:\\ProgramData\\vgapass\\switch-back.ps1";
  private static final Pattern URL = Pattern.compile("http://[0-9A-Za-z.:\\[\\]-]+:\\d{1,5}");
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]+");
  private static final Pattern HOTKEY = Pattern.compile("[#!^+<>*~$]*[A-Za-z0-9]+");

  private SwitchScript() {}

  /**
   * The domain is named only in a comment: there a line break would start a line of code of its own, and nothing
   * escapes it, so a domain name with one is refused; the other values are checked against what they may hold and
   * sit in single-quoted strings, where no character but {@code '} is special.
   */
  public static String powershell(String domain, String url, String token) {
    if (domain.chars().anyMatch(c -> Character.isISOControl(c) || c == '\u2028' || c == '\u2029')) {
      throw new IllegalArgumentException("--domain " + Printable.of(domain)
          + ": holds a control character (a line break?), which would start a line of its own in the script; "
          + "give the domain's name without it");
    }
    if (!URL.matcher(url).matches()) throw new IllegalArgumentException("--url " + url + ": use http://ADDR:PORT");
    int port = Integer.parseInt(url.substring(url.lastIndexOf(':') + 1));
    if (port < 1 || port > 65535) throw new IllegalArgumentException("--url " + url + ": port 1 to 65535");
    if (!TOKEN.matcher(token).matches()) throw new IllegalArgumentException("the token holds unexpected characters");
    return """
        # vgapass switch script for the guest %1$s (written by vgapass guest switch-script).
        # Gives this guest's keyboard and mouse back to the host, or takes them:
        #   powershell -NoProfile -ExecutionPolicy Bypass -File %3$s [switch-back|switch-to-guest|status]
        # It holds the service's token: keep it where only administrators can read it.
        param([ValidateSet('switch-back', 'switch-to-guest', 'status')][string]$Action = 'switch-back')
        $Url = '%2$s'
        $Token = '%4$s'
        $Method = if ($Action -eq 'status') { 'Get' } else { 'Post' }
        try {
            $r = Invoke-RestMethod -Method $Method -Uri "$Url/$Action" -Headers @{ Authorization = "Bearer $Token" } -TimeoutSec 10
            Write-Output $r.message
        } catch {
            Write-Error "vgapass: $Action failed: $($_.Exception.Message)"
            exit 1
        }
        """.formatted(domain, url, GUEST_PATH, token);
  }

  /** An AutoHotkey v2 script: the hotkey (default Ctrl+Alt+Home) runs the PowerShell script hidden. */
  public static String autohotkey(String hotkey) {
    if (!HOTKEY.matcher(hotkey).matches()) {
      throw new IllegalArgumentException("--hotkey " + hotkey + ": an AutoHotkey hotkey such as ^!Home or #F12");
    }
    return """
        ; vgapass: %1$s gives the keyboard and mouse back to the host (written by vgapass guest switch-script --ahk).
        ; Save %2$s first (vgapass guest switch-script > switch-back.ps1); put this file in shell:startup.
        #Requires AutoHotkey v2.0
        %1$s::Run('powershell.exe -NoProfile -ExecutionPolicy Bypass -WindowStyle Hidden -File "%2$s"', , 'Hide')
        """.formatted(hotkey, GUEST_PATH);
  }
}
