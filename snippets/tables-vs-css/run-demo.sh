cd "$(dirname "$0")"
python3 stall-server.py 2>stall-server.log &
server=$!
trap 'kill "$server"' EXIT
# Wait until the server accepts connections (a fixed sleep loses the race on a busy machine).
until (exec 3<>/dev/tcp/127.0.0.1/8000) 2>/dev/null; do sleep 0.1; done
for page in table-layout.html css-layout.html flex-layout.html table-fixed.html; do
    curl -sS -o /dev/null -w "$page: first byte %{time_starttransfer}s, complete %{time_total}s\n" \
        "http://127.0.0.1:8000/$page"
done
