SET GLOBAL sql_slave_skip_counter = 1;
