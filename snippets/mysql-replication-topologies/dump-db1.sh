mysqldump --all-databases --single-transaction --master-data=1 \
  --routines --events --triggers > /root/db1.sql
