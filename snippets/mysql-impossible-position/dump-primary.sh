mysqldump --all-databases --single-transaction --master-data=1 \
  --routines --events > /root/primary.sql
