vzcfgvalidate /etc/vz/conf/908.conf
