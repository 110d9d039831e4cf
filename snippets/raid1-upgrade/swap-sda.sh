mkswap -U <OLD_SWAP_UUID> /dev/sda2
swapon /dev/sda2
