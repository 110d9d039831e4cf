SET sql_log_bin = 0;
DELETE FROM demo.t WHERE id = 2;
SET sql_log_bin = 1;
START SLAVE;
