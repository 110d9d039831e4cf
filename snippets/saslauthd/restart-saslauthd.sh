service saslauthd restart
