php -S 127.0.0.1:8080 -t /srv/barcode
