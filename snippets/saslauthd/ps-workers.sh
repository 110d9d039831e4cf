ps -f -C saslauthd
