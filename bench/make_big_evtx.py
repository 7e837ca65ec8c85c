#!/usr/bin/python3
"""Builds the benchmark's large System.evtx: the Service Control Manager records of a long-lived Exchange 2000
server, boot after boot, in the form scripts/gen-sample-events-evtx.py writes them (tests/support/evtx_writer.py,
read back by libevtx, evtxexport and python3-evtx in tests/scripts/events_evtx_built.sh).

    /usr/bin/python3 bench/make_big_evtx.py OUT [--mib 20]

Each boot logs EventLog's start (6005), twenty services' 7036 "running" and KB277770's three Event 7000 / error
1083; every tenth boot adds a timeout (7009) and a terminated service (7031). Boots follow one another every
hour from 2008-06-02 until the file holds --mib MiB (64 KiB chunks). No public System.evtx is that large
(the largest in ../shared/events-real is 2.1 MB). Deterministic: the same arguments write the same bytes.
"""
import argparse
import calendar
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "support"))
import evtx_writer as evtx  # noqa: E402

STARTED = ["Dhcp", "Dnscache", "Eventlog", "PlugPlay", "RpcSs", "SamSs", "lanmanserver", "lanmanworkstation",
           "Netlogon", "W32Time", "Schedule", "Spooler", "IISADMIN", "SMTPSVC", "W3SVC", "MSExchangeSA",
           "MSExchangeIS", "MSExchangeMTA", "winmgmt", "MSDTC"]
FAILED = [("Microsoft Exchange IMAP4", "IMAP4Svc"), ("Microsoft Exchange POP3", "POP3Svc"),
          ("Exchange Routing Engine", "RESvc")]


def key(name, suffix=""):
    return (name + suffix).encode("utf-16-le") + b"\0\0"


def boot_events(boot, t):
    out = [dict(written=t, event_id=6005, params=[], binary=b"\0" * 24, provider="EventLog", provider_guid=None,
                source_name=None, qualifiers=evtx.QUALIFIERS_WARNING, level=evtx.INFORMATION,
                keywords=0x0080000000000000)]
    for i, service in enumerate(STARTED):
        out.append(dict(written=t + 1 + i, event_id=7036, params=[service, "running"], binary=key(service, "/4"),
                        qualifiers=evtx.QUALIFIERS_INFORMATIONAL, level=evtx.INFORMATION))
    for i, (name, service) in enumerate(FAILED):
        out.append(dict(written=t + 30 + i, event_id=7000, params=[name, "%%1083"], binary=key(service)))
    if boot % 10 == 9:
        out.append(dict(written=t + 60, event_id=7009, params=["30000", "Microsoft Exchange POP3"],
                        binary=key("POP3Svc")))
        out.append(dict(written=t + 120, event_id=7031,
                        params=["Print Spooler", "1", "60000", "1", "Restart the service"], binary=key("Spooler")))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--mib", type=float, default=20.0, help="size to reach, in MiB")
    args = ap.parse_args()
    # Measure one boot's records once, then write as many boots as fill the size (a chunk holds whole records).
    start = calendar.timegm(time.strptime("2008-06-02T09:00:00", "%Y-%m-%dT%H:%M:%S"))
    sample = evtx.log_file(boot_events(0, start) * 10)
    per_boot = (len(sample) - evtx.FILE_HEADER_SIZE) / 10
    boots = max(1, int(args.mib * 1048576 / per_boot))
    for _ in range(2):  # chunks end in unused bytes: correct the estimate once by the size it gave
        events = []
        for boot in range(boots):
            events.extend(boot_events(boot, start + 3600 * boot))
        data = evtx.log_file(events)
        if len(data) >= args.mib * 1048576 * 0.98:
            break
        boots = int(boots * args.mib * 1048576 / len(data)) + 1
    tmp = args.out + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, args.out)
    print("%s: %d bytes, %d boots, %d records" % (args.out, os.path.getsize(args.out), boots, len(events)),
          file=sys.stderr)


if __name__ == "__main__":
    main()
