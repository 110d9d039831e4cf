cp -p /etc/default/saslauthd.orig /etc/default/saslauthd
service saslauthd restart
