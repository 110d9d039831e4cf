# List every beancounter whose failcnt is not zero. Run as root on the host node.
# Optional argument: a saved copy of the file instead of /proc/user_beancounters.
awk '
BEGIN { split("resource held maxheld barrier limit failcnt", col, " ") }
function bad(msg,   line) {
    line = $0; gsub(/[ \t]+/, " ", line); sub(/^ /, "", line)
    printf "%s:%d: %s: %s\n", FILENAME, FNR, msg, line > "/dev/stderr"
    errors++
}
FNR == 1 { if ($1 != "Version:") bad("expected the Version: line"); next }
FNR == 2 {
    if ($0 !~ /^ *uid +resource +held +maxheld +barrier +limit +failcnt *$/)
        bad("expected the column header line")
    next
}
{
    o = ($1 ~ /^[0-9]+:$/)              # 1 on the first row of a container
    if (o) { ct = substr($1, 1, length($1) - 1); cts++ }
    else if (ct == "") { bad("resource row before any uid row"); next }
    if (NF != 6 + o) { bad("expected " (6 + o) " fields, found " NF); next }
    if ($(1 + o) !~ /^[a-z][a-z0-9_]*$/) { bad("not a resource name"); next }
    for (i = 2 + o; i <= NF; i++)
        if ($i !~ /^[0-9]+$/) { bad(col[i - o] " is not a number"); next }
    rows++
    if ($NF != 0)
        out[++n] = sprintf("%s %s held=%s maxheld=%s barrier=%s limit=%s failcnt=%s",
                           ct, $(1 + o), $(2 + o), $(3 + o), $(4 + o), $(5 + o), $NF)
}
END {
    if (errors) { print errors " malformed line(s), nothing reported" > "/dev/stderr"; exit 1 }
    if (!rows) { print "no beancounter rows found" > "/dev/stderr"; exit 1 }
    if (!n) print "no resource has a non-zero failcnt (" cts " containers, " rows " rows checked)"
    for (i = 1; i <= n; i++) print out[i]
}
' "${1:-/proc/user_beancounters}"
