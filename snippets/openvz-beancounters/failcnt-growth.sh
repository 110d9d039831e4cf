# Compare an earlier copy of /proc/user_beancounters with the current file (or
# with a second copy) and list every failcnt that changed in between.
# Usage: bash failcnt-growth.sh EARLIER [LATER]
awk '
BEGIN { split("resource held maxheld barrier limit failcnt", col, " ") }
function bad(msg,   line) {
    line = $0; gsub(/[ \t]+/, " ", line); sub(/^ /, "", line)
    printf "%s:%d: %s: %s\n", FILENAME, FNR, msg, line > "/dev/stderr"
    errors++
}
FNR == 1 {
    file++; ct = ""
    if ($1 != "Version:") bad("expected the Version: line")
    next
}
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
    rows[file]++
    key = ct " " $(1 + o)
    if (file == 1) { before[key] = $NF; next }
    order[++n] = key; after[n] = $NF
}
END {
    if (errors) { print errors " malformed line(s), nothing compared" > "/dev/stderr"; exit 1 }
    if (file != 2 || !rows[1] || !rows[2]) {
        print "usage: failcnt-growth.sh EARLIER [LATER]; both need beancounter rows" > "/dev/stderr"
        exit 1
    }
    for (i = 1; i <= n; i++) {
        old = (order[i] in before) ? before[order[i]] : 0
        if (after[i] + 0 > old + 0) {
            changed++
            print order[i] " failcnt " old " -> " after[i] " (+" (after[i] - old) ")" \
                  ((order[i] in before) ? "" : ", container not in the earlier copy")
        } else if (after[i] + 0 < old + 0) {
            changed++
            print order[i] " failcnt " old " -> " after[i] " (counter reset: the container was restarted)"
        }
    }
    if (!changed) print "no failcnt changed between the two copies (" rows[2] " rows compared)"
}
' "${1:?usage: failcnt-growth.sh EARLIER [LATER]}" "${2:-/proc/user_beancounters}"
