mariadb-binlog /var/lib/mysql/<LOGFILE> | grep end_log_pos | tail -n 5
