sfdisk --no-act /dev/sdb < /root/sdb.layout
