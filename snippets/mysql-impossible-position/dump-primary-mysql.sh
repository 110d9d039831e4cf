mysqldump --all-databases --single-transaction --source-data=1 \
  --routines --events > /root/primary.sql
