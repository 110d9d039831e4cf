curl -sS -o /tmp/barcode-12345.png -w '%{http_code} %{content_type}\n' 'http://<PHP_HOST>:8080/barcode.php?number=12345'
file /tmp/barcode-12345.png
