sfdisk --no-act /dev/sda < /root/sda.layout
