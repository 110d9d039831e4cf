pt-table-checksum --no-check-binlog-format --replicate=percona.checksums \
  --databases=<DB> h=db1,u=checksum,p=<CHECKSUM_PASSWORD>
