mdadm --detail /dev/md1
df -h /
