apt-get install -y php-cli php-gd php-tcpdf
