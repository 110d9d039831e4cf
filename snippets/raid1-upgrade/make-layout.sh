sfdisk -d /dev/sda \
  | sed -e '/^label-id:/d' -e '/^last-lba:/d' -e 's/, *uuid=[^,]*//' \
        -e '$ s/size= *[0-9]*, //' > /root/sdb.layout
