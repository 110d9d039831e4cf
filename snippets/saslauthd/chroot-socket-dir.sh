# smtpd runs chrooted in /var/spool/postfix (Debian default), so saslauthd's
# socket must live inside the chroot and be reachable by the postfix user.
dpkg-statoverride --add root sasl 710 /var/spool/postfix/var/run/saslauthd
adduser postfix sasl
