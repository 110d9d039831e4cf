mdadm /dev/md1 --add <LEFT_OUT>
