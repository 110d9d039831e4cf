ls -l /var/lib/mysql/<LOGFILE>
