SET sql_log_bin = 0;
DELETE FROM demo.t WHERE id = <KEY>;
SET sql_log_bin = 1;
