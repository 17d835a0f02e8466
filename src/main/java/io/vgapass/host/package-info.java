/**
 * Floor 0: the host as vgapass sees it. {@link io.vgapass.host.SysRoot} resolves every file read under one root
 * ({@code /}, a fixture, or a replayed capture), {@link io.vgapass.host.HostReader} builds the immutable
 * {@link io.vgapass.host.Host} model once, {@link io.vgapass.host.GpuAnalyzer} gives each GPU its verdict, and
 * {@link io.vgapass.host.CaptureArchive} saves and replays captures.
 *
 * <p>Must not import any other vgapass package (the sketch sub-package uses this one, never the reverse). See
 * {@code docs/architecture.md}.
 */
package io.vgapass.host;
