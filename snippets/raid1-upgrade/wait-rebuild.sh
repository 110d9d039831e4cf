for md in md0 md1; do
  while [ "$(cat /sys/block/$md/md/degraded)" != 0 ] ||
        [ "$(cat /sys/block/$md/md/sync_action)" != idle ]; do
    sleep 10
  done
done
cat /proc/mdstat
