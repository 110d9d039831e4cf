mysql < /root/db1.sql
