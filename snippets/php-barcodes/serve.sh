php -S 0.0.0.0:8080 -t /srv/barcode
