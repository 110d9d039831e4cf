pt-table-sync --replicate=percona.checksums --sync-to-master --print \
  h=db2,u=checksum,p=<CHECKSUM_PASSWORD>
