#!/usr/bin/env bash
# Signs a JSON file the Standard Webhooks way and POSTs it to xiansuo.
#   WEBHOOK_SECRET=whsec_… scripts/send-webhook.sh hotline payload.json [http://localhost:3000]
# Needs bash, openssl, base64, od and curl.
set -euo pipefail
source_name=${1:?usage: send-webhook.sh hotline|media|supervisor FILE [BASE_URL]}
file=${2:?usage: send-webhook.sh hotline|media|supervisor FILE [BASE_URL]}
base=${3:-http://localhost:3000}
secret=${WEBHOOK_SECRET:?set WEBHOOK_SECRET to the source\'s whsec_ secret}

# The exact bytes signed are the bytes sent (command substitution drops the final newline).
body=$(cat "$file")
id=${WEBHOOK_ID:-msg_$(date +%s)_$RANDOM}
ts=$(date +%s)
keyhex=$(printf '%s' "${secret#whsec_}" | base64 -d | od -An -v -tx1 | tr -d ' \n')
sig=$(printf '%s' "$id.$ts.$body" | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$keyhex" -binary | base64)

curl -sS -X POST "$base/webhooks/$source_name" \
  -H 'content-type: application/json' \
  -H "webhook-id: $id" -H "webhook-timestamp: $ts" -H "webhook-signature: v1,$sig" \
  --data-binary "$body" -w '\nHTTP %{http_code}\n'
