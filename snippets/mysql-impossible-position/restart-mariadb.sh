systemctl restart mariadb
