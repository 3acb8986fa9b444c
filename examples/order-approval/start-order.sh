#!/usr/bin/env bash
# Starts a new order. With no argument the shop picks a sample basket; or give the items as JSON:
#   ./start-order.sh '[{"sku":"MUG-01","quantity":2}]'
# ORDER_API is where the app listens (default http://localhost:3000, as `dormouse dev` serves it).
set -euo pipefail
base="${ORDER_API:-http://localhost:3000}"
body='{}'
if [ $# -gt 0 ]; then body="{\"items\":$1}"; fi
response=$(curl -sS --fail-with-body -X POST -H 'content-type: application/json' -d "$body" "$base/orders")
echo "$response"
id=$(printf '%s' "$response" | sed -n 's/^{"id":"\([^"]*\)".*/\1/p')
echo "Order $id started. Next: ./check-status.sh $id, then ./approve-order.sh $id (or --reject)" >&2
