#!/bin/sh
# Builds /vm/vmlinuz, /vm/initrd.gz and the environment record (/vm/os, /vm/packages) from what is installed.
set -eu
version=$(ls /lib/modules | head -n1)
root=/vm/root
mkdir -p /vm "$root"
cd "$root"
mkdir -p bin sbin etc dev proc sys tmp run mnt root sysroot boot lib64 usr/sbin usr/bin usr/lib \
    "lib/modules/$version"

cp /bin/busybox bin/busybox
for applet in $(/bin/busybox --list); do
    [ -e "bin/$applet" ] || ln -s busybox "bin/$applet"
done

# The real tools the runbook's commands call, replacing busybox's smaller versions, with their libraries.
for tool in /sbin/mdadm /sbin/sfdisk /sbin/mke2fs /sbin/mkfs.ext4 /sbin/e2fsck /sbin/resize2fs /sbin/tune2fs \
            /sbin/dumpe2fs /sbin/blkid /sbin/mkswap /sbin/swapon /sbin/swapoff /bin/lsblk /usr/bin/sha256sum \
            /bin/df /bin/sed /bin/bash \
            /usr/sbin/grub-install /usr/sbin/grub-probe /usr/bin/grub-mkimage \
            /usr/bin/grub-mkrelpath /usr/bin/grub-editenv; do
    real=$(readlink -f "$tool")
    # GRUB's tools call each other by their installed paths; the others live in /bin.
    case "$tool" in */grub-*) target=".$tool" ;; *) target="bin/$(basename "$tool")" ;; esac
    # Replace busybox's link, not the busybox binary the link points to.
    rm -f "$target"
    cp "$real" "$target"
    ldd "$real" | awk '/=> \// { print $3 } /^\t\/lib64/ { print $1 }' | while read -r lib; do
        mkdir -p ".$(dirname "$lib")"
        [ -e ".$lib" ] || cp -L "$lib" ".$lib"
    done
done

mkdir -p usr/lib/grub usr/share/grub usr/share/locale
cp -a /usr/lib/grub/i386-pc usr/lib/grub/
cp -a /usr/share/grub/. usr/share/grub/ 2>/dev/null || true

# Disks on virtio-scsi appear as /dev/sda, /dev/sdb as on the page; the agent talks over virtio-serial.
for module in virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci virtio_scsi \
              scsi_mod scsi_common sd_mod virtio_console md-mod raid1; do
    path=$(modinfo -k "$version" -n "$module" 2>/dev/null || true)
    case "$path" in
        /*) mkdir -p ".$(dirname "$path")" && cp "$path" ".$path" ;;
    esac
done
cp /lib/modules/"$version"/modules.builtin* "lib/modules/$version/" 2>/dev/null || true
depmod -b "$root" "$version"

cp /vm-build/init.sh init && cp /vm-build/agent.sh sbin/agent && chmod 755 init sbin/agent
# The kernel rides along, so the guest can install itself into /boot (for a boot through GRUB).
mkdir -p usr/lib/runbook-vm && cp "/boot/vmlinuz-$version" usr/lib/runbook-vm/vmlinuz
cp /etc/os-release etc/os-release
echo 'root:x:0:0:root:/root:/bin/sh' > etc/passwd
find . | cpio -o -H newc -R 0:0 --quiet | gzip -1 > /vm/initrd.gz
cp "/boot/vmlinuz-$version" /vm/vmlinuz

. /etc/os-release
echo "$NAME $(cat /etc/debian_version) ($VERSION_CODENAME), kernel $version" > /vm/os
dpkg-query -W -f '${Package} ${Version}\n' mdadm fdisk e2fsprogs util-linux mount busybox-static grub-pc-bin \
    "linux-image-$version" > /vm/packages
