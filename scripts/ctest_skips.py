#!/usr/bin/env python3
"""Fail when a ctest run skipped anything.

    ctest --test-dir build --output-junit junit.xml ...
    scripts/ctest_skips.py build/junit.xml

Reads the JUnit file ctest (3.21+) writes and exits 1 naming every test that did not run: Skipped (a
`[real]` case or script without ../shared/hives-real, see tests/support/real_hives.hpp and SKIP_RETURN_CODE 77),
Not Run or Disabled. Exits 2 when the file is missing, unreadable or holds no test at all. scripts/test.sh runs
it when CI=true: CI always has ../shared and the test tools, so a skip there means a test proved nothing.
"""
import sys
import xml.etree.ElementTree as ET


def main(argv):
    if len(argv) != 2:
        print("usage: ctest_skips.py JUNIT_XML", file=sys.stderr)
        return 2
    try:
        root = ET.parse(argv[1]).getroot()
    except (OSError, ET.ParseError) as e:
        print("ctest_skips: cannot read %s: %s" % (argv[1], e), file=sys.stderr)
        return 2
    cases = root.iter("testcase")
    total = 0
    not_run = []
    for case in cases:
        total += 1
        status = case.get("status", "run")
        skipped = case.find("skipped")
        if skipped is not None or status in ("notrun", "disabled"):
            reason = skipped.get("message", "") if skipped is not None else status
            out = case.findtext("system-out") or ""
            marker = next((l.strip() for l in out.splitlines() if "SKIPPED" in l), "")
            not_run.append("%s (%s%s)" % (case.get("name"), reason, ": " + marker if marker else ""))
    if total == 0:
        print("ctest_skips: %s holds no test case" % argv[1], file=sys.stderr)
        return 2
    if not_run:
        print("ctest_skips: %d of %d tests did not run; in CI every test must run:" % (len(not_run), total),
              file=sys.stderr)
        for line in not_run:
            print("  " + line, file=sys.stderr)
        return 1
    print("ctest_skips: all %d tests ran" % total)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
