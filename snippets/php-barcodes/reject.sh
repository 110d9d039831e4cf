curl -sS -w '%{http_code} %{content_type}\n' 'http://127.0.0.1:8080/barcode.php?number='
curl -sS -w '%{http_code} %{content_type}\n' "http://127.0.0.1:8080/barcode.php?number=$(printf '9%.0s' $(seq 81))"
curl -sS -w '%{http_code} %{content_type}\n' 'http://127.0.0.1:8080/barcode.php?number=caf%C3%A9'
