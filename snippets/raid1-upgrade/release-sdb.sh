swapoff /dev/sdb2
mdadm --manage /dev/md0 --fail /dev/sdb1 --remove /dev/sdb1
mdadm --manage /dev/md1 --fail /dev/sdb3 --remove /dev/sdb3
