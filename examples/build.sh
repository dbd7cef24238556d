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
# The 2004 year-end clearance (资产清查), counted in January 2005 and closed under the board's resolution.
assetreg settings set notice_contact "联社办公室（资产清查小组）"
ASSETREG_TODAY=2005-01-04 assetreg clearance open --as-of 2004-12-31 --name 2004年度资产清查
tail -n +2 csv/clearance_findings.csv | while IFS=, read -r asset result area by day note; do
  args=(clearance check C001 "$asset" --result "$result" --by "$by" --date "$day")
  if [ -n "$area" ]; then args+=(--area "$area"); fi
  if [ -n "$note" ]; then args+=(--note "$note"); fi
  ASSETREG_TODAY="$day" assetreg "${args[@]}"
done
tail -n +2 csv/clearance_surplus.csv | while IFS=, read -r name owner category value area location by day note; do
  ASSETREG_TODAY="$day" assetreg clearance surplus C001 --name "$name" --owner "$owner" --category "$category" \
    --value "$value" --area "$area" --location "$location" --by "$by" --date "$day" --note "$note"
done
ASSETREG_TODAY=2005-01-14 assetreg clearance notice C001 --from 2005-01-15 --days 7
ASSETREG_TODAY=2005-01-25 assetreg clearance close C001 --date 2005-01-25 --doc 乐二轻〔2005〕3号
