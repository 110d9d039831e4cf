mysqldump --all-databases --single-transaction --source-data=1 \
  --routines --events > /root/db1.sql
