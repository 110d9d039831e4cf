# Print a vzctl command that doubles barrier and limit of every resource with a
# non-zero failcnt. It only prints: review the commands before running them.
# Values are doubled as decimal strings (awk numbers lose precision above 2^53).
# Assumes a 64-bit kernel: 9223372036854775807 and 2147483647 mean unlimited and
# are kept as they are, and no result exceeds 9223372036854775807.
awk '
BEGIN {
    MAX = "9223372036854775807"
    split("resource held maxheld barrier limit failcnt", col, " ")
}
function bad(msg,   line) {
    line = $0; gsub(/[ \t]+/, " ", line); sub(/^ /, "", line)
    printf "%s:%d: %s: %s\n", FILENAME, FNR, msg, line > "/dev/stderr"
    errors++
}
function unlimited(s) { return s == MAX || s == "2147483647" }
function double(s,   i, d, carry, r) {
    if (unlimited(s)) return s
    carry = 0; r = ""
    for (i = length(s); i > 0; i--) {
        d = substr(s, i, 1) * 2 + carry
        r = (d % 10) r
        carry = (d >= 10)
    }
    if (carry) r = "1" r
    sub(/^0+/, "", r); if (r == "") r = "0"
    if (length(r) > length(MAX) || (length(r) == length(MAX) && r > MAX)) return MAX
    return r
}
FNR == 1 { if ($1 != "Version:") bad("expected the Version: line"); next }
FNR == 2 {
    if ($0 !~ /^ *uid +resource +held +maxheld +barrier +limit +failcnt *$/)
        bad("expected the column header line")
    next
}
{
    o = ($1 ~ /^[0-9]+:$/)              # 1 on the first row of a container
    if (o) ct = substr($1, 1, length($1) - 1)
    else if (ct == "") { bad("resource row before any uid row"); next }
    if (NF != 6 + o) { bad("expected " (6 + o) " fields, found " NF); next }
    if ($(1 + o) !~ /^[a-z][a-z0-9_]*$/) { bad("not a resource name"); next }
    for (i = 2 + o; i <= NF; i++)
        if ($i !~ /^[0-9]+$/) { bad(col[i - o] " is not a number"); next }
    rows++
    if ($NF == 0) next
    res = $(1 + o); b = $(4 + o) ""; l = $(5 + o) ""
    if (unlimited(b) && unlimited(l))
        out[++n] = "# " ct " " res ": already unlimited, doubling changes nothing"
    else
        out[++n] = "vzctl set " ct " --" res "=" double(b) ":" double(l) " --save"
}
END {
    if (errors) { print errors " malformed line(s), nothing printed" > "/dev/stderr"; exit 1 }
    if (!rows) { print "no beancounter rows found" > "/dev/stderr"; exit 1 }
    if (!n) print "# no resource has a non-zero failcnt, nothing to raise"
    for (i = 1; i <= n; i++) print out[i]
}
' "${1:-/proc/user_beancounters}"
