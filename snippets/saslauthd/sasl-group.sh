# smtpd (as postfix) must enter the socket directory, which belongs to group sasl.
adduser postfix sasl
systemctl daemon-reload
