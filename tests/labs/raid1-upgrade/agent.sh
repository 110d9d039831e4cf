#!/bin/sh
# The command channel: one line in (a base64 shell script), its output and exit status back out. Scripts
# run in bash: busybox sh would run its own applets (mkswap, blkid …) in place of the real tools.
export PATH=/sbin:/bin:/usr/sbin:/usr/bin HOME=/root
cd /
[ -e /proc/mounts ] || mount -t proc proc /proc
[ -d /sys/block ] || mount -t sysfs sysfs /sys
mkdir -p /tmp /run
# The port QEMU names "agent" (its number depends on the other virtio devices).
port=
for _ in $(seq 50); do
    for dir in /sys/class/virtio-ports/*; do
        [ "$(cat "$dir/name" 2>/dev/null)" = agent ] && port=/dev/${dir##*/}
    done
    [ -n "$port" ] && [ -e "$port" ] && break
    sleep 0.1
done
# Rebuilds here run on a few MiB: let md use the (emulated) disks at full speed instead of its idle-time pace.
echo 500000 > /proc/sys/dev/raid/speed_limit_min 2>/dev/null
echo "runbook-vm: agent ready on $port"
# A virtio-serial port opens once: read and write through the same descriptor.
while true; do
    exec 3<>"$port"
    while read -r line <&3; do
        echo "$line" | base64 -d > /tmp/.agent-script
        bash /tmp/.agent-script > /tmp/.agent-output 2>&1 < /dev/null
        status=$?
        printf 'OUT %s\nEXIT %s\n' "$(base64 -w0 < /tmp/.agent-output)" "$status" >&3
    done
    exec 3>&-
    sleep 0.2
done
