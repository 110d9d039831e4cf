systemctl restart saslauthd
