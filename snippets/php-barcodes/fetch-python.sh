curl -sS -o /tmp/barcode-12345.png -w '%{http_code} %{content_type}\n' 'http://127.0.0.1:8080/?number=12345'
file /tmp/barcode-12345.png
