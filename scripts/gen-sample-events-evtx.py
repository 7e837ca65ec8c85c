#!/usr/bin/env python3
"""Write samples/events/kb277770-evtx/system32/winevt/Logs/System.evtx: a System log as Vista and later keep it
(EVTX), beside the failing SYSTEM hive of samples/hives/dispatch-missing-names (built into
system32/config/SYSTEM by scripts/build-sample-events.sh), so that `hivelint check SYSTEM` finds
../winevt/Logs/System.evtx by itself.

What it holds, all written after the hive's last write (2004-06-01T00:00:00Z), in the form Windows writes
Service Control Manager records (EventData param1 = display name, param2 = "%%<error>", Binary = the service
key name in UTF-16LE; tests/support/evtx_writer.py):
- KB277770's failures: Event 7000, error 1083 for IMAP4, POP3 and the Routing Engine at each of three boots
  (NNTP, the fourth name DispatchEntries lost, is not in this log: a summary comes only from records). The
  Routing Engine's records name it "Exchange Routing Engine", not the hive's display name: only the Binary
  key name (RESvc) resolves them;
- another error for the same service: POP3 also timed out once (7009) and failed with 1053 once;
- unrelated failures: the Print Spooler terminated (7031), and a service the hive does not have (7000, 2);
- noise: EventLog started (6005) and Service Control Manager state changes (7036) of the services that
  start at each boot, enough records that the log fills its first 64 KiB chunk and goes on in a second.
Deterministic: the same script writes the same bytes. Usage: gen-sample-events-evtx.py [OUT]
"""
import calendar
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "support"))
import evtx_writer as evtx  # noqa: E402

BOOTS = ["2008-06-02T09:12:00", "2008-06-03T07:40:00", "2008-06-04T08:05:00"]
KB277770_FAILED = [  # (display name as logged, service key), in the order the SCM starts them
    ("Microsoft Exchange IMAP4", "IMAP4Svc"),
    ("Microsoft Exchange POP3", "POP3Svc"),
    ("Exchange Routing Engine", "RESvc"),
]
STARTED = [  # (display name, key) of the services whose start each boot logs as 7036 "running"
    ("DHCP Client", "Dhcp"), ("DNS Client", "Dnscache"), ("Event Log", "Eventlog"), ("Plug and Play", "PlugPlay"),
    ("Remote Procedure Call (RPC)", "RpcSs"), ("Security Accounts Manager", "SamSs"), ("Server", "lanmanserver"),
    ("Workstation", "lanmanworkstation"), ("Net Logon", "Netlogon"), ("Windows Time", "W32Time"),
    ("Task Scheduler", "Schedule"), ("Print Spooler", "Spooler"), ("IIS Admin Service", "IISADMIN"),
    ("Simple Mail Transport Protocol (SMTP)", "SMTPSVC"), ("World Wide Web Publishing Service", "W3SVC"),
    ("Microsoft Exchange System Attendant", "MSExchangeSA"), ("Microsoft Exchange Information Store", "MSExchangeIS"),
    ("Microsoft Exchange MTA Stacks", "MSExchangeMTA"), ("Windows Management Instrumentation", "winmgmt"),
    ("Distributed Transaction Coordinator", "MSDTC"),
]


def posix(iso):
    return calendar.timegm(time.strptime(iso, "%Y-%m-%dT%H:%M:%S"))


def key(name, suffix=""):
    """The Binary of an SCM record: the service key name (7036 adds "/<state>"), UTF-16LE with its end."""
    return (name + suffix).encode("utf-16-le") + b"\0\0"


def scm_error(written, event_id, params, binary):
    return dict(written=written, event_id=event_id, params=params, binary=binary)


def scm_info(written, event_id, params, binary):
    return dict(written=written, event_id=event_id, params=params, binary=binary,
                qualifiers=evtx.QUALIFIERS_INFORMATIONAL, level=evtx.INFORMATION)


def events():
    out = []
    for boot in BOOTS:
        t = posix(boot)
        out.append(dict(written=t, event_id=6005, params=[], binary=b"\0" * 24, provider="EventLog",
                        provider_guid=None, source_name=None, qualifiers=evtx.QUALIFIERS_WARNING,
                        level=evtx.INFORMATION, keywords=0x0080000000000000))
        for i, (name, service) in enumerate(STARTED):
            out.append(scm_info(t + 1 + i, 7036, [name, "running"], key(service, "/4")))
        for i, (name, service) in enumerate(KB277770_FAILED):
            out.append(scm_error(t + 30 + i, 7000, [name, "%%1083"], key(service)))
    # Another error for the same service (POP3) on the second boot: a timeout, then a different 7000.
    t = posix(BOOTS[1]) + 60
    out.append(scm_error(t, 7009, ["30000", "Microsoft Exchange POP3"], key("POP3Svc")))
    out.append(scm_error(t + 1, 7000, ["Microsoft Exchange POP3", "%%1053"], key("POP3Svc")))
    # Unrelated failures.
    t = posix("2008-06-03T14:00:00")
    out.append(scm_error(t, 7031, ["Print Spooler", "1", "60000", "1", "Restart the service"], key("Spooler")))
    out.append(scm_info(t + 60, 7036, ["Print Spooler", "running"], key("Spooler", "/4")))
    out.append(scm_error(t + 120, 7000, ["Contoso Backup Agent", "%%2"], key("ContosoBackup")))
    out.sort(key=lambda e: e["written"])
    return out


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default = os.path.join(here, "..", "samples", "events", "kb277770-evtx", "system32", "winevt", "Logs",
                           "System.evtx")
    path = sys.argv[1] if len(sys.argv) > 1 else default
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(evtx.log_file(events()))
    print("wrote " + path)


if __name__ == "__main__":
    main()
