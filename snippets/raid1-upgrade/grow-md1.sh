mdadm --grow /dev/md1 --size=max
