SET GLOBAL sql_replica_skip_counter = 1;
