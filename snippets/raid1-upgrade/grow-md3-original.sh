mdadm --grow /dev/md3 --size=max
