resize2fs /dev/md1
