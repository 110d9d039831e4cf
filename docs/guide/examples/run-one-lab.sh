make lab RUNBOOK=saslauthd                                  # its lab on Debian 13, then Debian 12
make lab RUNBOOK=saslauthd ARGS="--release debian-13 -x"    # one release; stop at the first failure
make lab RUNBOOK="saslauthd php-barcodes" ARGS="-n 2"       # two labs, one worker each
