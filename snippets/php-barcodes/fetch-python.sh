curl -sS -o /tmp/barcode-12345.png -w '%{http_code} %{content_type}\n' 'http://<PYTHON_HOST>:8000/?number=12345'
file /tmp/barcode-12345.png
