#!/usr/bin/env bash
# The fleet definitions in docs/fleet/: the Slurm job script parses (bash -n) and, run locally as array task
# 0 of 1, writes one JSON line per hive; the Velociraptor artifact is valid YAML with the fields Velociraptor
# needs and a query that runs hivelint with --format jsonl. Usage: fleet.sh HIVELINT SRC WORK
set -euo pipefail
hivelint="$1" src="$2" work="$3"
rm -rf "$work" && mkdir -p "$work"
script="$src/docs/fleet/slurm-hivelint.sh"
bash -n "$script"

ls "$src"/samples/hives/*.hiv > "$work/hives.txt"
printf '%s\n' "$work/does not exist.hiv" >> "$work/hives.txt"   # a path with spaces, and a missing hive
HIVELINT="$hivelint" SLURM_ARRAY_TASK_ID=0 SLURM_ARRAY_TASK_COUNT=1 bash "$script" "$work/hives.txt" "$work/out" > "$work/log" 2>&1
want=$(wc -l < "$work/hives.txt")
got=$(grep -c '"type":"hive"' "$work/out/shard-00000.jsonl")
[[ "$got" == "$want" ]] || { echo "fleet: $got JSON lines for $want hives" >&2; cat "$work/log" >&2; exit 1; }
# Two tasks split the list between them without losing or repeating a hive.
for t in 0 1; do
  HIVELINT="$hivelint" SLURM_ARRAY_TASK_ID=$t SLURM_ARRAY_TASK_COUNT=2 bash "$script" "$work/hives.txt" "$work/two" >> "$work/log" 2>&1
done
/usr/bin/python3 - "$work" "$src/docs/fleet/Custom.Hivelint.Check.yaml" <<'PY'
import json, sys, yaml
work, artifact = sys.argv[1], sys.argv[2]
listed = [l.rstrip("\n") for l in open(work + "/hives.txt")]
def hive_lines(path):  # each hivelint run ends with a {"type": "summary"} record
    docs = [json.loads(l) for l in open(path)]
    assert docs[-1]["type"] == "summary", "a summary record ends the run"
    return [d["hive"] for d in docs if d["type"] == "hive"]
one = hive_lines(work + "/out/shard-00000.jsonl")
two = [h for s in ("00000", "00001") for h in hive_lines(work + "/two/shard-%s.jsonl" % s)]
assert one == listed, "one task: every hive once, in list order"
assert sorted(two) == sorted(listed), "two tasks: every hive exactly once"
doc = yaml.safe_load(open(artifact))
for field in ("name", "description", "type", "parameters", "sources"):
    assert field in doc, "artifact has " + field
assert doc["type"] in ("SERVER", "CLIENT"), doc["type"]
assert any(t["name"] == "Hivelint" for t in doc.get("tools", [])), "artifact declares the Hivelint tool"
query = doc["sources"][0]["query"]
for needle in ("FetchBinary", "execve", '"--format", "jsonl"', "parse_json", '.type = "hive"'):
    assert needle in query, "query uses " + needle
names = {p["name"] for p in doc["parameters"]}
for p in ("HiveGlob", "Workers", "ExtraArgs"):
    assert p in names and p in query, "parameter %s declared and used" % p
print("fleet: slurm script and Velociraptor artifact OK")
PY
