blkid -s UUID -o value /dev/sdb2
