#!/usr/bin/python3
"""hivelint's benchmark: hivelint and its peers side by side on several hive shapes and a batch of small ones.

    /usr/bin/python3 bench/bench.py [--hivelint build/hivelint] [--work build/bench-cache] [--runs 5]
                                    [--shapes bench,hivex13,dirty,real] [--rows check,export,fix,deleted,batch,events]
    /usr/bin/python3 bench/bench.py --smoke        # tiny hives, one run: checks that every row still runs

Shapes (issue 14): every hive row runs on each, with its own table.
  bench    bench/make_big_hive.py's default: python3-hivex grows the Exchange 2000 sample (regf 1.5) by 5,200
           services in each of three control sets and rewrites a 2,000-byte value of each twice (540 MB)
  hivex13  the same tool from a Windows-written regf 1.3 hive (python-registry's issue22.hive, a `reg save` of
           one key, from ../shared/hives-real; without it, an empty hive `hivelint build --minor-version 3`
           writes): Select with Current = 2, 4,000 services per control set, each value rewritten three times,
           an IIS machine's InetInfo\Parameters in ControlSet002 and no Exchange service (KB277770 does not
           apply: its lookups of absent services are the point)
  dirty    the bench hive made dirty by bench/make_dirty_hive.py: primary sequence one past the secondary and a
           new-format .LOG1 beside it whose one entry holds 256 of its pages; every hivelint command replays the
           log first (the peers read the file as it is), into a private mapping of the file, so `check` stays
           within the hive + 64 MiB it is allowed (a copy of the hive would double it)
  real     the largest real SYSTEM hives in ../shared/hives-real (Windows 10 1709, Windows 10 with its logs,
           Windows 7), read as they are (hivelint replays the logs of the dirty one, as it does for users)

Each hive's table starts with the state of its file in the page cache: the time to read one byte of every 4 KiB
page through a fresh mapping. On a virtual machine that time can differ by 10x for the same file (mapped 2 MiB at
a time when the page cache holds it in large folios, 4 KiB at a time otherwise; docs/performance.md, session 11),
and every tool's time moves with it; all commands of a run see the same state, so ratios hold, but absolute times
of two runs compare only in the same state. `--page-cache reread` drops each hive from the page cache and reads it
back with 16 MiB reads before its rows (Linux then keeps a big file mostly in large folios; a file of a few MiB
stays in small ones), so that runs start alike.

Every row runs its commands alternately (hivelint, peer, hivelint, peer, ...) --runs times and reports the median
wall time, the median CPU time (user + system: less disturbed by other load on a shared machine) and the median
peak RSS (from wait4's rusage, what /usr/bin/time -v reports as "Maximum resident set
size"), then the ratio hivelint/peer next to the issue's target. Output goes to /dev/null. The big hive is built
once by bench/make_big_hive.py into --work (never committed) and reused.

Rows (issues 6, 11 and 14), on each hive of each shape:
  check        `hivelint check BIG --rule KB277770 --quiet` vs hivexget of the value it judges (InetInfo\\Parameters
               DispatchEntries of the current set; Select Current on the real hives, which have no InetInfo); the
               same with `--format json`, whose report carries the hive's SHA-256 (the whole file read), for info;
               and next to bench/libregf_floor.c (libregf's open and the current set's Services, built with cc),
               the least the default reader's libregf confirmation can cost, for info
  check all    `hivelint check BIG` (every built-in rule, the service-start rules walk every service)
                                                    vs hivexregedit --export (a whole-hive walk), target <= 0.1
  export json  `hivelint export BIG --format json`  vs hivexregedit --export, regfexport, reglookup
  export reg   `hivelint export BIG --format reg`   vs the same
  fix          `hivelint fix BIG -o OUT`            vs hivexregedit --merge of the same change (when `fix` exists)
  deleted      `hivelint deleted BIG --format json` vs `hivelint export BIG --format json` (issue 13: within 2x)
Peak RSS limits (issue 14): check and export <= hive size + 64 MiB, fix <= 3 x hive size (for hives under 32 MiB,
whose 3 x is less than the program's own pages, the same hive + 64 MiB).
  batch        `hivelint check DIR --jobs 1|2 --format jsonl` over --batch copies of the samples; with
               --baseline BIN also BIN's `--jobs 2` run, alternately, against issue 11's target (hivelint's
               time <= 1.2x the binary from before issue 11, commit 2f2f310, built the same way)
  events       `hivelint events LOG` vs evtexport -m all / evtxexport -m all (libyal's own tools, same libraries)
               on the real System logs in ../shared/events-real (issue 13; --smoke: the sample's SysEvent.Evt),
               and on a 20 MiB System.evtx written by bench/make_big_evtx.py (1 MiB with --smoke)
"""
import argparse
import mmap
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
PARAMS = "ControlSet002\\Services\\InetInfo\\Parameters"


TIME_OUT = os.path.join("/tmp", "hivelint-bench-time.%d" % os.getpid())


def refusal(stderr):
    """The row text for hivelint refusing a hive (exit 4): the last clause of its last stderr line."""
    last = stderr.strip().splitlines()[-1] if stderr.strip() else ""
    return "refused (exit 4: %s)" % last.split(": ")[-1][:90]


def run_once(argv):
    """Wall seconds, CPU seconds (user + system) and peak RSS (KiB) of one run, plus exit code and stderr.
    CPU and RSS come from /usr/bin/time (Debian package time): wait4's own numbers from this Python process
    would include the RSS it had when it forked (hundreds of MB after reading the big hive)."""
    start = time.perf_counter()
    with open(os.devnull, "wb") as null:
        proc = subprocess.run(["/usr/bin/time", "-f", "%U %S %M", "-o", TIME_OUT] + argv, stdout=null,
                              stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    with open(TIME_OUT) as f:
        last = f.read().strip().splitlines()[-1].split()  # "Command exited with non-zero status N" comes first
    os.remove(TIME_OUT)
    user, system, rss_kib = float(last[0]), float(last[1]), int(last[2])
    return elapsed, user + system, rss_kib, proc.returncode, proc.stderr.decode("utf-8", "replace")


class Command:
    def __init__(self, label, argv, ok_codes=(0,), prepare=None, available=True, why="", peer=False, refusal_ok=False):
        self.label, self.argv, self.ok_codes, self.prepare, self.peer = label, argv, ok_codes, prepare, peer
        self.refusal_ok = refusal_ok
        self.available, self.why = available and shutil.which(argv[0]) is not None, why or ("no " + argv[0])
        self.times, self.cpu, self.rss = [], [], []

    def run(self):
        if not self.available:
            return
        if self.prepare:
            self.prepare()
        t, cpu, rss, code, err = run_once(self.argv)
        if code not in self.ok_codes and self.peer:  # a peer that cannot read this hive: say so in its row
            self.available, self.why = False, "fails (exit %d)" % code
            return
        if code not in self.ok_codes and self.refusal_ok and code == 4:  # fix refusing (a dirty hive without logs)
            self.available, self.why = False, refusal(err)
            return
        if code not in self.ok_codes:
            raise SystemExit("bench: %s exited %d: %s\n  %s" % (self.label, code, " ".join(self.argv), err.strip()[:500]))
        self.times.append(t)
        self.cpu.append(cpu)
        self.rss.append(rss)

    def median(self):
        return statistics.median(self.times) if self.times else None

    def median_cpu(self):
        return statistics.median(self.cpu) if self.cpu else None

    def median_rss_mb(self):
        return statistics.median(self.rss) / 1024 if self.rss else None


def alternate(commands, runs):
    for _ in range(runs):
        for c in commands:
            c.run()


def fmt_time(t):
    return "n/a" if t is None else "%.3f s" % t


def machine():
    """The CPU (a virtual machine's "model name" can be as vague as "AMD EPYC": family and model tell the
    generation apart, and ratios between binaries have moved by 20 % from one generation to another), cores, RAM,
    kernel and the load average when the run started (other tenants' load moves the ratios too)."""
    cpu, fields = "unknown CPU", {}
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                key, _, value = line.partition(":")
                key = key.strip()
                if key in ("model name", "cpu family", "model") and key not in fields:
                    fields[key] = value.strip()
                if not line.strip():
                    break
        cpu = "%s (family %s, model %s)" % (fields.get("model name", cpu), fields.get("cpu family", "?"),
                                           fields.get("model", "?"))
        with open("/proc/meminfo") as f:
            mem_kb = int(f.readline().split()[1])
    except OSError:
        mem_kb = 0
    load = "load average %.2f %.2f %.2f" % os.getloadavg() if hasattr(os, "getloadavg") else ""
    return "%s, nproc %d, %.1f GiB RAM, %s %s, %s" % (cpu, os.cpu_count() or 0, mem_kb / 1048576, platform.system(),
                                                      platform.release(), load)


def count_records(path):
    """Keys + values of a hive, counted by python3-hivex (an independent reader)."""
    import hivex  # Debian's binding: /usr/bin/python3 only
    h = hivex.Hivex(path)
    keys = values = 0
    stack = [h.root()]
    while stack:
        n = stack.pop()
        keys += 1
        values += len(h.node_values(n))
        stack.extend(h.node_children(n))
    return keys, values


def make_batch(directory, count):
    """`count` small hives (copies of the samples, cycled) plus one file that starts with regf but is broken."""
    if os.path.isdir(directory) and len(os.listdir(directory)) == count + 1:
        return
    shutil.rmtree(directory, ignore_errors=True)
    os.makedirs(directory)
    samples = sorted(os.path.join(REPO, "samples", "hives", n) for n in os.listdir(os.path.join(REPO, "samples", "hives"))
                     if n.endswith(".hiv"))
    for i in range(count):
        shutil.copyfile(samples[i % len(samples)], os.path.join(directory, "host%05d.hiv" % i))
    with open(samples[0], "rb") as f:
        head = f.read(4096 + 64)
    with open(os.path.join(directory, "broken.hiv"), "wb") as f:  # truncated inside its first hive bin
        f.write(head)


class Hive:
    """One hive of a shape: what the check row's hivexget reads, and the rule file the fix row applies."""
    def __init__(self, path, lookup, fix_rules, fix_args=()):
        self.path, self.lookup, self.fix_rules, self.fix_args = path, lookup, fix_rules, list(fix_args)
        self.size_mb = os.path.getsize(path) / 1048576
        with open(path, "rb") as f:
            f.seek(0x18)
            self.minor = int.from_bytes(f.read(4), "little")


def shared_dir():
    return os.environ.get("HIVELINT_SHARED_DIR") or os.path.join(REPO, "..", "shared")


def build_hive(out, extra):
    if not os.path.exists(out):
        subprocess.run([sys.executable, os.path.join(HERE, "make_big_hive.py"), out] + extra, check=True)


def shape_hives(shape, hl, work, smoke):
    """The hives of a shape, built into `work` once (never committed); [] with a reason when unavailable."""
    plus_one = os.path.join(HERE, "rules", "kb277770-plus-one.json")
    any_system = os.path.join(REPO, "tests", "rules", "dispatch-any-system.json")
    if shape == "bench":
        big = os.path.join(work, "smoke.hiv" if smoke else "big.hiv")
        build_hive(big, ["--services", "40", "--churn", "1"] if smoke else [])
        return [Hive(big, (PARAMS, "DispatchEntries"), plus_one, ["--control-set", "2"])], ""
    if shape == "hivex13":
        out = os.path.join(work, "hivex13-smoke.hiv" if smoke else "hivex13.hiv")
        source = os.path.join(shared_dir(), "hives-real", "python-registry", "issue22.hive")
        if not os.path.exists(source):  # an empty regf 1.3 hive written by hivelint instead of Windows
            source = os.path.join(work, "empty13.hiv")
            empty_reg = os.path.join(work, "empty13.reg")
            with open(empty_reg, "w", encoding="utf-8") as f:
                f.write("Windows Registry Editor Version 5.00\n\n[HKEY_LOCAL_MACHINE\\SYSTEM]\n")
            subprocess.run([hl, "build", empty_reg, "-o", source, "--minor-version", "3", "--force", "--quiet"],
                           check=True)
        build_hive(out, ["--source", source, "--minor", "3", "--current", "2", "--iis"] +
                   (["--services", "40", "--churn", "1"] if smoke else ["--services", "4000", "--churn", "3"]))
        return [Hive(out, (PARAMS, "DispatchEntries"), any_system)], ""
    if shape == "dirty":
        big = os.path.join(work, "smoke.hiv" if smoke else "big.hiv")
        build_hive(big, ["--services", "40", "--churn", "1"] if smoke else [])
        out = os.path.join(work, "dirty-smoke.hiv" if smoke else "dirty.hiv")
        if not (os.path.exists(out) and os.path.exists(out + ".LOG1")
                and os.path.getmtime(out) >= os.path.getmtime(big)):
            subprocess.run([sys.executable, os.path.join(HERE, "make_dirty_hive.py"), big, out], check=True)
        # The log must really be replayed, or the shape measures a clean hive.
        probe = subprocess.run([hl, "info", out], capture_output=True, text=True)
        if "replayed 1 log entry" not in probe.stdout + probe.stderr:
            raise SystemExit("bench: %s was not replayed from its log: %s" % (out, (probe.stdout + probe.stderr)[:500]))
        return [Hive(out, (PARAMS, "DispatchEntries"), plus_one, ["--control-set", "2"])], ""
    if shape == "real":
        real = os.path.join(shared_dir(), "hives-real", "regipy")
        names = ["SYSTEM"] if smoke else ["SYSTEM_WIN_10_1709", "SYSTEM_B", "SYSTEM"]  # the three largest SYSTEM hives
        hives = [Hive(os.path.join(real, n), ("Select", "Current"), any_system) for n in names
                 if os.path.exists(os.path.join(real, n))]
        return hives, ("" if hives else "no real hives (../shared/hives-real absent)")
    raise SystemExit("bench: unknown shape " + shape)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--hivelint", default=os.path.join(REPO, "build", "hivelint"))
    ap.add_argument("--work", default=os.path.join(REPO, "build", "bench-cache"))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--batch", type=int, default=1000, help="small hives in the batch row")
    ap.add_argument("--baseline", help="an older hivelint binary for the batch row (issue 11: before 2f2f310's rules)")
    ap.add_argument("--smoke", action="store_true", help="tiny hives, one run, small batch: proves the script runs")
    ap.add_argument("--rows", default="check,export,fix,deleted,batch,events",
                    help="comma-separated subset of check,export,fix,deleted,batch,events (default: all)")
    ap.add_argument("--shapes", default="bench,hivex13,dirty,real",
                    help="comma-separated subset of bench,hivex13,dirty,real (default: all)")
    ap.add_argument("--page-cache", choices=("as-is", "reread"), default="as-is",
                    help="reread: drop each hive from the page cache and read it back with large reads before "
                         "its rows, so that runs start in the same state (default: as-is)")
    args = ap.parse_args()
    wanted = set(args.rows.split(","))
    unknown = wanted - {"check", "export", "fix", "deleted", "batch", "events"}
    if unknown:
        ap.error("unknown --rows: " + ", ".join(sorted(unknown)))
    shapes = args.shapes.split(",")
    unknown = set(shapes) - {"bench", "hivex13", "dirty", "real"}
    if unknown:
        ap.error("unknown --shapes: " + ", ".join(sorted(unknown)))
    hl = os.path.abspath(args.hivelint)
    os.makedirs(args.work, exist_ok=True)
    if args.smoke:
        args.runs, args.batch = 1, 20
    print("machine: %s" % machine())
    print("%d runs each, alternating; medians" % args.runs)
    missed = []
    for shape in shapes:
        hives, why = shape_hives(shape, hl, args.work, args.smoke)
        if not hives:
            print("\nshape %s: skipped: %s" % (shape, why))
            continue
        for hive in hives:
            missed += hive_table(shape, hive, hl, args.work, args.runs, wanted, args.page_cache)
    rows = []
    if "batch" in wanted:
        baseline = os.path.abspath(args.baseline) if args.baseline else None
        rows.extend(batch_rows(hl, args.work, args.batch, args.runs, baseline))
    if "events" in wanted:
        rows.extend(events_rows(hl, args.work, args.runs, args.smoke))
    if rows:
        print("\nbatch and event logs:")
        missed += report(rows, {})
    if missed:
        print("\ntargets missed: " + "; ".join(missed))
    # A smoke run only proves that every row runs; timings of tiny hives mean nothing.
    return 0


def reread(path):
    """Drops `path` from the page cache (what no process maps) and reads it back with 16 MiB reads."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        while os.read(fd, 16 << 20):
            pass
    finally:
        os.close(fd)


def page_touch(path):
    """Pages of `path` and the seconds to read one byte of each through a fresh read-only mapping (the file is
    read first, so this is the mapping's cost, not the disk's)."""
    size = os.path.getsize(path)
    if size == 0:
        return 0, 0.0
    with open(path, "rb") as f:
        while f.read(16 << 20):
            pass
        with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as m:
            view = memoryview(m)
            start = time.perf_counter()
            touched = bytes(view[::4096])  # one byte of each page, copied in C
            elapsed = time.perf_counter() - start
            view.release()
    return len(touched), elapsed


def hive_table(shape, hive, hl, work, runs, wanted, page_cache="as-is"):
    keys, values = count_records(hive.path)
    print("\nshape %s: %s, regf 1.%d, %.1f MiB, %d keys + %d values = %d records" % (
        shape, os.path.relpath(hive.path, os.path.join(REPO, "..")) if "hives-real" in hive.path
        else os.path.basename(hive.path), hive.minor, hive.size_mb, keys, values, keys + values))
    if page_cache == "reread":
        reread(hive.path)
    pages, seconds = page_touch(hive.path)
    print("page cache%s: one byte of each of its %d pages read in %.1f ms through a new mapping (%.2f us a page)" % (
        " (reread)" if page_cache == "reread" else "", pages, seconds * 1e3, seconds * 1e6 / max(pages, 1)))
    rows = []  # (row, hivelint command, [(peer command, target ratio text, target ratio)], RSS limit MiB)
    check_all = Command("hivelint check (all rules)", [hl, "check", hive.path, "--quiet"], ok_codes=(0, 1))
    if "check" in wanted:
        rows.extend(check_rows(hl, hive, runs, work))
    if "export" in wanted:
        rows.extend(export_rows(hl, hive, runs, check_all if "check" in wanted else None))
    elif "check" in wanted:
        hivexregedit = Command("hivexregedit --export", ["hivexregedit", "--export", hive.path, "\\"], peer=True)
        alternate([check_all, hivexregedit], runs)
        rows.append(("check, all rules", check_all, [(hivexregedit, "<= 0.1", 0.1)]))
    if "fix" in wanted:
        rows.extend(fix_rows(hl, hive, work, runs))
    if "deleted" in wanted:
        rows.extend(deleted_rows(hl, hive, runs))
    # fix: 3 x the hive; under 32 MiB, where the program's own pages outweigh that, the allowance of the others.
    limits = {"check": hive.size_mb + 64, "export": hive.size_mb + 64, "fix": max(3 * hive.size_mb, hive.size_mb + 64)}
    return [shape + " " + os.path.basename(hive.path) + ": " + m for m in report(rows, limits)]


def libregf_floor(work):
    """bench/libregf_floor.c built into `work` (once): libregf's open and its reading of the current set's Services,
    the least the default reader's confirmation costs. None when it cannot be built (no C compiler)."""
    out = os.path.join(work, "libregf_floor")
    source = os.path.join(HERE, "libregf_floor.c")
    if not (os.path.exists(out) and os.path.getmtime(out) >= os.path.getmtime(source)):
        cc = shutil.which("cc") or shutil.which("gcc")
        flags = ["-lregf", "-lbfio"]
        if shutil.which("pkg-config"):
            got = subprocess.run(["pkg-config", "--cflags", "--libs", "libregf", "libbfio"], capture_output=True, text=True)
            if got.returncode == 0:
                flags = got.stdout.split()
        if not cc or subprocess.run([cc, "-O2", source, "-o", out] + flags).returncode != 0:
            return None
    return out


def check_rows(hl, hive, runs, work):
    rows = []
    one = ["--rule", "KB277770"]
    check = Command("hivelint check --rule KB277770", [hl, "check", hive.path, "--quiet"] + one, ok_codes=(0, 1))
    check_own = Command("hivelint check --rule KB277770 --backend hivelint",
                        [hl, "check", hive.path, "--quiet", "--backend", "hivelint"] + one, ok_codes=(0, 1))
    # With a report (JSON on stdout), which carries the hive's SHA-256: every byte of the hive is read and hashed.
    # --quiet writes none, so the hash is not computed there (docs/performance.md, "a hash nobody reads").
    check_json = Command("hivelint check --rule KB277770 --format json",
                         [hl, "check", hive.path, "--format", "json"] + one, ok_codes=(0, 1))
    hivexget = Command("hivexget " + hive.lookup[1], ["hivexget", hive.path, hive.lookup[0], hive.lookup[1]], peer=True)
    floor_path = libregf_floor(work)
    floor = Command("libregf_floor (C): libregf's open + the current set's Services", [floor_path or "cc", hive.path],
                    available=floor_path is not None, why="bench/libregf_floor.c not built (no C compiler?)")
    alternate([check, check_own, check_json, hivexget, floor], runs)
    rows.append(("check (one lookup)", check, [(hivexget, "<= 1.0", 1.0)]))
    rows.append(("check --backend hivelint", check_own, [(hivexget, "(info)", None)]))
    rows.append(("check --format json (hashes the hive)", check_json, [(hivexget, "(info)", None)]))
    # What the default reader cannot go below: libregf, which confirms every verdict, must open the hive and the
    # current set's Services (docs/performance.md, session 8). Shown as hivelint's row against the floor.
    rows.append(("one lookup vs libregf alone", check, [(floor, "(info)", None)]))
    rows.append(("libregf alone (floor) vs hivexget", floor, [(hivexget, "(info)", None)]))
    return rows


def export_rows(hl, hive, runs, check_all=None):
    # 2. Whole-hive walks (and, when given, check with every rule, timed in the same alternation).
    big = hive.path
    peers = [Command("hivexregedit --export", ["hivexregedit", "--export", big, "\\"], peer=True),
             Command("regfexport", ["regfexport", big], peer=True),
             Command("reglookup", ["reglookup", big], peer=True)]
    exp_json = Command("hivelint export json", [hl, "export", big, "--format", "json"])
    exp_reg = Command("hivelint export reg", [hl, "export", big, "--format", "reg"])
    alternate([exp_json, exp_reg] + ([check_all] if check_all else []) + peers, runs)
    targets = [(peers[0], "<= 0.5", 0.5), (peers[1], "<= 0.2", 0.2), (peers[2], "<= 0.2", 0.2)]
    rows = [("export --format json", exp_json, targets), ("export --format reg", exp_reg, targets)]
    if check_all:
        rows.append(("check, all rules", check_all, [(peers[0], "<= 0.1", 0.1)]))
    return rows


def deleted_rows(hl, hive, runs):
    # What free cells still hold (issue 13: `deleted` within 2x a full export of the same hive).
    deleted = Command("hivelint deleted", [hl, "deleted", hive.path, "--format", "json"])
    export = Command("hivelint export json", [hl, "export", hive.path, "--format", "json"])
    alternate([deleted, export], runs)
    return [("deleted --format json", deleted, [(export, "<= 2.0", 2.0)])]


def fix_rows(hl, hive, work, runs):
    # 3. fix -o with its verification vs hivexregedit --merge (which verifies nothing) of the same change.
    # CLI11 answers --help with the main help (exit 0) when "fix" is no subcommand: look for fix's own usage line.
    big = hive.path
    fix_help = subprocess.run([hl, "fix", "--help"], capture_output=True, text=True)
    fix_available = fix_help.returncode == 0 and "hivelint fix" in fix_help.stdout
    fix_out = os.path.join(work, "fixed.hiv")
    merge_copy = os.path.join(work, "merge.hiv")
    merge_reg = os.path.join(work, "merge.reg")
    # The change: KB277770's fix through a rule that applies to the hive (bench/rules/kb277770-plus-one.json on
    # the bench shape, which passes KB277770 itself; tests/rules/dispatch-any-system.json elsewhere, which creates
    # InetInfo\Parameters where it is absent). hivexregedit merges the offline .reg that hivelint writes for
    # exactly that change (converted to the UTF-8 it reads).
    fix_args = ["--rules", hive.fix_rules, "--timestamp", "2024-01-01T00:00:00Z"] + hive.fix_args
    if fix_available:
        utf16_reg = os.path.join(work, "merge.utf16.reg")
        made = subprocess.run([hl, "fix", big, "--reg", utf16_reg, "--reg-root", "offline:SYSTEM", "--force", "--quiet"] +
                              fix_args, capture_output=True, text=True)
        if made.returncode == 4:  # fix refuses this hive (dirty, no logs): the row says why, both sides unmeasured
            fix = Command("hivelint fix -o", [hl], available=False, why=refusal(made.stderr))
            return [("fix -o (with verification)", fix, [(Command("hivexregedit --merge", ["hivexregedit"],
                                                                  available=False, why="not run"), "<= 1.5", 1.5)])]
        if made.returncode != 0:
            raise SystemExit("bench: hivelint fix --reg exited %d: %s" % (made.returncode, made.stderr.strip()[:500]))
        with open(utf16_reg, "rb") as src, open(merge_reg, "w", encoding="utf-8") as f:
            f.write(src.read().decode("utf-16").replace("\r\n", "\n"))
    # Each run starts with no dirty pages of the other's output (os.sync, untimed): hivexregedit does not flush what
    # it writes, so without this the next fix's fsync would wait for the disk to write hivexregedit's file too.
    def prepare_fix():
        if os.path.exists(fix_out):
            os.remove(fix_out)
        os.sync()

    def prepare_merge():
        shutil.copyfile(big, merge_copy)
        os.chmod(merge_copy, 0o644)
        os.sync()

    fix = Command("hivelint fix -o", [hl, "fix", big, "-o", fix_out, "--force"] + fix_args, ok_codes=(0,),
                  prepare=prepare_fix, available=fix_available,
                  why="n/a: no fix command", refusal_ok=True)
    merge = Command("hivexregedit --merge", ["hivexregedit", "--merge", "--prefix", "HKEY_LOCAL_MACHINE\\SYSTEM",
                                             merge_copy, merge_reg],
                    prepare=prepare_merge)
    alternate([fix, merge], runs)
    return [("fix -o (with verification)", fix, [(merge, "<= 1.5", 1.5)])]


def batch_rows(hl, work, batch, runs, baseline=None):
    # 4. Batch: jobs 1 vs jobs 2 on the same directory (throughput should scale with cores), and with --baseline
    # the same --jobs 2 run of an older binary (issue 11: the five rules within 20 % of the one rule before them).
    batch_dir = os.path.join(work, "batch%d" % batch)
    make_batch(batch_dir, batch)
    j1 = Command("check DIR --jobs 1", [hl, "check", batch_dir, "--jobs", "1", "--format", "jsonl"], ok_codes=(3,))
    j2 = Command("check DIR --jobs 2", [hl, "check", batch_dir, "--jobs", "2", "--format", "jsonl"], ok_codes=(3,))
    peers = [(j1, "~ 0.5 on 2 free cores", None)]
    commands = [j1, j2]
    if baseline:
        base = Command("baseline --jobs 2", [baseline, "check", batch_dir, "--jobs", "2", "--format", "jsonl"],
                       ok_codes=(3,))
        commands.append(base)
        peers.append((base, "<= 1.2 (issue 11)", 1.2))
    alternate(commands, runs)
    return [("batch %d hives, --jobs 2" % (batch + 1), j2, peers)]


def events_rows(hl, work, runs, smoke):
    # 5. Reading a System log: hivelint events (every record, current and recovered, SCM failures summarised) next
    # to libyal's own export tools printing every record (-m all); "no slower" is the target.
    shared = os.environ.get("HIVELINT_SHARED_DIR") or os.path.join(REPO, "..", "shared")
    real = os.path.join(shared, "events-real")
    sample = os.path.join(REPO, "samples", "events", "kb277770-w2k", "system32", "config", "SysEvent.Evt")
    rows = []
    for kind, name, tool in (("EVT", "plaso-SysEvent.Evt", "evtexport"), ("EVTX", "plaso-System.evtx", "evtxexport")):
        path = os.path.join(real, name)
        if kind == "EVT" and (smoke or not os.path.exists(path)):
            path = sample
        present = os.path.exists(path)
        why = "no %s (../shared/events-real absent)" % name
        label = "events %s (%s, %.1f MiB)" % (kind, os.path.basename(path), os.path.getsize(path) / 1048576 if present else 0)
        ours = Command("hivelint events", [hl, "events", path, "--quiet"], available=present, why=why)
        peer = Command(tool + " -m all", [tool, "-m", "all", path], available=present, why=why)
        alternate([ours, peer], runs)
        rows.append((label, ours, [(peer, "<= 1.0", 1.0)]))
    # A large EVTX (issue 13: "a 20 MB EVTX"): no public System.evtx is that large, so bench/make_big_evtx.py writes
    # one with tests/support/evtx_writer.py (a long-lived Exchange server's boots; 1 MiB for --smoke).
    big = os.path.join(work, "big-smoke.evtx" if smoke else "big.evtx")
    if not os.path.exists(big):
        subprocess.run([sys.executable, os.path.join(HERE, "make_big_evtx.py"), big, "--mib", "1" if smoke else "20"],
                       check=True)
    ours = Command("hivelint events", [hl, "events", big, "--quiet"])
    peer = Command("evtxexport -m all", ["evtxexport", "-m", "all", big])
    alternate([ours, peer], runs)
    rows.append(("events EVTX (built, %.1f MiB)" % (os.path.getsize(big) / 1048576), ours, [(peer, "<= 1.0", 1.0)]))
    return rows


def report(rows, limits):
    """Prints the rows; returns the targets missed (ratios, and peak RSS against `limits`: MiB per row kind)."""
    print()
    print("| row | hivelint | (cpu) | peak RSS | peer | peer time | (cpu) | ratio | cpu ratio | target |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    failures = []
    for name, ours, peer_list in rows:
        for peer, target_text, target in peer_list:
            if not ours.available:
                print("| %s | %s | | | %s | %s | %s | | | %s |" % (name, ours.why, peer.label, fmt_time(peer.median()),
                                                                fmt_time(peer.median_cpu()), target_text))
                continue
            ratio = None if not peer.available or peer.median() is None else ours.median() / peer.median()
            cpu_ratio = None if ratio is None or not peer.median_cpu() else ours.median_cpu() / peer.median_cpu()
            ratio_text = "n/a" if ratio is None else "%.2f" % ratio
            if ratio is not None and target is not None and ratio > target:
                ratio_text += " (missed)"
                failures.append(name + " vs " + peer.label)
            print("| %s | %s | %s | %.0f MiB | %s | %s | %s | %s | %s | %s |" % (
                name, fmt_time(ours.median()), fmt_time(ours.median_cpu()), ours.median_rss_mb(), peer.label,
                fmt_time(peer.median()) if peer.available else peer.why, fmt_time(peer.median_cpu()), ratio_text,
                "n/a" if cpu_ratio is None else "%.2f" % cpu_ratio, target_text))
    if limits:
        seen = set()
        texts = []
        for name, ours, _ in rows:
            kind = name.split()[0].rstrip(",")
            limit = limits.get(kind)
            if limit is None or not ours.available or ours.median_rss_mb() is None or name in seen:
                continue
            seen.add(name)
            if ours.median_rss_mb() > limit:
                failures.append("%s peak RSS %.0f MiB > %.0f MiB" % (name, ours.median_rss_mb(), limit))
            texts.append("%s %.0f/%.0f" % (name, ours.median_rss_mb(), limit))
        print()
        print("peak RSS / limit (MiB; check and export: hive + 64 MiB; fix: 3 x hive, at least hive + 64 MiB): " +
              "; ".join(texts))
    return failures


if __name__ == "__main__":
    sys.exit(main())
