#!/usr/bin/env bash
# hivelint over a fleet's collected hives as a Slurm job array: each array task checks one shard of the hive
# list with both of its cores and writes one JSON line per hive; a final step concatenates the shards.
#
#   find /evidence -type f -iname SYSTEM > hives.txt          # one hive path per line
#   sbatch --array=0-99 --wait docs/fleet/slurm-hivelint.sh hives.txt results/   # --wait: until all tasks end
#   cat results/shard-*.jsonl > fleet.jsonl; jq -r 'select(.type == "hive" and .status != "pass") | .hive' fleet.jsonl
#
# The array must be a range with an optional step (--array=0-99, 1-100, 0-198:2, a %limit is fine): Slurm
# gives each task SLURM_ARRAY_TASK_MIN, _STEP and _COUNT, and task ID takes shard s = (ID - MIN) / STEP of
# COUNT, that is every line n (from 0) of the list with n % COUNT == s, so shards are even whatever the list's
# order and every hive is in exactly one shard. A list of IDs (--array=0,2,5) tells a task neither its place
# nor the others' IDs, so the script refuses it (exit 2) rather than leave hives unchecked. Run without
# Slurm (no SLURM_ARRAY_TASK_ID) it checks the whole list as shard 0 of 1; without a scheduler, GNU parallel
# does the same work on one machine (docs/fleet/README.md).
# hivelint's exit code (0 ok, 1 rule matched, 3 unreadable) is a verdict, not a task failure; each hive's
# verdict is in its JSON line ("exit_code"), and hivelint's stderr goes to the task log.
#SBATCH --job-name=hivelint
#SBATCH --cpus-per-task=2
#SBATCH --mem=1G
#SBATCH --time=01:00:00
#SBATCH --output=hivelint-%A_%a.log
set -euo pipefail

list="${1:?usage: sbatch --array=0-N slurm-hivelint.sh HIVE_LIST OUT_DIR}"
out_dir="${2:?usage: sbatch --array=0-N slurm-hivelint.sh HIVE_LIST OUT_DIR}"
hivelint="${HIVELINT:-hivelint}"
jobs="${SLURM_CPUS_PER_TASK:-2}"

refuse() {  # refuse MESSAGE: a task that cannot tell its shard must fail, not check a wrong one and exit 0
  echo "slurm-hivelint: $1" >&2
  exit 2
}
whole_number() {  # whole_number NAME VALUE
  [[ "$2" =~ ^(0|[1-9][0-9]*)$ ]] || refuse "$1 is '${2}', not a whole number (submit with sbatch --array=FIRST-LAST[:STEP])"
}
if [[ -z "${SLURM_ARRAY_TASK_ID:-}" ]]; then
  task=0 shard_index=0 shards=1   # not an array task: the whole list
else
  task="$SLURM_ARRAY_TASK_ID"
  first="${SLURM_ARRAY_TASK_MIN:-}" last="${SLURM_ARRAY_TASK_MAX:-}"
  step="${SLURM_ARRAY_TASK_STEP:-}" shards="${SLURM_ARRAY_TASK_COUNT:-}"
  for var in SLURM_ARRAY_TASK_ID SLURM_ARRAY_TASK_MIN SLURM_ARRAY_TASK_MAX SLURM_ARRAY_TASK_STEP SLURM_ARRAY_TASK_COUNT; do
    whole_number "$var" "${!var:-}"
  done
  ((step > 0 && first <= task && task <= last)) ||
    refuse "task $task is outside the array $first-$last:$step"
  # Slurm reports a list such as 0,2,5 as MIN 0, MAX 5, STEP 1, COUNT 3: a range would have 6 tasks.
  (((last - first) % step == 0 && (last - first) / step + 1 == shards && (task - first) % step == 0)) ||
    refuse "the array (tasks $first to $last, step $step, $shards tasks) is not a range FIRST-LAST[:STEP]; a list of task IDs cannot be sharded, submit with e.g. --array=0-$((shards - 1))"
  shard_index=$(((task - first) / step))
fi

mkdir -p "$out_dir"
shard="$(mktemp)"
trap 'rm -f "$shard"' EXIT
awk -v i="$shard_index" -v n="$shards" '(NR - 1) % n == i' "$list" > "$shard"
if [[ ! -s "$shard" ]]; then
  echo "task $task: no hives in shard $shard_index of $shards"
  exit 0
fi

out="$out_dir/shard-$(printf '%05d' "$shard_index").jsonl"
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
echo "task $task (shard $shard_index of $shards): $(grep -c '^{[^{]*"type":"hive"' "$out") hives -> $out"
