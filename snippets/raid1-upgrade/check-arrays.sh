cat /proc/mdstat
mdadm --detail /dev/md0 /dev/md1
