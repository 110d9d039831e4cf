swapoff /dev/sda2
mdadm --manage /dev/md0 --fail /dev/sda1 --remove /dev/sda1
mdadm --manage /dev/md1 --fail /dev/sda3 --remove /dev/sda3
