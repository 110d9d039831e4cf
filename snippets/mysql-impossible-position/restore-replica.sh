mysql -e 'STOP SLAVE;'
mysql < /root/primary.sql
mysql -e 'START SLAVE;'
