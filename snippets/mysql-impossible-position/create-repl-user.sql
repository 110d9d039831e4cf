SET sql_log_bin = 0;
CREATE USER 'repl'@'%' IDENTIFIED BY '<REPL_PASSWORD>';
GRANT REPLICATION SLAVE ON *.* TO 'repl'@'%';
SET sql_log_bin = 1;
