#!/usr/bin/env bash
# Approves an order's payment (the workflow resumes and ships it), or rejects it with --reject
# (the workflow resumes and cancels it).
#   ./approve-order.sh ord-1a2b3c4d
#   ./approve-order.sh --reject ord-1a2b3c4d "card declined"
set -euo pipefail
action=approve
if [ "${1:-}" = "--reject" ]; then
  action=reject
  shift
fi
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: $0 [--reject] <order-id> [reason]" >&2
  exit 2
fi
base="${ORDER_API:-http://localhost:3000}"
body='{}'
if [ $# -eq 2 ]; then body=$(printf '{"reason":%s}' "$(printf '%s' "$2" | sed 's/\\/\\\\/g; s/"/\\"/g; s/^/"/; s/$/"/')"); fi
curl -sS --fail-with-body -X POST -H 'content-type: application/json' -d "$body" "$base/orders/$1/$action"
echo
