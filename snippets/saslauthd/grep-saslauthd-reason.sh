grep -E 'auth_rimap|auth failure' /var/log/auth.log | tail -n 2
