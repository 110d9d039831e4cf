systemctl enable saslauthd
systemctl start saslauthd
systemctl restart postfix
