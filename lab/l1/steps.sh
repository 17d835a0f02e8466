#!/bin/bash
# prototype
mode=$1 repo=$2
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

up() { cut -d' ' -f1 /proc/uptime; }
echo "steps start at $(up)"
JAR=$repo/target/vgapass.jar
B="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -XX:SharedArchiveFile=$repo/target/vgapass.jsa"
java -Xshare:auto -XX:SharedArchiveFile=$repo/target/vgapass.jsa -Xlog:cds=info -jar $JAR --version 2>&1 | head -5
sed -i 's/^#\? *namespaces *=.*//' /etc/libvirt/qemu.conf; echo 'namespaces = [ ]' >> /etc/libvirt/qemu.conf
t=$(up); virtlogd -d; LIBVIRT_LOG_OUTPUTS="3:file:/var/log/libvirt/libvirtd.log" libvirtd -d
for i in $(seq 120); do virsh -c qemu:///system version >/dev/null 2>&1 && break; sleep 0.5; done
echo "libvirtd up after $(up) (start $t)"
time virsh -c qemu:///system domcapabilities --virttype qemu >/dev/null
echo "caps at $(up)"
ls -la /var/cache/libvirt/qemu/capabilities/
grep -i capab /var/log/libvirt/libvirtd.log | head
