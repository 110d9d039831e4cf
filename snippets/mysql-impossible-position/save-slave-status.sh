mysql -e 'SHOW SLAVE STATUS\G' > /root/slave-status-before.txt
