# Lab plumbing, not part of the runbook: small transactions on db1, one after the other, until
# /tmp/stop-load exists, so that the replicas are moved while the primary takes writes.
mariadb -e "CREATE TABLE IF NOT EXISTS demo.load (id INT AUTO_INCREMENT PRIMARY KEY, at DATETIME(6))"
while [ ! -e /tmp/stop-load ]; do
  mariadb -e "INSERT INTO demo.load (at) VALUES (NOW(6))"
done
