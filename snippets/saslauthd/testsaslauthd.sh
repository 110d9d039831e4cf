testsaslauthd -u alice -p lab-secret -f /var/spool/postfix/var/run/saslauthd/mux
