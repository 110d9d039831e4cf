mkswap -U <OLD_SWAP_UUID> /dev/sdb2
swapon /dev/sdb2
