SET sql_log_bin = 0;
INSERT INTO demo.t (id, origin) VALUES (<ID>, '<ORIGIN>');
SET sql_log_bin = 1;
