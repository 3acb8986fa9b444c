#!/usr/bin/env bash
# Shows an order: its status, each step's state and duration, and where its time went (wall time,
# active compute, hibernation).   ./check-status.sh ord-1a2b3c4d
set -euo pipefail
if [ $# -ne 1 ]; then
  echo "usage: $0 <order-id>" >&2
  exit 2
fi
base="${ORDER_API:-http://localhost:3000}"
curl -sS --fail-with-body "$base/orders/$1"
echo
