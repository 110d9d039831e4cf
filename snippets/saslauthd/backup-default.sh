cp -p /etc/default/saslauthd /etc/default/saslauthd.orig
