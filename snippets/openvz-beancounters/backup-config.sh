cp /etc/vz/conf/908.conf /root/908.conf.before
