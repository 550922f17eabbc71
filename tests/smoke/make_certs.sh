#!/usr/bin/env bash
# make_certs.sh DIR: a throw-away test CA and three server certificates signed by it, all for the
# loopback servers of smoke-test's tests:
#   ca.pem                    the CA (pass it with --cacert)
#   good.pem / good.key       localhost + 127.0.0.1, valid for 400 days
#   expiring.pem / .key       localhost + 127.0.0.1, valid for 5 days
#   wronghost.pem / .key      only wrong.example, valid for 400 days
set -euo pipefail
dir=$1
mkdir -p "$dir"
cd "$dir"
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 30 \
  -subj "/CN=gantry smoke-test CA" -addext "basicConstraints=critical,CA:TRUE" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
issue() {  # name days subjectAltName
  openssl req -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.csr" -subj "/CN=$1" 2>/dev/null
  printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' "$3" > "$1.ext"
  openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -out "$1.pem" -days "$2" \
    -extfile "$1.ext" 2>/dev/null
}
issue good 400 "DNS:localhost,IP:127.0.0.1"
issue expiring 5 "DNS:localhost,IP:127.0.0.1"
issue wronghost 400 "DNS:wrong.example"
