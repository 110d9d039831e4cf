cd "$(dirname "$0")"
python3 stall-server.py 2>stall-server.log &
server=$!
trap 'kill "$server"' EXIT
sleep 1
for page in table-layout.html css-layout.html table-fixed.html; do
    curl -sS -o /dev/null -w "$page: first byte %{time_starttransfer}s, complete %{time_total}s\n" \
        "http://127.0.0.1:8000/$page"
done
