mysql -e 'STOP REPLICA;'
mysql < /root/primary.sql
mysql -e 'START REPLICA;'
