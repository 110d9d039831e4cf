cp -p /etc/default/saslauthd.orig /etc/default/saslauthd
systemctl restart saslauthd
