mariadb-binlog /var/lib/mysql/<LOGFILE> | tail -n 100
