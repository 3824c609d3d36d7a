#!/usr/bin/env bash
# Mutation testing part by part (each with its own report under reports/mutation/<part>/), then a
# summary of every part's score: `npm run mutation:parts [-- part ...]`. Parts: see stryker.config.mjs.
set -uo pipefail
cd "$(dirname "$0")/.."
parts=("$@")
[ ${#parts[@]} -eq 0 ] && parts=(risk orders secrets alerts parsing)
for p in "${parts[@]}"; do
  echo "== mutation part $p ($(date -u +%H:%M:%S))"
  MUTATION_PART="$p" npx stryker run || echo "== part $p failed"
done
node scripts/mutation-summary.mjs "${parts[@]}"
