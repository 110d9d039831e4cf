mkinitramfs -o /boot/initrd.img-2.6.31-20-generic 2.6.31-20-generic
