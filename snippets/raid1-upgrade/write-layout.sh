sfdisk /dev/sdb < /root/sdb.layout
