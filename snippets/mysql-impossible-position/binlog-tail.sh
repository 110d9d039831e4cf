mysqlbinlog /var/lib/mysql/<LOGFILE> | tail -n 100
