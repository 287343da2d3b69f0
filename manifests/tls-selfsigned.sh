#!/usr/bin/env bash
# The manual HTTPS path: a self-signed certificate for shutterbus.local and images.local, stored
# as the TLS Secret shutterbus-tls that components/tls puts on the Ingress. (With cert-manager,
# use components/cert-manager instead.) Usage: manifests/tls-selfsigned.sh [namespace]
set -euo pipefail
ns="${1:-shutterbus}"
command -v openssl >/dev/null || { echo "tls-selfsigned.sh: openssl is required" >&2; exit 1; }
command -v kubectl >/dev/null || { echo "tls-selfsigned.sh: kubectl is required" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 365 \
  -subj "/CN=shutterbus.local" -addext "subjectAltName=DNS:shutterbus.local,DNS:images.local" \
  -keyout "$work/tls.key" -out "$work/tls.crt" 2>/dev/null
kubectl create namespace "$ns" --dry-run=client -o yaml | kubectl apply -f - >/dev/null
kubectl -n "$ns" create secret tls shutterbus-tls --cert="$work/tls.crt" --key="$work/tls.key" \
  --dry-run=client -o yaml | kubectl apply -f -
