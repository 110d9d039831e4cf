install -d /srv/barcode
install -m 0644 barcode.php /srv/barcode/barcode.php
