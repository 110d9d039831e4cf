#!/bin/sh
# PID 1 of the micro-VM. Loads the drivers, assembles whatever arrays the disks hold and, when md1 carries a
# system (an installed agent), switches into it, as a machine boots from its RAID root. Otherwise the
# initramfs itself is the system: the state of a machine being set up.
export PATH=/sbin:/bin:/usr/sbin:/usr/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
modprobe scsi_mod scan=sync
for module in virtio_pci virtio_scsi sd_mod virtio_console raid1; do
    modprobe "$module"
done
# Wait (bounded) until every SCSI device the scan found has its disk.
for _ in $(seq 100); do
    devices=$(ls -d /sys/bus/scsi/devices/[0-9]* 2>/dev/null | wc -l)
    disks=$(ls -d /sys/block/sd* 2>/dev/null | wc -l)
    [ "$devices" -gt 0 ] && [ "$devices" = "$disks" ] && break
    sleep 0.1
done
# sd probes disks asynchronously, so sda, sdb … would follow whichever probe finished first. Bind them again
# one by one in target order: the first disk QEMU attached is sda, as the first cable is on a real machine.
for dev in /sys/bus/scsi/drivers/sd/[0-9]*; do echo "${dev##*/}" > /sys/bus/scsi/drivers/sd/unbind; done
for dev in $(ls /sys/bus/scsi/devices | grep '^[0-9]' | sort -t: -k3,3n); do
    echo "$dev" > /sys/bus/scsi/drivers/sd/bind
done
echo "runbook-vm: disks: $(ls /dev/sd? 2>/dev/null | tr '\n' ' ')"
mdadm --assemble --scan --run >/dev/null 2>&1 || true
if [ -b /dev/md1 ] && mount /dev/md1 /sysroot 2>/dev/null; then
    if [ -x /sysroot/sbin/agent ]; then
        echo "runbook-vm: root on md1"
        mount --move /dev /sysroot/dev
        umount /proc /sys
        exec switch_root /sysroot /sbin/agent
    fi
    umount /sysroot
fi
echo "runbook-vm: root in the initramfs"
exec /sbin/agent
