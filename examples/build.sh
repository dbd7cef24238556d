#!/usr/bin/env bash
# Rebuilds examples/registry.json from the CSV files beside it, the way an official would.
set -euo pipefail
cd "$(dirname "$0")"
rm -rf registry.json registry.json.journal registry.json.backups registry.json.lock
export ASSETREG_FILE=registry.json ASSETREG_LANG=en
assetreg init --name "乐清市二轻联社（示例）"
assetreg settings set backups_kept 0
for kind in members restructurings assets statuses incidents values leases payments actions; do
  assetreg import "$kind" "csv/$kind.csv"
done
