grub-install /dev/sdb
