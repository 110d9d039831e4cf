# Usage: bash scan-check.sh URL   (URL of the endpoint, without the query string)
# Fetches a barcode for each test value, decodes it with zbarimg and compares.
url=$1
while IFS= read -r value; do
    curl -sS --fail -G --data-urlencode "number=$value" -o /tmp/scan.png "$url" || { echo "FAILED   $value"; continue; }
    decoded=$(zbarimg --raw -q --nodbus /tmp/scan.png)
    if [ "$decoded" = "$value" ]; then
        echo "ok       $value"
    else
        echo "MISMATCH $value -> $decoded"
    fi
done <<'VALUES'
12345
0123456789012345678901234567890123456789
Hello World!
INV-2026/11-0042
The quick brown fox jumps over the lazy dog 1234
!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~
x
12345678901234567890123456789012345678901234567890123456789012345678901234567890
VALUES
