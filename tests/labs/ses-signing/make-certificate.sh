#!/bin/sh
# A certificate for the endpoint name the page's commands use ($1), from a CA made for this image alone and
# added to its trust store. The CA's key is deleted once it has signed, so it can vouch for nothing else.
set -eu
dir=/opt/ses-lab/tls
mkdir -p "$dir" && cd "$dir"
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 3650 -subj "/CN=runbook lab CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj "/CN=$1" 2>/dev/null
printf 'subjectAltName=DNS:%s\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n' "$1" > server.ext
openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out server.crt -days 3650 \
    -extfile server.ext 2>/dev/null
rm ca.key server.csr server.ext
cp ca.crt /usr/local/share/ca-certificates/runbook-lab-ca.crt
update-ca-certificates >/dev/null
