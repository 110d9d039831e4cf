grub-install /dev/sda
