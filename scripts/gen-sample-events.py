#!/usr/bin/env python3
"""Write samples/events/kb277770-w2k/system32/config/SysEvent.Evt: the System log of the Windows 2000 server
whose SYSTEM hive is samples/hives/dispatch-missing-names (built beside it by scripts/build-sample-events.sh).

What it holds, all written after the hive's last write (2004-06-01T00:00:00Z):
- KB277770's failures: Event 7000, error 1083 for NNTP, IMAP4, POP3 and the Routing Engine at each of three
  boots (the four names DispatchEntries lost);
- another error for the same service: POP3 also timed out once (7009) and failed with 1053 once;
- an unrelated failure: the Print Spooler terminated (7031), and a service the hive does not have (7000, 2);
- noise: EventLog started (6005), Service Control Manager information records (7035, 7036), Tcpip (4199).
EVT names a service by its display name only; hivelint maps it to the key through Services\\*\\DisplayName.
Deterministic: the same script writes the same bytes. Usage: gen-sample-events.py [OUT]
"""
import calendar
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "support"))
import evt_writer as evt  # noqa: E402

SCM = "Service Control Manager"
BOOTS = ["2004-06-01T10:03:00", "2004-06-02T07:45:00", "2004-06-03T08:16:00"]
KB277770_FAILED = [  # display names in the hive, in the order the SCM starts them
    "Network News Transport Protocol (NNTP)",
    "Microsoft Exchange IMAP4",
    "Microsoft Exchange POP3",
    "Microsoft Exchange Routing Engine",
]


def posix(iso):
    return calendar.timegm(__import__("time").strptime(iso, "%Y-%m-%dT%H:%M:%S"))


def events():
    out = []  # (written, event_id, source, strings, type)
    for boot in BOOTS:
        t = posix(boot)
        out.append((t, 0x80001775, "EventLog", [], evt.INFORMATION))  # 6005 (Event log service started)
        out.append((t + 1, 0x40001B7C, SCM, ["Simple Mail Transport Protocol (SMTP)", "running"], evt.INFORMATION))
        for i, name in enumerate(KB277770_FAILED):
            out.append((t + 3 + i, evt.SEVERITY_ERROR | 7000, SCM, [name, "%%1083"], evt.ERROR))
        out.append((t + 20, 0x80001067, "Tcpip", ["EXCH01"], evt.WARNING))  # 4199 noise
    # Another error for the same service (POP3) on the second boot: a timeout, then a different 7000.
    t = posix(BOOTS[1]) + 30
    out.append((t, evt.SEVERITY_ERROR | 7009, SCM, ["30000", "Microsoft Exchange POP3"], evt.ERROR))
    out.append((t + 1, evt.SEVERITY_ERROR | 7000, SCM, ["Microsoft Exchange POP3", "%%1053"], evt.ERROR))
    # Unrelated failures.
    t = posix("2004-06-02T14:00:00")
    out.append((t, evt.SEVERITY_ERROR | 7031, SCM, ["Print Spooler", "1", "60000", "Restart the service"], evt.ERROR))
    out.append((t + 5, 0x40001B7B, SCM, ["Print Spooler", "start"], evt.INFORMATION))  # 7035
    out.append((t + 60, evt.SEVERITY_ERROR | 7000, SCM, ["Contoso Backup Agent", "%%2"], evt.ERROR))
    out.sort(key=lambda e: e[0])
    return out


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default = os.path.join(here, "..", "samples", "events", "kb277770-w2k", "system32", "config", "SysEvent.Evt")
    path = sys.argv[1] if len(sys.argv) > 1 else default
    records = [evt.record(n + 1, written, event_id, source, strings, event_type=event_type)
               for n, (written, event_id, source, strings, event_type) in enumerate(events())]
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(evt.log_file(records))
    print("wrote " + path)


if __name__ == "__main__":
    main()
