timedatectl status
date -u +%Y%m%dT%H%M%SZ
