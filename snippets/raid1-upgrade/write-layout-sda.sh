sfdisk /dev/sda < /root/sda.layout
