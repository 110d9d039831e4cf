pgrep -c -x saslauthd
