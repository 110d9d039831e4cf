service saslauthd start
service postfix restart
