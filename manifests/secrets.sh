#!/usr/bin/env bash
# Writes the Secrets' files that overlays/minikube's secretGenerator reads (git-ignored):
#   secrets/postgres-password   random, for PostgreSQL and every service (PG_PASSWORD)
#   secrets/jwt-es256.pem       P-256 private key (PKCS#8 PEM) that signs access tokens
#   secrets/jwt-key-id          its kid, published in the JWKS
# Existing files are kept, so running it again changes nothing. --rotate-jwt makes a new key and
# kid (see README: rotating the JWT key). Usage: manifests/secrets.sh [--rotate-jwt] [dir]
set -euo pipefail
rotate=false
if [ "${1:-}" = "--rotate-jwt" ]; then rotate=true; shift; fi
dir="${1:-$(cd "$(dirname "$0")" && pwd)/overlays/minikube/secrets}"
command -v openssl >/dev/null || { echo "secrets.sh: openssl is required (apt-get install openssl)" >&2; exit 1; }
umask 077
mkdir -p "$dir"
if [ ! -s "$dir/postgres-password" ]; then
  openssl rand -hex 24 | tr -d '\n' > "$dir/postgres-password"
  echo "secrets.sh: wrote $dir/postgres-password"
fi
if [ "$rotate" = true ] || [ ! -s "$dir/jwt-es256.pem" ] || [ ! -s "$dir/jwt-key-id" ]; then
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$dir/jwt-es256.pem.tmp" 2>/dev/null
  mv "$dir/jwt-es256.pem.tmp" "$dir/jwt-es256.pem"
  printf 'jwt-%s-%s' "$(date -u +%Y%m%d)" "$(openssl rand -hex 4)" > "$dir/jwt-key-id"
  echo "secrets.sh: wrote $dir/jwt-es256.pem (kid $(cat "$dir/jwt-key-id"))"
fi
