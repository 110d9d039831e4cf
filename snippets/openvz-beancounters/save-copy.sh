cp /proc/user_beancounters /root/user_beancounters.before
