grep 'SASL' /var/log/mail.log | tail -n 2
