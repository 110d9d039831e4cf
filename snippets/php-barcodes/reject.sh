# Usage: bash reject.sh URL   (URL of the endpoint, without the query string)
url=$1
curl -sS -w '%{http_code} %{content_type}\n' "$url?number="
curl -sS -w '%{http_code} %{content_type}\n' "$url?number=$(printf '9%.0s' $(seq 81))"
curl -sS -w '%{http_code} %{content_type}\n' "$url?number=caf%C3%A9"
curl -sS -w '%{http_code} %{content_type}\n' "$url?number=tab%09here"
