# Debian 13's Postfix has no TLS certificate configured; without STARTTLS,
# smtpd_tls_auth_only = yes offers no AUTH at all. Use your own certificate;
# the lab uses Debian's self-signed one from the ssl-cert package.
postconf -e 'smtpd_tls_cert_file = /etc/ssl/certs/ssl-cert-snakeoil.pem' \
  'smtpd_tls_key_file = /etc/ssl/private/ssl-cert-snakeoil.key' \
  'smtpd_tls_security_level = may'
