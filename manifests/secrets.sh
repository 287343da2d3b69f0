#!/usr/bin/env bash
# Writes the Secrets' files that overlays/minikube's secretGenerator reads (git-ignored):
#   secrets/postgres-password   random, for PostgreSQL and every service (PG_PASSWORD)
#   secrets/jwt-es256.pem       P-256 private key (PKCS#8 PEM) that signs access tokens
#   secrets/jwt-key-id          its kid, published in the JWKS
#   secrets/jwt-extra.pem       during a key rotation: the next or the previous key, published in
#   secrets/jwt-extra-key-id    the JWKS beside the signing key but never signing (empty otherwise)
# Existing files are kept, so running it again changes nothing.
#
# Rotating the JWT key (README "Rotating the JWT signing key"), each step followed by
# `kubectl apply -k manifests/overlays/minikube` and `kubectl -n shutterbus rollout status deploy/auth`:
#   --stage-jwt          1. a new key becomes the extra key: published, not yet signing
#   --rotate-jwt         2. the staged key signs; the old one stays published as the extra key
#   --drop-previous-jwt  3. once the access-token lifetime has passed: the old key is removed
#
# Usage: manifests/secrets.sh [--stage-jwt | --rotate-jwt | --drop-previous-jwt] [dir]
set -euo pipefail
step=""
case "${1:-}" in
  --stage-jwt|--rotate-jwt|--drop-previous-jwt) step="$1"; shift ;;
  -*) echo "secrets.sh: unknown option $1 (--stage-jwt, --rotate-jwt, --drop-previous-jwt)" >&2; exit 2 ;;
esac
dir="${1:-$(cd "$(dirname "$0")" && pwd)/overlays/minikube/secrets}"
command -v openssl >/dev/null || { echo "secrets.sh: openssl is required (apt-get install openssl)" >&2; exit 1; }
umask 077
mkdir -p "$dir"

new_key() {  # $1 = pem file, $2 = kid file
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.tmp" 2>/dev/null
  mv "$1.tmp" "$1"
  printf 'jwt-%s-%s' "$(date -u +%Y%m%d)" "$(openssl rand -hex 4)" > "$2.tmp"
  mv "$2.tmp" "$2"
}

if [ ! -s "$dir/postgres-password" ]; then
  openssl rand -hex 24 | tr -d '\n' > "$dir/postgres-password"
  echo "secrets.sh: wrote $dir/postgres-password"
fi
if [ ! -s "$dir/jwt-es256.pem" ] || [ ! -s "$dir/jwt-key-id" ]; then
  new_key "$dir/jwt-es256.pem" "$dir/jwt-key-id"
  echo "secrets.sh: wrote $dir/jwt-es256.pem (kid $(cat "$dir/jwt-key-id"))"
fi
# The generator lists the extra key's files, so they exist even when empty (no extra key).
[ -e "$dir/jwt-extra.pem" ] || : > "$dir/jwt-extra.pem"
[ -e "$dir/jwt-extra-key-id" ] || : > "$dir/jwt-extra-key-id"
[ -e "$dir/jwt-extra-role" ] || : > "$dir/jwt-extra-role"
role="$(cat "$dir/jwt-extra-role")"

case "$step" in
  --stage-jwt)
    if [ "$role" = previous ]; then
      echo "secrets.sh: the previous key $(cat "$dir/jwt-extra-key-id") is still published; run --drop-previous-jwt" \
        "first (once the access-token lifetime has passed since --rotate-jwt)" >&2
      exit 3
    fi
    if [ "$role" = next ]; then
      echo "secrets.sh: key $(cat "$dir/jwt-extra-key-id") is already staged; next step: --rotate-jwt"
      exit 0
    fi
    new_key "$dir/jwt-extra.pem" "$dir/jwt-extra-key-id"
    printf next > "$dir/jwt-extra-role"
    echo "secrets.sh: staged kid $(cat "$dir/jwt-extra-key-id") (published, not signing); apply, wait for the" \
      "auth rollout, then --rotate-jwt"
    ;;
  --rotate-jwt)
    if [ "$role" != next ]; then
      echo "secrets.sh: no staged key: run --stage-jwt, apply it and wait for the auth rollout first" >&2
      exit 3
    fi
    for f in pem key-id; do
      a="$dir/jwt-es256.pem"; b="$dir/jwt-extra.pem"
      if [ "$f" = key-id ]; then a="$dir/jwt-key-id"; b="$dir/jwt-extra-key-id"; fi
      mv "$a" "$dir/swap.tmp"; mv "$b" "$a"; mv "$dir/swap.tmp" "$b"
    done
    printf previous > "$dir/jwt-extra-role"
    echo "secrets.sh: kid $(cat "$dir/jwt-key-id") signs now; kid $(cat "$dir/jwt-extra-key-id") stays published." \
      "Apply, and after the access-token lifetime (AUTH_ACCESS_TOKEN_TTL_SECONDS, 15 min) run --drop-previous-jwt"
    ;;
  --drop-previous-jwt)
    if [ "$role" != previous ]; then
      echo "secrets.sh: no previous key is published (nothing to drop)" >&2
      exit 3
    fi
    old="$(cat "$dir/jwt-extra-key-id")"
    : > "$dir/jwt-extra.pem"; : > "$dir/jwt-extra-key-id"; : > "$dir/jwt-extra-role"
    echo "secrets.sh: kid $old dropped; apply to stop publishing it"
    ;;
esac
