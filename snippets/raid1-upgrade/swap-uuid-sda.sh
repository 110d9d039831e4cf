blkid -s UUID -o value /dev/sda2
