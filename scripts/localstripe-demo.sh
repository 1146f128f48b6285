#!/usr/bin/env bash
# Start localstripe (a fake Stripe) for `make run`, unless real Stripe keys are configured.
# Usage: scripts/localstripe-demo.sh APP_PORT. Reads TCLOUD_STRIPE_API_BASE and
# TCLOUD_STRIPE_WEBHOOK_SECRET (set by the Makefile) and registers the app's webhook with it.
set -euo pipefail
app_port="${1:-8000}"
if [[ -z "${TCLOUD_STRIPE_API_BASE:-}" ]]; then
  echo "Stripe: real keys in TCLOUD_STRIPE_SECRET_KEY; localstripe not started."
  exit 0
fi
base="${TCLOUD_STRIPE_API_BASE%/}"
port="${base##*:}"
mkdir -p instance
if ! curl -fsS -o /dev/null "$base/js.stripe.com/v3/" 2>/dev/null; then
  # --from-scratch: no state carried over from an earlier run (/tmp/localstripe.pickle).
  nohup .venv/bin/localstripe --port "$port" --from-scratch >> instance/localstripe.log 2>&1 &
  echo $! > instance/localstripe.pid
  for _ in $(seq 1 50); do
    curl -fsS -o /dev/null "$base/js.stripe.com/v3/" 2>/dev/null && break
    sleep 0.2
  done
fi
curl -fsS -o /dev/null -X POST "$base/_config/webhooks/tcloud" \
  -d "url=http://127.0.0.1:${app_port}/stripe/webhook" \
  -d "secret=${TCLOUD_STRIPE_WEBHOOK_SECRET}"
echo "Stripe: localstripe at $base (pid $(cat instance/localstripe.pid 2>/dev/null || echo '?'),"\
     "log instance/localstripe.log); webhooks go to http://127.0.0.1:${app_port}/stripe/webhook"
