#!/bin/sh
# Regenerates the EFI option ROM fixtures in src/test/resources/io/vgapass/host/rom (README.md there) with EDK2's
# own EfiRom: the EFI e1000 driver of QEMU's iPXE ROM, unsigned and signed by a throwaway key, wrapped compressed
# (-ec) and uncompressed (-e). Needs curl, xz, gcc, make, uuid-dev, python3, openssl, sbsigntool, ipxe-qemu.
# The key is made fresh each run, so the signed fixtures differ from run to run; the unsigned ones do not.
set -eu
repo=$(cd "$(dirname "$0")/.." && pwd)
out=$repo/src/test/resources/io/vgapass/host/rom
work=${WORK:-/tmp/vgapass-rom-fixtures}
tarball=edk2_2022.11.orig.tar.xz
sha256=64257dd8a2778c969b8a869cd3b6eda2db2a346bfcf24dc729859745968f1fd6
ipxe=/usr/lib/ipxe/qemu/efi-e1000.rom
mkdir -p "$work" && cd "$work"
[ -f "$tarball" ] || curl -sSfO "http://deb.debian.org/debian/pool/main/e/edk2/$tarball"
echo "$sha256  $tarball" | sha256sum -c -
[ -d edk2-2022.11 ] || tar xJf "$tarball"
tools=$work/edk2-2022.11/BaseTools/Source/C
[ -x "$tools/bin/EfiRom" ] || { make -s -C "$tools/Common" && make -s -C "$tools/EfiRom"; }
"$tools/bin/EfiRom" --version || true # exits 1 after printing

# the second image of iPXE's ROM is EFI (code type 3, EfiSignature 0x0EF1, uncompressed); its PE starts at the
# header's offset and ends where its last section's raw data does
python3 - "$ipxe" e1000.efi <<'PY'
import struct, sys
rom = open(sys.argv[1], 'rb').read()
off = 0
while True:
    assert rom[off:off + 2] == b'\x55\xaa'
    pcir = off + struct.unpack_from('<H', rom, off + 0x18)[0]
    blocks, code_type, last = struct.unpack_from('<H', rom, pcir + 0x10)[0], rom[pcir + 0x14], rom[pcir + 0x15] & 0x80
    if code_type == 3:
        break
    assert not last
    off += blocks * 512
assert struct.unpack_from('<H', rom, off + 4)[0] == 0x0EF1 and struct.unpack_from('<H', rom, off + 0x0C)[0] == 0
pe = off + struct.unpack_from('<H', rom, off + 0x16)[0]
nt = pe + struct.unpack_from('<I', rom, pe + 0x3C)[0]
sections, opt = struct.unpack_from('<H', rom, nt + 6)[0], struct.unpack_from('<H', rom, nt + 20)[0]
table = nt + 24 + opt
end = max(struct.unpack_from('<II', rom, table + 40 * i + 16)[0] + struct.unpack_from('<II', rom, table + 40 * i + 16)[1]
          for i in range(sections))
open(sys.argv[2], 'wb').write(rom[pe:pe + end])
print('EFI image at 0x%x, PE at 0x%x, %d bytes' % (off, pe, end))
PY

openssl req -new -x509 -newkey rsa:2048 -nodes -sha256 -days 36500 -subj "/CN=vgapass test option ROM signer" \
  -keyout signer.key -out signer.crt 2>/dev/null
sbsign --key signer.key --cert signer.crt --output e1000-signed.efi e1000.efi

rom() { "$tools/bin/EfiRom" -f 0x8086 -i 0x100E "$@"; }
rom -ec e1000.efi -o "$out/e1000-compressed-unsigned.rom"
rom -ec e1000-signed.efi -o "$out/e1000-compressed-signed.rom"
rom -e e1000-signed.efi -o "$out/e1000-uncompressed-signed.rom"
# the PEs that went in, for the tests to compare the decompressed images with
sha256sum e1000.efi e1000-signed.efi > "$out/pe.sha256"
cp signer.crt "$out/signer.crt"
ls -l "$out"
sha256sum "$out"/*.rom "$out"/signer.crt
