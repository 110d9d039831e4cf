service mariadb restart
