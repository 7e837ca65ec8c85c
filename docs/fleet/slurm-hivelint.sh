#!/usr/bin/env bash
# hivelint over a fleet's collected hives as a Slurm job array: each array task checks one shard of the hive
# list with both of its cores and writes one JSON line per hive; a final step concatenates the shards.
#
#   find /evidence -type f -iname SYSTEM > hives.txt          # one hive path per line
#   sbatch --array=0-99 docs/fleet/slurm-hivelint.sh hives.txt results/
#   # when all tasks are done:
#   cat results/shard-*.jsonl > fleet.jsonl; jq -r 'select(.type == "hive" and .status != "pass") | .hive' fleet.jsonl
#
# The shard of task i is every line n of the list with n % SLURM_ARRAY_TASK_COUNT == i, so shards are even
# whatever the list's order. hivelint's exit code (0 ok, 1 rule matched, 3 unreadable) is a verdict, not a task
# failure; each hive's verdict is in its JSON line ("exit_code"), and hivelint's stderr goes to the task log.
#SBATCH --job-name=hivelint
#SBATCH --cpus-per-task=2
#SBATCH --mem=1G
#SBATCH --time=01:00:00
#SBATCH --output=hivelint-%A_%a.log
set -euo pipefail

list="${1:?usage: sbatch --array=0-N slurm-hivelint.sh HIVE_LIST OUT_DIR}"
out_dir="${2:?usage: sbatch --array=0-N slurm-hivelint.sh HIVE_LIST OUT_DIR}"
hivelint="${HIVELINT:-hivelint}"
task="${SLURM_ARRAY_TASK_ID:-0}"
tasks="${SLURM_ARRAY_TASK_COUNT:-1}"
jobs="${SLURM_CPUS_PER_TASK:-2}"

mkdir -p "$out_dir"
shard="$(mktemp)"
trap 'rm -f "$shard"' EXIT
awk -v i="$task" -v n="$tasks" '(NR - 1) % n == i' "$list" > "$shard"
if [[ ! -s "$shard" ]]; then
  echo "task $task: no hives in this shard"
  exit 0
fi

out="$out_dir/shard-$(printf '%05d' "$task").jsonl"
rc=0
# xargs -d '\n' keeps paths with spaces intact; hivelint checks its arguments with --jobs in parallel.
xargs -d '\n' -a "$shard" "$hivelint" check --format jsonl --jobs "$jobs" > "$out.tmp" || rc=$?
# xargs exits 123 when a hivelint run exited 1-125 (verdicts; a usage error would show in the log and leave
# its hives without a line); 124-127 mean hivelint could not be run at all.
if [[ $rc -ne 0 && $rc -ne 123 ]]; then
  echo "task $task: hivelint failed to run (xargs exit $rc)" >&2
  exit "$rc"
fi
mv "$out.tmp" "$out"
# Each hivelint run ends its output with a {"type":"summary"} record; the hive lines have "type":"hive".
echo "task $task: $(grep -c '^{[^{]*"type":"hive"' "$out") hives -> $out"
