"""Dirty hives and exact evidence through the CLI (run by tests/scripts/dirty_evidence.sh under ctest).

Expectations are computed independently of hivelint where they can be: the data bytes are read from the file (or
from `hivelint recover`'s output, a clean hive other tests check against hivex) at the reported data cell offset,
the FILETIME is converted back to the reported ISO time with Python's datetime.
"""
import datetime
import json
import os
import shutil
import subprocess
import sys

HIVELINT, SRC, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
SHARED = os.environ.get("HIVELINT_SHARED_DIR", os.path.join(SRC, "..", "shared"))
SAMPLES = os.path.join(SRC, "samples", "hives")
failures = []
checks = 0


def run(*args):
    p = subprocess.run([HIVELINT, *args], capture_output=True, timeout=300)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def expect(cond, what):
    global checks
    checks += 1
    if not cond:
        failures.append(what)
        print("FAIL:", what, file=sys.stderr)


def iso_of(filetime_hex):
    ft = int(filetime_hex, 16)
    t = datetime.datetime(1601, 1, 1) + datetime.timedelta(microseconds=ft // 10)
    return t, ft % 10


def cell_data(image, offset, size):
    """The first `size` bytes of the allocated cell whose size field is at `offset`."""
    cell_size = int.from_bytes(image[offset:offset + 4], "little", signed=True)
    assert cell_size < 0 and -cell_size >= size + 4, "not an allocated cell big enough at 0x%x" % offset
    return image[offset + 4:offset + 4 + size]


def check_value_evidence(v, image, what):
    """data_hex is the stored bytes: in the data cell, or resident in the vk's data offset field."""
    data = bytes.fromhex(v["data_hex"])
    expect(len(data) == min(v["size"], 4096) and v["data_truncated"] == (v["size"] > 4096), "%s: data_hex length %d" % (what, len(data)))
    if v["data_storage"] == "cell":
        expect(v["data_cell_offset"] is not None and cell_data(image, v["data_cell_offset"], len(data)) == data,
               "%s: data_hex is what the data cell at %r holds" % (what, v["data_cell_offset"]))
    elif v["data_storage"] == "resident":
        expect(v["data_cell_offset"] is None and cell_data(image, v["cell_offset"], 16)[12:12 + len(data)] == data,
               "%s: resident data_hex is the vk's data offset field" % what)
    else:
        expect(v["data_storage"] in ("big_data", "none"), "%s: data_storage %r" % (what, v["data_storage"]))


shutil.rmtree(WORK, ignore_errors=True)
os.makedirs(WORK)

# --- 1. A clean sample: data cell, stored bytes and FILETIME, the same through both backends ---------------------
hive = os.path.join(WORK, "SYSTEM")
shutil.copy(os.path.join(SAMPLES, "controlset002-broken.hiv"), hive)
image = open(hive, "rb").read()
by_backend = {}
for backend in ("libregf", "hivelint"):
    rc, out, err = run("check", hive, "--rule", "KB277770", "--backend", backend, "--format", "json")
    doc = json.loads(out)
    ev = [e for e in doc["results"][0]["evidence"] if e["label"] == "checked value"][0]
    by_backend[backend] = ev
    expect(rc == 1 and ev["present"] and ev["offset_space"] == "file" and ev["page_source"] is None,
           "%s: checked value evidence in file space %r" % (backend, {k: ev.get(k) for k in ("present", "offset_space")}))
    t, rest = iso_of(ev["last_written_filetime"])
    expect(t.strftime("%Y-%m-%dT%H:%M:%S") == ev["last_written"][:19] and ev["last_written_filetime"].startswith("0x")
           and len(ev["last_written_filetime"]) == 18, "%s: FILETIME %r is %r" % (backend, ev["last_written_filetime"], ev["last_written"]))
    expect(cell_data(image, ev["cell_offset"], 2) == b"nk", "%s: key cell offset is an nk" % backend)
    v = ev["values"][0]
    expect(v["name"] == "DispatchEntries" and v["data_storage"] == "cell" and v["page_source"] is None, "%s: value %r" % (backend, v))
    expect(cell_data(image, v["cell_offset"], 2) == b"vk", "%s: value cell offset is a vk" % backend)
    check_value_evidence(v, image, backend + " DispatchEntries")
    expect(bytes.fromhex(v["data_hex"]).decode("utf-16-le").split("\0")[:3] == ["Ldapsvc", "Smtpsvc", "Nntpsvc"],
           "%s: data_hex decodes to the stored names" % backend)
expect(by_backend["libregf"] == by_backend["hivelint"], "both backends give the same evidence: %r" % by_backend)

# Text: the bytes only with --evidence-bytes (check and fix).
rc, out, err = run("check", hive)
expect("FILETIME" not in out and "data cell at" not in out, "text without --evidence-bytes stays short")
rc, out, err = run("check", hive, "--evidence-bytes")
v = by_backend["hivelint"]["values"][0]
expect(rc == 1 and "(FILETIME %s)" % by_backend["hivelint"]["last_written_filetime"] in out
       and "data cell at file offset 0x%08x" % v["data_cell_offset"] in out and v["data_hex"][:64] in out,
       "check --evidence-bytes: %r" % out[:1500])
rc, out, err = run("fix", hive, "--dry-run", "--evidence-bytes")
expect(rc == 1 and "data cell at file offset 0x%08x" % v["data_cell_offset"] in out, "fix --dry-run --evidence-bytes: %r" % out[:1500])

# verify on a clean hive says what it verified.
rc, out, err = run("verify", hive)
expect(rc == 0 and "  verified: the file as it is\n" in out, "verify clean: %r" % out)
doc = json.loads(run("verify", hive, "--format", "json")[1])
expect(doc["verified"] == "file" and doc["hint"] is None and doc["recovery"]["dirty"] is False, "verify JSON clean %r" % doc)

# --- 2. Real dirty hives with their logs ---------------------------------------------------------------------------
yarp = os.path.join(SHARED, "hives-real", "yarp", "NewDirtyHive1")
system_b = os.path.join(SHARED, "hives-real", "regipy", "SYSTEM_B")
if os.path.isdir(yarp) and os.path.isfile(system_b):
    d = os.path.join(WORK, "yarp")
    shutil.copytree(yarp, d)
    dirty = os.path.join(d, "NewDirtyHive")
    logs = sorted(os.path.join(d, n) for n in os.listdir(d) if n.startswith("NewDirtyHive.LOG"))
    # verify replays the logs (USER_TRIALS 1.8) ...
    rc, out, err = run("verify", dirty)
    doc = json.loads(run("verify", dirty, "--format", "json")[1])
    applied = [l["log"] for l in doc["recovery"]["logs"] if l["applied"]]
    expect(rc == 0 and "verified: recovered image from %s" % ", ".join(applied) in out and "recovery: dirty" in out,
           "verify dirty with logs: exit %d %r" % (rc, out))
    expect(doc["verdict"] == "clean" and doc["verified"] == "recovered_image" and doc["recovery"]["recovered"] and applied,
           "verify JSON with logs: %r" % {k: doc.get(k) for k in ("verdict", "verified")})
    # ... takes --log ...
    rc, out, err = run("verify", dirty, *sum((["--log", l] for l in logs), []))
    expect(rc == 0 and "verified: recovered image from" in out, "verify --log: exit %d %r %r" % (rc, out, err))
    # ... and --no-logs verifies the file as it is, with the way out.
    rc, out, err = run("verify", dirty, "--no-logs")
    expect(rc == 1 and "verified: the file as it is" in out and "secondary sequence number" in out
           and "hint: run without --no-logs, or `hivelint recover`" in out, "verify --no-logs: exit %d %r" % (rc, out))
    doc = json.loads(run("verify", dirty, "--no-logs", "--format", "json")[1])
    expect(doc["verified"] == "file" and doc["hint"] == "run without --no-logs, or `hivelint recover`"
           and doc["recovery"]["not_used"] == logs, "verify --no-logs JSON %r" % {k: doc.get(k) for k in ("verified", "hint")})
    rc, out, err = run("verify", dirty, "--quiet")
    expect(rc == 0 and out == "" and err == "", "verify --quiet on a dirty hive with logs: exit %d %r %r" % (rc, out, err))

    # A SYSTEM hive laid out as Windows keeps it: config/SYSTEM, SYSTEM.LOG1, SYSTEM.LOG2.
    cfg = os.path.join(WORK, "config")
    os.makedirs(cfg)
    sysh = os.path.join(cfg, "SYSTEM")
    shutil.copy(system_b, sysh)
    shutil.copy(system_b + ".LOG1", sysh + ".LOG1")
    shutil.copy(system_b + ".LOG2", sysh + ".LOG2")
    recovered = os.path.join(WORK, "SYSTEM.recovered")
    rc, out, err = run("recover", sysh, "-o", recovered)
    expect(rc == 0, "recover SYSTEM: exit %d %r" % (rc, err))
    rimage = open(recovered, "rb").read()
    fimage = open(sysh, "rb").read()
    rules = os.path.join(WORK, "rules.json")
    json.dump({"schema_version": 1, "id": "TEST-EVIDENCE", "title": "evidence test", "description": "test",
               "severity": "error", "scope": "control_set",
               "check": {"multi_string_contains_all": {"key": "Control\\ServiceGroupOrder", "value": "List",
                                                       "entries": ["No such group"], "case_sensitive": False}},
               "evidence": [], "fix": [], "messages": {"pass": "p", "fail": "f", "not_applicable": "n"},
               "impact": "", "remedy": ""}, open(rules, "w"))
    seen = {}
    for backend in ("libregf", "hivelint"):
        rc, out, err = run("check", sysh, "--rules", rules, "--backend", backend, "--format", "json")
        doc = json.loads(out)
        ev = [e for e in doc["results"][0]["evidence"] if e["label"] == "checked value"]
        expect(rc == 1 and ev and ev[0]["present"], "%s: SYSTEM check: exit %d %r" % (backend, rc, err[:300]))
        if not ev:
            continue
        ev = ev[0]
        seen[backend] = ev
        v = ev["values"][0]
        expect(ev["offset_space"] == "recovered_image", "%s: offsets in the recovered image" % backend)
        # Every cell's page has a source: the hive file, or a log and its entry's sequence number.
        for what, src in (("key", ev["page_source"]), ("value", v["page_source"]), ("data", v["data_page_source"])):
            expect(src is not None and (src["file"] == sysh and src["sequence"] is None
                                        or src["file"] in (sysh + ".LOG1", sysh + ".LOG2") and src["sequence"] >= 1622),
                   "%s: %s cell page source %r" % (backend, what, src))
            # A page said to come from the file holds the file's bytes there.
        off = {"key": ev["cell_offset"], "value": v["cell_offset"], "data": v["data_cell_offset"]}
        for what, src in (("key", ev["page_source"]), ("value", v["page_source"]), ("data", v["data_page_source"])):
            if src and src["sequence"] is None:
                page = off[what] // 4096 * 4096
                expect(fimage[page:page + 4096] == rimage[page:page + 4096], "%s: %s page said to be the file's" % (backend, what))
        expect(cell_data(rimage, ev["cell_offset"], 2) == b"nk" and cell_data(rimage, v["cell_offset"], 2) == b"vk",
               "%s: offsets point at nk and vk in the recovered image" % backend)
        check_value_evidence(v, rimage, backend + " List")
    expect(len(seen) == 2 and seen["libregf"] == seen["hivelint"], "both backends: the same evidence after replay")
    # Services\ad_driver exists only in the recovered image (SYSTEM_B's logs add it): its cells are in pages a log
    # entry wrote, so the evidence names that log and an entry sequence number past the hive's secondary (1621).
    logged = os.path.join(WORK, "logged.json")
    json.dump({"schema_version": 1, "id": "TEST-LOGGED", "title": "evidence test", "description": "test",
               "severity": "error", "scope": "control_set",
               "check": {"multi_string_contains_all": {"key": "Services\\ad_driver", "value": "ImagePath",
                                                       "entries": ["x"], "case_sensitive": False}},
               "evidence": [], "fix": [], "messages": {"pass": "p", "fail": "f", "not_applicable": "n"},
               "impact": "", "remedy": ""}, open(logged, "w"))
    for backend in ("libregf", "hivelint"):
        doc = json.loads(run("check", sysh, "--rules", logged, "--backend", backend, "--format", "json")[1])
        ev = [e for e in doc["results"][0]["evidence"] if e["label"] == "checked value"]
        expect(ev and ev[0]["present"] and ev[0]["values"], "%s: ad_driver evidence %r" % (backend, ev))
        if not ev or not ev[0]["values"]:
            continue
        ev, v = ev[0], ev[0]["values"][0]
        for what, src in (("key", ev["page_source"]), ("value", v["page_source"]), ("data", v["data_page_source"])):
            expect(src and src["file"] in (sysh + ".LOG1", sysh + ".LOG2") and src["sequence"] > 1621,
                   "%s: ad_driver %s cell page from a log entry: %r" % (backend, what, src))
        check_value_evidence(v, rimage, backend + " ad_driver ImagePath")
        expect(fimage[ev["cell_offset"]:ev["cell_offset"] + 8] != rimage[ev["cell_offset"]:ev["cell_offset"] + 8],
               "%s: the file holds other bytes where the recovered key cell is" % backend)
    rc, out, err = run("check", sysh, "--rules", logged, "--evidence-bytes")
    src = json.loads(run("check", sysh, "--rules", logged, "--format", "json")[1])["results"][0]["evidence"][0]["page_source"]
    expect(src and "key cell at recovered-image offset 0x" in out and "(page from %s entry %d)" % (src["file"], src["sequence"]) in out,
           "text names the log entry: %r" % out[:2000])
    rc, out, err = run("check", sysh, "--rules", rules, "--evidence-bytes")
    expect("key cell at recovered-image offset 0x" in out and "(page from " in out, "text names the recovered image: %r" % out[:1500])
    # --no-logs: offsets in the file, no page sources; the Recovery line names the logs not used (USER_TRIALS 1.7).
    rc, out, err = run("check", sysh, "--rules", rules, "--no-logs", "--format", "json")
    doc = json.loads(out)
    ev = [e for e in doc["results"][0]["evidence"] if e["label"] == "checked value"][0]
    expect(ev["offset_space"] == "file" and ev["page_source"] is None and ev["values"][0]["data_page_source"] is None,
           "--no-logs: file offsets %r" % {k: ev.get(k) for k in ("offset_space", "page_source")})
    check_value_evidence(ev["values"][0], fimage, "--no-logs List")
    rc, out, err = run("check", sysh, "--rules", rules, "--no-logs")
    expect("logs not used (--no-logs): %s.LOG1, %s.LOG2" % (sysh, sysh) in out and "no transaction log found" not in out,
           "--no-logs Recovery line %r" % [l for l in out.splitlines() if l.startswith("Recovery:")])
    expect(doc["hives"][0]["recovery"]["not_used"] == [sysh + ".LOG1", sysh + ".LOG2"], "--no-logs JSON not_used")
    # fix of a dirty hive with its logs is made on the recovered image, not refused (docs/fixing.md; USER_TRIALS 2.9),
    # and Next: says to move the old logs away from the fixed copy.
    fixable = os.path.join(WORK, "fixable.json")
    json.dump({"schema_version": 1, "id": "TEST-DIRTY-FIX", "title": "dirty fix test", "description": "test",
               "severity": "error", "scope": "control_set",
               "check": {"multi_string_contains_all": {"key": "Control\\ServiceGroupOrder", "value": "List",
                                                       "entries": ["No such group"], "case_sensitive": False}},
               "evidence": [], "fix": [{"action": "ensure_multi_string_contains", "key": "Control\\ServiceGroupOrder",
                                        "value": "List", "entries": ["No such group"]}],
               "messages": {"pass": "p", "fail": "f", "not_applicable": "n"}, "impact": "", "remedy": ""}, open(fixable, "w"))
    fixed = os.path.join(WORK, "SYSTEM.fixed")
    rc, out, err = run("fix", sysh, "--rules", fixable, "-o", fixed)
    expect(rc == 0 and os.path.isfile(fixed) and "the fix is made on the recovered image" in out,
           "fix of a dirty hive with logs: exit %d %r" % (rc, err[-300:]))
    nxt = out[out.find("Next:"):] if "Next:" in out else ""
    expect("Move the old SYSTEM.LOG, SYSTEM.LOG1 and SYSTEM.LOG2 beside it away" in nxt,
           "fix of a dirty hive: Next: moves the old logs away:\n" + nxt)
    rc, out, err = run("check", fixed, "--rules", fixable, "--quiet")
    expect(rc == 0, "the fixed copy of a dirty hive passes: exit %d" % rc)
else:
    print("dirty_evidence: dirty-hive part SKIPPED: %s or %s is absent" % (yarp, system_b))

print("%d passed, %d failed" % (checks - len(failures), len(failures)))
sys.exit(1 if failures else 0)
