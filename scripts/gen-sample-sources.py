#!/usr/bin/env python3
"""Generate the sample SYSTEM-hive sources in samples/hives/ (NAME.reg and NAME.md).

This script is the source of the sample corpus: the checked-in NAME.reg files are its output, and
scripts/build-samples.sh compiles them into NAME.hiv with `hivelint build`.  It is deterministic
(no clock, no randomness, no locale): run it twice and the bytes are identical.

    python3 scripts/gen-sample-sources.py            # rewrite samples/hives/*.reg and *.md
    python3 scripts/gen-sample-sources.py -o DIR     # write them somewhere else (used to check)

The .reg files are written the way regedit (Windows 2000/2003, "Version 5.00") writes them:
UTF-16LE with a BOM, CRLF line ends, a blank line before every key, keys depth first with
subkeys in the registry's own order (uppercased name, compared by UTF-16 code unit), values in
creation order, REG_SZ quoted, REG_DWORD as dword:, everything else as hex:/hex(N): wrapped with
`\` + two spaces exactly where regedit wraps (after the byte that brings a line to 77 columns).

The hives imitate Windows 2000 Server SP4 / Windows Server 2003 SP1 machines running Exchange
2000 SP3 / Exchange 2003 SP1 (or only IIS), as seen by KB277770.  Everything is synthetic: names,
GUIDs, disk signatures and blobs are made up, but laid out as those systems lay them out.
"""

from __future__ import annotations

import argparse
import hashlib
import struct
import sys
from dataclasses import dataclass, field
from pathlib import Path

REG_NONE, REG_SZ, REG_EXPAND_SZ, REG_BINARY, REG_DWORD, REG_MULTI_SZ = 0, 1, 2, 3, 4, 7
PREFIX = "HKEY_LOCAL_MACHINE\\SYSTEM"
TIMESTAMP = "2004-06-01T00:00:00Z"
ROOT_NAME = "$$$PROTO.HIV"  # what Windows 2000/2003 SYSTEM hives carry as their root key name
# KB277770's not_applicable verdict in the .md tables; {} = the services its applies_if saw.
NOT_EXCHANGE = "not_applicable (no Exchange service installed; services seen: {})"
DISPATCH_NAMES = ["Ldapsvc", "Smtpsvc", "Nntpsvc", "Imap4svc", "Pop3svc", "Resvc"]


# ----------------------------------------------------------------------------------------------
# A tiny in-memory registry tree

def upcase(name: str) -> str:
    """Uppercase one code unit at a time, as Windows does (never grows a string, unlike 'ß'.upper())."""
    return "".join(c.upper() if len(c.upper()) == 1 else c for c in name)


def sort_key(name: str) -> list[int]:
    data = upcase(name).encode("utf-16-le")
    return [data[i] | (data[i + 1] << 8) for i in range(0, len(data), 2)]


@dataclass
class Value:
    name: str
    type: int
    data: bytes


@dataclass
class Key:
    name: str
    values: list[Value] = field(default_factory=list)
    subkeys: dict[str, "Key"] = field(default_factory=dict)  # keyed by upcase(name)

    def key(self, path: str) -> "Key":
        """Return the key at a backslash path below this one, creating what is missing."""
        node = self
        for part in path.split("\\"):
            child = node.subkeys.get(upcase(part))
            if child is None:
                child = node.subkeys[upcase(part)] = Key(part)
            node = child
        return node

    def find(self, path: str) -> "Key | None":
        node = self
        for part in path.split("\\"):
            node = node.subkeys.get(upcase(part))
            if node is None:
                return None
        return node

    def remove(self, path: str) -> None:
        parent, _, leaf = path.rpartition("\\")
        owner = self.find(parent) if parent else self
        assert owner is not None and upcase(leaf) in owner.subkeys, path
        del owner.subkeys[upcase(leaf)]

    def set(self, name: str, vtype: int, data: bytes) -> "Key":
        for v in self.values:
            if upcase(v.name) == upcase(name):
                v.type, v.data = vtype, data
                return self
        self.values.append(Value(name, vtype, data))
        return self

    def get_str(self, name: str) -> str:
        v = next(v for v in self.values if upcase(v.name) == upcase(name))
        return v.data.decode("utf-16-le").rstrip("\0")

    def delete_value(self, name: str) -> None:
        before = len(self.values)
        self.values = [v for v in self.values if upcase(v.name) != upcase(name)]
        assert len(self.values) == before - 1, name

    # typed setters
    def sz(self, name: str, s: str) -> "Key":
        return self.set(name, REG_SZ, s.encode("utf-16-le") + b"\0\0")

    def ex(self, name: str, s: str) -> "Key":
        return self.set(name, REG_EXPAND_SZ, s.encode("utf-16-le") + b"\0\0")

    def dw(self, name: str, n: int) -> "Key":
        return self.set(name, REG_DWORD, struct.pack("<I", n & 0xFFFFFFFF))

    def multi(self, name: str, items: list[str]) -> "Key":
        return self.set(name, REG_MULTI_SZ, multi_sz(items))

    def bin(self, name: str, data: bytes) -> "Key":
        return self.set(name, REG_BINARY, data)

    def count(self) -> int:
        return 1 + sum(k.count() for k in self.subkeys.values())

    def deep_copy(self, name: str | None = None) -> "Key":
        k = Key(name or self.name, [Value(v.name, v.type, v.data) for v in self.values])
        for c in self.subkeys.values():
            k.subkeys[upcase(c.name)] = c.deep_copy()
        return k


def multi_sz(items: list[str]) -> bytes:
    """REG_MULTI_SZ bytes: each string NUL-terminated, then one more NUL."""
    return b"".join(s.encode("utf-16-le") + b"\0\0" for s in items) + b"\0\0"


def det_bytes(label: str, n: int) -> bytes:
    """n deterministic pseudo-random bytes named by label (SHA-256 in counter mode)."""
    out = bytearray()
    i = 0
    while len(out) < n:
        out += hashlib.sha256(f"{label}/{i}".encode()).digest()
        i += 1
    return bytes(out[:n])


def det_guid(label: str) -> str:
    b = det_bytes("guid/" + label, 16)
    h = b.hex().upper()
    return "{%s-%s-%s-%s-%s}" % (h[0:8], h[8:12], h[12:16], h[16:20], h[20:32])


def filetime(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> int:
    import datetime
    t = datetime.datetime(year, month, day, hour, minute, tzinfo=datetime.timezone.utc)
    epoch = datetime.datetime(1601, 1, 1, tzinfo=datetime.timezone.utc)
    return int((t - epoch).total_seconds()) * 10_000_000


# ----------------------------------------------------------------------------------------------
# .reg writer (regedit 5.00 layout)

MAX_HEX_CHARS = 77  # regedit wraps once a hex line reaches 77 columns (then `\`, CRLF, two spaces)


def escape(s: str) -> str:
    return s.replace("\\", "\\\\").replace('"', '\\"')


def value_lines(v: Value) -> str:
    head = "@=" if v.name == "" else f'"{escape(v.name)}"='
    if v.type == REG_SZ:
        text = v.data.decode("utf-16-le")
        assert text.endswith("\0") and "\0" not in text[:-1], v.name
        return head + f'"{escape(text[:-1])}"'
    if v.type == REG_DWORD and len(v.data) == 4:
        return head + "dword:%08x" % struct.unpack("<I", v.data)[0]
    kind = "hex:" if v.type == REG_BINARY else "hex(%x):" % v.type
    out = head + kind
    line_len = len(head) + len(kind)
    for i, b in enumerate(v.data):
        out += "%02x" % b
        if i == len(v.data) - 1:
            break
        out += ","
        line_len += 3
        if line_len >= MAX_HEX_CHARS:
            out += "\\\r\n  "
            line_len = 2
    return out


def reg_text(root: Key) -> str:
    parts = ["Windows Registry Editor Version 5.00\r\n"]

    def walk(k: Key, path: str) -> None:
        parts.append(f"\r\n[{path}]\r\n")
        for v in k.values:
            parts.append(value_lines(v) + "\r\n")
        for child in sorted(k.subkeys.values(), key=lambda c: sort_key(c.name)):
            walk(child, path + "\\" + child.name)

    walk(root, PREFIX)
    parts.append("\r\n")
    return "".join(parts)


def write_reg(root: Key, path: Path) -> None:
    path.write_bytes(b"\xff\xfe" + reg_text(root).encode("utf-16-le"))


# ----------------------------------------------------------------------------------------------
# Machine description

@dataclass
class Machine:
    os: str                    # "2000" (Windows 2000 Server SP4) or "2003" (Windows Server 2003 SP1)
    host: str
    domain: str
    german: bool = False       # German-language installation (localized display names, time zone)
    # None, "2000" (Exchange 2000 SP3), "2003" (Exchange 2003 SP1), "smtp-only" (IIS SMTP, no Exchange),
    # "pop3-service" (Windows Server 2003's own POP3 Service beside IIS SMTP, no Exchange)
    exchange: str | None = None
    ip: str = "10.1.2.10"

    @property
    def sysroot(self) -> str:
        return "C:\\WINNT" if self.os == "2000" else "C:\\WINDOWS"

    @property
    def exchbin(self) -> str:
        return "C:\\Program Files\\Exchsrvr\\bin"


def sz16(s: str) -> bytes:
    return s.encode("utf-16-le")


def mounted_devices(root: Key, m: Machine) -> None:
    md = root.key("MountedDevices")
    sig = det_bytes("disksig/" + m.host, 4)
    # Basic-disk entries: 4-byte disk signature + 8-byte partition starting offset (bytes).
    c_vol = sig + struct.pack("<Q", 32256)
    d_vol = sig + struct.pack("<Q", 32256 + 12 * 1024**3)
    cdrom = sz16("\\??\\IDE#CdRomLITE-ON_LTN486S_48x_Max________________YSSF____#"
                 "5&1d8c3bcb&0&1.0.0#{53f5630d-b6bf-11d0-94f2-00a0c91efb8b}")
    v1, v2, v3 = det_guid(m.host + "/vol1"), det_guid(m.host + "/vol2"), det_guid(m.host + "/vol3")
    md.bin("\\DosDevices\\C:", c_vol)
    md.bin("\\DosDevices\\D:", d_vol)
    md.bin("\\DosDevices\\E:", cdrom)
    md.bin(f"\\??\\Volume{v1.lower()}", c_vol)
    md.bin(f"\\??\\Volume{v2.lower()}", d_vol)
    md.bin(f"\\??\\Volume{v3.lower()}", cdrom)


def setup_key(root: Key, m: Machine) -> None:
    s = root.key("Setup")
    s.sz("CmdLine", "setup -newsetup")
    s.sz("OsLoaderPath", "\\")
    s.dw("SetupType", 0)
    s.sz("SystemPartition", "\\Device\\HarddiskVolume1")
    s.bin("SystemPrefix", bytes.fromhex("d10b0000008073b0") if m.os == "2000" else bytes.fromhex("c81300000040b733"))
    s.dw("SystemSetupInProgress", 0)
    s.sz("SourcePath", "D:\\")
    s.sz("ServicePackSourcePath", m.sysroot[:3] + ("SP4\\i386" if m.os == "2000" else "SP1\\i386"))
    if m.os == "2000":
        s.dw("UpgradeInProgress", 0)


def select_key(root: Key, current: int, default: int, lkg: int, failed: int = 0) -> None:
    sel = root.key("Select")
    sel.dw("Current", current)
    sel.dw("Default", default)
    sel.dw("Failed", failed)
    sel.dw("LastKnownGood", lkg)


def app_compat_cache_2003(m: Machine) -> bytes:
    """Windows Server 2003 shim cache: magic 0xbadc0ffe, entry count, 24-byte entries, UTF-16 paths."""
    sys32 = f"{m.sysroot}\\system32"
    system_exes = [
        "alg", "arp", "at", "attrib", "cacls", "chkdsk", "cipher", "cmd", "cscript", "csrss", "dcomcnfg",
        "defrag", "dfrgntfs", "dllhost", "dmadmin", "dns", "doskey", "drwtsn32", "dwwin", "eventcreate",
        "eventvwr", "expand", "explorer", "find", "findstr", "ftp", "gpresult", "gpupdate", "hostname",
        "iisreset", "ipconfig", "lodctr", "logoff", "lsass", "mmc", "mofcomp", "mountvol", "msdtc",
        "msiexec", "mstsc", "nbtstat", "net", "net1", "netsh", "netstat", "notepad", "nslookup", "ntbackup",
        "ntdsutil", "ntfrs", "ping", "rdpclip", "reg", "regedt32", "regsvr32", "rundll32", "runas",
        "sc", "schtasks", "secedit", "services", "setup", "shutdown", "smss", "snmp", "spoolsv",
        "svchost", "systeminfo", "taskkill", "tasklist", "taskmgr", "tracert", "unlodctr", "userinit",
        "verifier", "w32tm", "wbem\\wmiprvse", "wbem\\wmiadap", "winlogon", "winmsd", "wuauclt", "xcopy",
        "inetsrv\\inetinfo", "inetsrv\\w3wp", "inetsrv\\iisadmin", "dfssvc", "clussvc", "locator",
        "wins", "tlntsvr", "sessmgr", "wpabaln", "wscntfy", "ctfmon", "imapi", "helpctr", "helpsvc",
    ]
    exchange_exes = [
        "mad", "store", "emsmta", "exmgmt", "events", "setup", "eseutil", "isinteg", "mtacheck",
        "exchmem", "exmon", "srsmain", "exchsrvr", "emsabtbl", "mdbvu32", "elc", "winroute",
    ]
    paths = [f"\\??\\{sys32}\\{e}.exe" for e in system_exes]
    paths += [f"\\??\\{sys32}\\dllcache\\{e}.exe" for e in system_exes if "\\" not in e]
    if m.exchange in ("2000", "2003"):
        paths += [f"\\??\\{m.exchbin}\\{e}.exe" for e in exchange_exes]
    paths += [
        "\\??\\C:\\Program Files\\Support Tools\\dcdiag.exe",
        "\\??\\C:\\Program Files\\Support Tools\\netdiag.exe",
        "\\??\\C:\\Program Files\\Support Tools\\repadmin.exe",
        "\\??\\C:\\Program Files\\Resource Kit\\srvany.exe",
        "\\??\\C:\\Program Files\\Windows Resource Kits\\Tools\\robocopy.exe",
        "\\??\\D:\\i386\\winnt32.exe",
        "\\??\\E:\\SETUP\\I386\\SETUP.EXE",
    ]
    entries, strings = [], b""
    header = 8
    table = 24 * len(paths)
    offset = header + table
    for i, p in enumerate(paths):
        raw = sz16(p)
        mtime = filetime(2003, 3, 25, 12, 0) + i * 613_000_000
        size = 8192 + int.from_bytes(det_bytes("size/" + p, 3), "little")
        entries.append(struct.pack("<HHIQQ", len(raw), len(raw) + 2, offset, mtime, size))
        strings += raw + b"\0\0"
        offset += len(raw) + 2
    return struct.pack("<II", 0xBADC0FFE, len(paths)) + b"".join(entries) + strings


def network_config_2000(m: Machine) -> bytes:
    """Control\\Network\\Config: the binary binding database of Windows 2000's network class installer.

    The layout (a version dword, then GUID-keyed records holding UTF-16 component ids) follows what
    real ones look like; the content is synthetic and the record count is chosen so that the value
    exceeds 16344 bytes (a big-data cell) -- a real Windows 2000 server's is usually a few KB."""
    comps = ["ms_tcpip", "ms_netbt", "ms_netbios", "ms_server", "ms_msclient", "ms_wins", "ms_rasman",
             "ms_ndiswan", "ms_pptp", "ms_l2tp", "ms_nwlnkipx", "ms_nwlnknb", "ms_ndisuio", "ms_psched",
             "ms_wanarp", "ms_atmlane", "ms_irda", "ms_rassrv", "ms_rascli", "ms_netmon", "pci\\ven_8086&dev_1229",
             "pci\\ven_8086&dev_1229_2", "ms_ndiswanip", "ms_ndiswanbh", "ms_ptiminiport", "ms_l2tpminiport",
             "ms_pptpminiport", "ms_netbt_smb", "ms_nwsapagent", "ms_appletalk"]
    out = bytearray(struct.pack("<II", 0, 0x1C))
    i = 0
    while len(out) <= 20000:
        comp = comps[i % len(comps)]
        guid = det_bytes(f"netcfg/{m.host}/{i}", 16)
        name = sz16(comp) + b"\0\0"
        bindings = det_bytes(f"netcfg-bind/{m.host}/{i}", 8 * (1 + i % 5))
        out += guid + struct.pack("<II", i % 7, len(name)) + name + struct.pack("<I", len(bindings)) + bindings
        i += 1
    return bytes(out)


def svc(cs: Key, name: str, *, type: int, start: int, image: str | None, display: str,
        error: int = 1, depend: list[str] | None = None, group: str | None = None,
        obj: str | None = "LocalSystem", desc: str | None = None, tag: int | None = None,
        depend_group: list[str] | None = None) -> Key:
    """One Services\\NAME key with the values Windows' service control manager keeps there."""
    k = cs.key("Services\\" + name)
    if desc is not None:
        k.sz("Description", desc)
    if depend_group is not None:
        k.multi("DependOnGroup", depend_group)
    if depend is not None:
        k.multi("DependOnService", depend)
    k.sz("DisplayName", display)
    k.dw("ErrorControl", error)
    if group is not None:
        k.sz("Group", group)
    if image is not None:
        k.ex("ImagePath", image)
    if obj is not None:
        k.sz("ObjectName", obj)
    k.dw("Start", start)
    if tag is not None:
        k.dw("Tag", tag)
    k.dw("Type", type)
    if type >= 0x10:
        # Win32 services keep their security descriptor here (Services\NAME\Enum is volatile: not saved).
        k.key("Security").bin("Security", security_blob("svc/" + name))
    return k


def security_blob(label: str) -> bytes:
    """A self-relative SECURITY_DESCRIPTOR such as services' Security\\Security values (synthetic)."""
    return bytes.fromhex("01001480") + struct.pack("<IIII", 0x90, 0xA0, 0, 0x14) + det_bytes("sd/" + label, 0x7C) \
        + bytes.fromhex("010100000000000512000000") + bytes.fromhex("010100000000000512000000")


def control(cs: Key, m: Machine, set_no: int) -> None:
    c = cs.key("Control")
    c.sz("CurrentUser", "USERNAME")
    c.sz("SystemStartOptions", " FASTDETECT" if m.os == "2000" else " FASTDETECT NOEXECUTE=OPTOUT")
    c.sz("WaitToKillServiceTimeout", "20000")

    c.key("ComputerName\\ComputerName").sz("ComputerName", m.host)
    c.key("ProductOptions").sz("ProductType", "ServerNT").multi(
        "ProductSuite", ["Enterprise", "Terminal Server"] if m.exchange == "2000" else ["Terminal Server"])

    cc = c.key("CrashControl")
    cc.dw("AutoReboot", 1).dw("CrashDumpEnabled", 2 if m.os == "2003" else 3).ex("DumpFile", "%SystemRoot%\\MEMORY.DMP")
    cc.dw("LogEvent", 1).ex("MinidumpDir", "%SystemRoot%\\Minidump").dw("Overwrite", 1).dw("SendAlert", 1)

    c.key("FileSystem").dw("NtfsDisable8dot3NameCreation", 0).dw("NtfsDisableLastAccessUpdate", 0) \
        .dw("Win31FileSystem", 0).dw("Win95TruncatedExtensions", 1)

    nls = c.key("Nls\\Language")
    lang = "0407" if m.german else "0409"
    nls.sz("Default", lang).sz("InstallLanguage", lang)
    nls.sz("0407", "l_german.nls").sz("0409", "l_intl.nls")
    c.key("Nls\\CodePage").sz("ACP", "1252").sz("OEMCP", "850" if m.german else "437").sz("MACCP", "10000")

    c.key("ServiceGroupOrder").multi("List", [
        "System Reserved", "Boot Bus Extender", "System Bus Extender", "SCSI miniport", "Port",
        "Primary disk", "SCSI Class", "SCSI CDROM Class", "FSFilter Infrastructure", "FSFilter System",
        "Filter", "Boot File System", "Base", "Pointer Port", "Keyboard Port", "Pointer Class",
        "Keyboard Class", "Video Init", "Video", "Video Save", "File system", "Event log", "Streams Drivers",
        "NDIS Wrapper", "COM Infrastructure", "UIGroup", "LocalValidation", "PlugPlay", "PNP_TDI", "NDIS",
        "TDI", "NetBIOSGroup", "ShellSvcGroup", "SchedulerGroup", "SpoolerGroup", "AudioGroup",
        "SmartCardGroup", "NetworkProvider", "RemoteValidation", "NetDDEGroup", "Parallel arbitrator",
        "Extended Base", "PCI Configuration", "MS Transactions"])

    sm = c.key("Session Manager")
    sm.multi("BootExecute", ["autocheck autochk *"])
    sm.dw("CriticalSectionTimeout", 0x278D00).dw("GlobalFlag", 0).dw("ProtectionMode", 1)
    sm.multi("ExcludeFromKnownDlls", [])
    sm.multi("ObjectDirectories", ["\\Windows", "\\RPC Control"])
    sm.dw("RegisteredProcessors", 4).dw("LicensedProcessors", 4)
    sm.key("Memory Management").dw("ClearPageFileAtShutdown", 0).dw("DisablePagingExecutive", 0) \
        .multi("PagingFiles", ["C:\\pagefile.sys 2046 4092"]).dw("LargeSystemCache", 1).dw("SystemPages", 0)
    env = sm.key("Environment")
    env.ex("ComSpec", "%SystemRoot%\\system32\\cmd.exe")
    env.sz("NUMBER_OF_PROCESSORS", "2")
    env.sz("OS", "Windows_NT")
    if m.os == "2000":
        env.ex("Os2LibPath", "%SystemRoot%\\system32\\os2\\dll;")
    path = "%SystemRoot%\\system32;%SystemRoot%;%SystemRoot%\\System32\\Wbem"
    if m.exchange in ("2000", "2003"):
        path += ";C:\\Program Files\\Exchsrvr\\bin"
    env.ex("Path", path)
    env.sz("PATHEXT", ".COM;.EXE;.BAT;.CMD;.VBS;.VBE;.JS;.JSE;.WSF;.WSH")
    env.sz("PROCESSOR_ARCHITECTURE", "x86")
    env.sz("PROCESSOR_IDENTIFIER", "x86 Family 15 Model 2 Stepping 9, GenuineIntel")
    env.sz("PROCESSOR_LEVEL", "15")
    env.sz("PROCESSOR_REVISION", "0209")
    env.ex("TEMP", "%SystemRoot%\\TEMP")
    env.ex("TMP", "%SystemRoot%\\TEMP")
    env.ex("windir", "%SystemRoot%")
    if m.german:
        env.sz("STANDORT", "München, Rechenzentrum Süd")

    if m.os == "2003":
        c.key("Session Manager\\AppCompatibility").bin("AppCompatCache", app_compat_cache_2003(m))
    net = c.key("Network")
    if m.os == "2000":
        net.bin("Config", network_config_2000(m))
    else:
        net.bin("Config", det_bytes("netcfg-small/" + m.host, 2424))
    net.multi("FilterClasses", ["scheduler", "encryption", "compression", "vpn", "loadbalance",
                                "failover", "diagnostic", "custom", "unknown"])

    tz = c.key("TimeZoneInformation")
    systime_std = struct.pack("<8H", 0, 10, 0, 5, 3, 0, 0, 0)   # last Sunday of October, 03:00
    systime_dst = struct.pack("<8H", 0, 3, 0, 5, 2, 0, 0, 0)    # last Sunday of March, 02:00
    if m.german:
        tz.dw("ActiveTimeBias", 0xFFFFFF88).dw("Bias", 0xFFFFFFC4).dw("DaylightBias", 0xFFFFFFC4)
        tz.sz("DaylightName", "Westeuropäische Sommerzeit").bin("DaylightStart", systime_dst)
        tz.dw("StandardBias", 0).sz("StandardName", "Westeuropäische Normalzeit").bin("StandardStart", systime_std)
    else:
        tz.dw("ActiveTimeBias", 0x1A4).dw("Bias", 0x1E0).dw("DaylightBias", 0xFFFFFFC4)
        tz.sz("DaylightName", "Pacific Daylight Time").bin("DaylightStart", struct.pack("<8H", 0, 4, 0, 1, 2, 0, 0, 0))
        tz.dw("StandardBias", 0).sz("StandardName", "Pacific Standard Time").bin("StandardStart", systime_std)

    w = c.key("Windows")
    w.dw("CSDVersion", 0x400 if m.os == "2000" else 0x100)
    w.ex("Directory", "%SystemRoot%").dw("ErrorMode", 0).dw("NoInteractiveServices", 0)
    w.bin("ShutdownTime", struct.pack("<Q", filetime(2004, 5, 28 + set_no, 22, 14)))
    w.ex("SystemDirectory", "%SystemRoot%\\system32")

    # One local printer whose name and comment are not ASCII (German office; the en dash and the
    # euro sign are outside Latin-1, so the key name is stored as UTF-16, not compressed).
    pr = c.key("Print\\Printers\\Kopierer Büro – 2. OG")
    pr.dw("Attributes", 0x2A48).dw("ChangeID", 0x0A6F41B2)
    pr.sz("Datatype", "RAW")
    pr.bin("Default DevMode", det_bytes("devmode/" + m.host, 220))
    pr.sz("Description", "Farbkopien 0,15 € je Seite")
    pr.dw("DnsTimeout", 15000)
    pr.sz("Location", "Gebäude A, 2. OG, Raum 214")
    pr.sz("Name", "Kopierer Büro – 2. OG")
    pr.sz("Port", "IP_10.1.2.40")
    pr.sz("Print Processor", "WinPrint")
    pr.sz("Printer Driver", "HP LaserJet 4050 Series PCL6")
    pr.dw("Priority", 1)
    pr.bin("Security", security_blob("printer/" + m.host))
    pr.sz("Separator File", "")
    pr.sz("Share Name", "Kopierer2OG")
    pr.dw("StartTime", 0).dw("Status", 0).dw("TxTimeout", 45000).dw("UntilTime", 0)
    pr.key("PrinterDriverData").dw("FreeMem", 0x1F40).sz("Model", "HP LaserJet 4050 Series PCL6")
    c.key("Print").dw("BeepEnabled", 0).dw("MajorVersion", 3 if m.os == "2003" else 2).dw("MinorVersion", 0)

    c.key("Lsa").multi("Authentication Packages", ["msv1_0"]).dw("LimitBlankPasswordUse", 1) \
        .multi("Notification Packages", ["scecli"]).multi("Security Packages",
                                                           ["kerberos", "msv1_0", "schannel", "wdigest"]) \
        .dw("restrictanonymous", 0)
    c.key("Terminal Server").dw("fDenyTSConnections", 0 if m.os == "2003" else 1).dw("TSAppCompat", 0)

    c.key("Class\\{4D36E972-E325-11CE-BFC1-08002BE10318}").sz("", "Network adapters").sz("Class", "Net") \
        .sz("Icon", "-5").ex("Installer32", "NetCfgx.dll,NetClassInstaller")
    nic = c.key("Class\\{4D36E972-E325-11CE-BFC1-08002BE10318}\\0001")
    nic.sz("ComponentId", "pci\\ven_8086&dev_1229").sz("DriverDesc", "Intel(R) PRO/100 S Server Adapter")
    nic.sz("DriverVersion", "6.4.6.0" if m.os == "2003" else "4.3.13.0").sz("InfPath", "oem1.inf")
    nic.sz("NetCfgInstanceId", det_guid(m.host + "/nic")).dw("Characteristics", 0x84).dw("BusType", 5)
    nic.key("Linkage").multi("Export", ["\\Device\\" + det_guid(m.host + "/nic")]) \
        .multi("RootDevice", [det_guid(m.host + "/nic")]).multi("UpperBind", ["NetBT", "Tcpip"])


def services(cs: Key, m: Machine) -> None:
    s32 = "System32" if m.os == "2000" else "system32"

    def kd(name, display, image, start, group, tag=None, error=1, depend=None):
        return svc(cs, name, type=1, start=start, image=image, display=display, group=group, tag=tag,
                   error=error, depend=depend, obj=None)

    # Kernel and file-system drivers (Afd, Srv, Mup, MRxSmb, NetBIOS: the stock services here depend on them)
    kd("Afd", "AFD", f"\\SystemRoot\\{s32}\\drivers\\afd.sys", 1, "TDI")
    kd("atapi", "Standard IDE/ESDI Hard Disk Controller", f"{s32}\\DRIVERS\\atapi.sys", 0, "SCSI miniport", 25, 1)
    kd("Beep", "Beep", None, 1, "Base", 1)
    kd("Cdrom", "CD-ROM Driver", f"{s32}\\DRIVERS\\cdrom.sys", 1, "SCSI CDROM Class", 2)
    kd("Disk", "Disk Driver", f"{s32}\\DRIVERS\\disk.sys", 0, "SCSI Class", 2)
    kd("E100B", "Intel(R) PRO Adapter Driver", f"{s32}\\DRIVERS\\e100b325.sys", 3, "NDIS")
    kd("i8042prt", "i8042 Keyboard and PS/2 Mouse Port Driver", f"{s32}\\DRIVERS\\i8042prt.sys", 1,
       "Keyboard Port", 1)
    kd("Kbdclass", "Keyboard Class Driver", f"{s32}\\DRIVERS\\kbdclass.sys", 1, "Keyboard Class", 1)
    kd("Mouclass", "Mouse Class Driver", f"{s32}\\DRIVERS\\mouclass.sys", 1, "Pointer Class", 1)
    kd("NetBT", "NetBios over Tcpip", f"{s32}\\DRIVERS\\netbt.sys", 1, "PNP_TDI", depend=["Tcpip"])
    svc(cs, "Ntfs", type=2, start=3, image=None, display="Ntfs", group="Boot file system", obj=None)
    kd("Null", "Null", None, 1, "Base", 1)
    kd("Parport", "Parallel port driver", f"{s32}\\DRIVERS\\parport.sys", 3, "Parallel arbitrator", error=0)
    kd("MRxSmb", "MRxSmb", f"{s32}\\DRIVERS\\mrxsmb.sys", 1, "Network")
    kd("Mup", "Mup", f"{s32}\\Drivers\\mup.sys", 1, "Network")
    kd("NetBIOS", "NetBIOS Interface", f"{s32}\\DRIVERS\\netbios.sys", 1, "NetBIOSGroup")
    kd("Srv", "Srv", f"{s32}\\DRIVERS\\srv.sys", 3, "Network")
    kd("Serial", "Serial port driver", f"{s32}\\DRIVERS\\serial.sys", 1, "Extended base", 2, error=0)
    tcp = kd("Tcpip", "TCP/IP Protocol Driver", f"{s32}\\DRIVERS\\tcpip.sys", 1, "PNP_TDI",
             depend=["IPSec"] if m.os == "2003" else None)
    kd("IPSec" if m.os == "2003" else "IPSEC", "IPSEC driver", f"{s32}\\DRIVERS\\ipsec.sys", 1, "PNP_TDI",
       depend=["Tcpip"] if m.os == "2003" else None)
    tp = tcp.key("Parameters")
    tp.ex("DataBasePath", "%SystemRoot%\\System32\\drivers\\etc")
    tp.dw("DeadGWDetectDefault", 1)
    tp.sz("Domain", m.domain)
    tp.dw("DontAddDefaultGatewayDefault", 0).dw("EnableICMPRedirect", 1).dw("EnableSecurityFilters", 0)
    tp.dw("ForwardBroadcasts", 0)
    tp.sz("Hostname", m.host.lower())
    tp.dw("IPEnableRouter", 0)
    tp.sz("NameServer", "")
    tp.sz("NV Hostname", m.host.lower())
    tp.sz("SearchList", "")
    tp.dw("SyncDomainWithMembership", 1).dw("TcpTimedWaitDelay", 0x1E).dw("UseDomainNameDevolution", 1)
    nic = det_guid(m.host + "/nic")
    itf = tp.key("Interfaces\\" + nic)
    itf.multi("DefaultGateway", [m.ip.rsplit(".", 1)[0] + ".1"]).multi("DefaultGatewayMetric", ["0"])
    itf.dw("EnableDHCP", 0).multi("IPAddress", [m.ip]).sz("NameServer", m.ip.rsplit(".", 1)[0] + ".5,"
                                                         + m.ip.rsplit(".", 1)[0] + ".6")
    itf.multi("SubnetMask", ["255.255.255.0"]).dw("UseZeroBroadcast", 0)
    tcp.key("Linkage").multi("Bind", ["\\Device\\" + nic]).multi("Export", ["\\Device\\Tcpip_" + nic]) \
        .multi("Route", [f'"{nic}"'])

    # Win32 services
    svchost = "%SystemRoot%\\system32\\svchost.exe"
    services_exe = "%SystemRoot%\\system32\\services.exe"
    lsass = "%SystemRoot%\\system32\\lsass.exe"
    netsvcs = f"{svchost} -k netsvcs"
    svc(cs, "Alerter", type=0x20, start=4 if m.os == "2003" else 2,
        image=f"{svchost} -k LocalService" if m.os == "2003" else services_exe, display="Alerter",
        depend=["LanmanWorkstation"],
        obj="NT AUTHORITY\\LocalService" if m.os == "2003" else "LocalSystem",
        desc="Notifies selected users and computers of administrative alerts.")
    svc(cs, "Browser", type=0x20, start=2, image=netsvcs if m.os == "2003" else services_exe,
        display="Computer Browser", depend=["LanmanWorkstation", "LanmanServer"],
        desc="Maintains an updated list of computers on the network and supplies this list to computers "
             "designated as browsers.")
    svc(cs, "COMSysApp", type=0x10, start=3,
        image="%SystemRoot%\\System32\\dllhost.exe /Processid:{02D4B3F1-FD88-11D1-960D-00805FC79235}",
        display="COM+ System Application", depend=["RPCSS"],
        desc="Manages the configuration and tracking of Component Object Model (COM)+-based components.")
    svc(cs, "Dhcp", type=0x20, start=2, image=netsvcs if m.os == "2003" else services_exe,
        display="DHCP Client", group="TDI", depend=["Tcpip", "Afd", "NetBT"],
        desc="Manages network configuration by registering and updating IP addresses and DNS names.")
    svc(cs, "Dnscache", type=0x20, start=2,
        image=f"{svchost} -k NetworkService" if m.os == "2003" else services_exe,
        display="DNS Client", group="TDI", depend=["Tcpip"],
        obj="NT AUTHORITY\\NetworkService" if m.os == "2003" else "LocalSystem",
        desc="Resolves and caches Domain Name System (DNS) names for this computer.")
    ev = svc(cs, "Eventlog", type=0x20, start=2, image=services_exe, display="Event Log", group="Event log",
             desc="Enables event log messages issued by Windows-based programs and components to be viewed "
                  "in Event Viewer. This service cannot be stopped.")
    app = ev.key("Application")
    app.ex("File", "%SystemRoot%\\system32\\config\\AppEvent.Evt").dw("MaxSize", 0x80000).dw("Retention", 0x93A80)
    sources = ["Application Popup", "EventSystem", "LoadPerf", "MSDTC", "Userenv", "Winlogon", "WinMgmt"]
    if m.exchange in ("2000", "2003"):
        sources += ["MSExchangeAL", "MSExchangeDSAccess", "MSExchangeIS", "MSExchangeIS Mailbox Store",
                    "MSExchangeIS Public Store", "MSExchangeMTA", "MSExchangeSA", "MSExchangeTransport",
                    "POP3Svc", "IMAP4Svc", "ESE"]
    for src in sorted(sources, key=sort_key):
        app.key(src).ex("EventMessageFile", {
            "ESE": "%SystemRoot%\\System32\\ESENT.dll",
            "LoadPerf": "%SystemRoot%\\System32\\loadperf.dll",
            "MSDTC": "%SystemRoot%\\System32\\msdtcprx.dll",
            "Userenv": "%SystemRoot%\\System32\\userenv.dll",
            "Winlogon": "%SystemRoot%\\System32\\userenv.dll",
            "WinMgmt": "%SystemRoot%\\System32\\wbem\\WinMgmtR.dll",
            "EventSystem": "%SystemRoot%\\System32\\es.dll",
            "Application Popup": "%SystemRoot%\\System32\\ntdll.dll",
        }.get(src, f"{m.exchbin}\\{'exchmsg.dll' if src.startswith('MSExchangeIS') else 'mad.exe'}")) \
            .dw("TypesSupported", 7)
    app.multi("Sources", sorted(sources + ["Application"], key=sort_key))
    sec = ev.key("Security")
    sec.ex("File", "%SystemRoot%\\system32\\config\\SecEvent.Evt").dw("MaxSize", 0x20000).dw("Retention", 0x93A80)
    sec.multi("Sources", ["Security", "SC Manager", "Security Account Manager", "Spooler"])
    syst = ev.key("System")
    syst.ex("File", "%SystemRoot%\\system32\\config\\SysEvent.Evt").dw("MaxSize", 0x80000).dw("Retention", 0x93A80)
    syst.multi("Sources", ["Application Popup", "atapi", "Browser", "Dhcp", "DnsApi", "EventLog", "NetBT",
                           "Service Control Manager", "Tcpip", "W32Time", "System"])
    syst.key("Service Control Manager").ex("EventMessageFile", "%SystemRoot%\\System32\\netevent.dll") \
        .dw("TypesSupported", 7)

    lsrv = svc(cs, "lanmanserver", type=0x20, start=2, image=netsvcs if m.os == "2003" else services_exe,
               display="Server", depend=["SamSS", "Srv"],
               desc="Supports file, print, and named-pipe sharing over the network for this computer.")
    lsrv.key("Parameters").sz("EnableSharedNetDrives", "0").sz("Guid", det_guid(m.host + "/srv")) \
        .multi("NullSessionPipes", ["COMNAP", "COMNODE", "SQL\\QUERY", "SPOOLSS", "LLSRPC", "browser"]) \
        .multi("NullSessionShares", ["COMCFG", "DFS$"]).dw("Size", 3).ex("ServiceDll", "%SystemRoot%\\system32\\srvsvc.dll")
    shares = lsrv.key("Shares")
    # Share names are value names: one with umlauts (a value name outside ASCII).
    shares.multi("Übergabe", ["CSCFlags=0", "MaxUses=4294967295", "Path=D:\\Daten\\Übergabe", "Permissions=0",
                              "Remark=Dateiübergabe für den Außendienst", "Type=0"])
    if m.exchange in ("2000", "2003"):
        shares.multi("Address", ["CSCFlags=0", "MaxUses=4294967295", "Path=C:\\Program Files\\Exchsrvr\\address",
                                 "Permissions=0", "Remark=\"Access to address objects\"", "Type=0"])
        shares.multi(f"{m.host}.log", ["CSCFlags=0", "MaxUses=4294967295",
                                       f"Path=C:\\Program Files\\Exchsrvr\\{m.host}.log", "Permissions=0",
                                       "Remark=Exchange message tracking logs", "Type=0"])
    shares.key("Security").bin("Übergabe", security_blob("share/" + m.host))

    svc(cs, "lanmanworkstation", type=0x20, start=2, image=netsvcs if m.os == "2003" else services_exe,
        display="Workstation", group="NetworkProvider", depend=["Mup", "MRxSmb", "NetBIOS"] if m.os == "2000" else None,
        desc="Creates and maintains client network connections to remote servers.")
    svc(cs, "LmHosts", type=0x20, start=2, image=f"{svchost} -k LocalService" if m.os == "2003" else services_exe,
        display="TCP/IP NetBIOS Helper" if m.os == "2003" else "TCP/IP NetBIOS Helper Service",
        group="TDI", depend=["NetBT", "Afd"],
        obj="NT AUTHORITY\\LocalService" if m.os == "2003" else "LocalSystem",
        desc="Enables support for NetBIOS over TCP/IP (NetBT) service and NetBIOS name resolution.")
    svc(cs, "Messenger", type=0x20, start=4 if m.os == "2003" else 2,
        image=netsvcs if m.os == "2003" else services_exe, display="Messenger",
        group="TDI", depend=["LanmanWorkstation", "NetBIOS", "PlugPlay", "RpcSS"],
        desc="Transmits net send and Alerter service messages between clients and servers.")
    svc(cs, "Netlogon", type=0x20, start=2, image=lsass, display="Net Logon", group="RemoteValidation",
        depend=["LanmanWorkstation"],
        desc="Supports pass-through authentication of account logon events for computers in a domain.")
    if m.os == "2000":
        svc(cs, "NtLmSsp", type=0x20, start=3, image="%SystemRoot%\\System32\\lsass.exe",
            display="NT LM Security Support Provider",
            desc="Provides security to remote procedure call (RPC) programs that use transports other than "
                 "named pipes.")
    svc(cs, "PlugPlay", type=0x20, start=2, image=services_exe, display="Plug and Play", group="PlugPlay",
        desc="Manages device installation and configuration and notifies programs of device changes.")
    svc(cs, "ProtectedStorage", type=0x20, start=2, image=lsass,
        display="Geschützter Speicher" if m.german else "Protected Storage",
        depend=["RpcSS"],
        desc="Bietet geschützte Speicherung für sensible Daten, wie z. B. private Schlüssel, um nicht "
             "autorisierten Zugriff durch Dienste, Prozesse oder Benutzer zu verhindern." if m.german else
             "Protects storage of sensitive information, such as private keys, and prevents access by "
             "unauthorized services, processes, or users.")
    svc(cs, "RpcLocator", type=0x10, start=3, image="%SystemRoot%\\system32\\locator.exe",
        display="Remote Procedure Call (RPC) Locator", depend=["LanmanWorkstation"],
        obj="NT AUTHORITY\\NetworkService" if m.os == "2003" else "LocalSystem",
        desc="Manages the RPC name service database.")
    svc(cs, "RpcSs", type=0x20, start=2, image=f"{svchost} -k rpcss" if m.os == "2003" else f"{svchost} -k rpcss",
        display="Remote Procedure Call (RPC)", group="COM Infrastructure",
        desc="Provides the endpoint mapper and other miscellaneous RPC services.")
    svc(cs, "SamSs", type=0x20, start=2, image=lsass,
        display="Sicherheitskontenverwaltung" if m.german else "Security Accounts Manager",
        depend=["RPCSS"],
        desc="Speichert Sicherheitsinformationen für lokale Benutzerkonten." if m.german else
             "Stores security information for local user accounts.")
    svc(cs, "Schedule", type=0x20, start=2, image=netsvcs if m.os == "2003" else "%SystemRoot%\\System32\\MSTask.exe",
        display="Task Scheduler", group="SchedulerGroup", depend=["RpcSs"],
        desc="Enables a program to run at a designated time.")
    svc(cs, "Spooler", type=0x110, start=2, image="%SystemRoot%\\system32\\spoolsv.exe",
        display="Druckwarteschlange" if m.german else "Print Spooler", group="SpoolerGroup", depend=["RPCSS"],
        desc="Lädt Dateien zum späteren Druck in den Arbeitsspeicher." if m.german else
             "Loads files to memory for later printing.")
    svc(cs, "W32Time", type=0x20, start=2, image=netsvcs if m.os == "2003" else services_exe,
        display="Windows Time",
        desc="Maintains date and time synchronization on all clients and servers in the network.")
    svc(cs, "winmgmt", type=0x20, start=2, image=netsvcs if m.os == "2003" else f"{s32}\\WBEM\\WinMgmt.exe",
        display="Windows Management Instrumentation", depend=["RPCSS", "Eventlog"],
        desc="Provides a common interface and object model to access management information about the "
             "operating system, devices, applications and services.")
    svc(cs, "MSDTC", type=0x10, start=2, image="%SystemRoot%\\System32\\msdtc.exe",
        display="Distributed Transaction Coordinator", group="MS Transactions", depend=["RPCSS", "SamSS"],
        obj="NT AUTHORITY\\NetworkService" if m.os == "2003" else "LocalSystem",
        desc="Coordinates transactions that are distributed across multiple computer systems and/or "
             "resource managers.")
    svc(cs, "RemoteRegistry", type=0x20 if m.os == "2003" else 0x10, start=2,
        image=f"{svchost} -k regsvc" if m.os == "2003" else "%SystemRoot%\\system32\\regsvc.exe",
        display="Remote Registry" if m.os == "2003" else "Remote Registry Service", depend=["RPCSS"],
        obj="NT AUTHORITY\\LocalService" if m.os == "2003" else "LocalSystem",
        desc="Enables remote users to modify registry settings on this computer.")
    svc(cs, "TermService", type=0x20, start=3 if m.os == "2003" else 4,
        image=f"{svchost} -k termsvcs" if m.os == "2003" else "%SystemRoot%\\System32\\termsrv.exe",
        display="Terminal Services", depend=["RPCSS"],
        desc="Allows multiple users to be connected interactively to a machine.")


def iis(cs: Key, m: Machine, *, smtp: bool, nntp: bool, dispatch: bool) -> None:
    """IIS 5.0 (Windows 2000) or IIS 6.0 (Windows Server 2003) services and InetInfo\\Parameters."""
    inetinfo = "%SystemRoot%\\System32\\inetsrv\\inetinfo.exe"
    svc(cs, "IISADMIN", type=0x20, start=2, image=inetinfo, display="IIS Admin Service" if m.os == "2000" else "IIS Admin",
        depend=["RPCSS", "SamSS"] if m.os == "2000" else ["RPCSS"],
        desc="Allows administration of Web and FTP services through the Internet Information Services "
             "snap-in.")
    if m.os == "2000":
        svc(cs, "W3SVC", type=0x20, start=2, image=inetinfo, display="World Wide Web Publishing Service",
            depend=["IISADMIN"], desc="Provides Web connectivity and administration through the Internet "
                                      "Information Services snap-in.")
    else:
        svc(cs, "HTTP", type=1, start=3, image=None, display="HTTP", obj=None)
        svc(cs, "HTTPFilter", type=0x20, start=3, image="%SystemRoot%\\system32\\lsass.exe", display="HTTP SSL",
            depend=["HTTP"], desc="This service implements the secure hypertext transfer protocol (HTTPS) for the "
                                  "HTTP service, using the Secure Socket Layer (SSL).")
        svc(cs, "W3SVC", type=0x20, start=2, image=f"%SystemRoot%\\System32\\svchost.exe -k iissvcs",
            display="World Wide Web Publishing Service", depend=["RPCSS", "HTTPFilter", "IISADMIN"],
            desc="Provides Web connectivity and administration through the Internet Information Services "
                 "Manager")
        cs.key("Services\\W3SVC\\Parameters").ex("ServiceDll", "%SystemRoot%\\System32\\inetsrv\\iisw3adm.dll")
    cs.key("Services\\W3SVC\\Parameters").dw("MajorVersion", 5 if m.os == "2000" else 6) \
        .dw("MinorVersion", 0).ex("InstallPath", "%SystemRoot%\\system32\\inetsrv")
    svc(cs, "MSFTPSVC", type=0x20, start=2, image=inetinfo, display="FTP Publishing Service" if m.os == "2000"
        else "FTP Publishing", depend=["IISADMIN"],
        desc="Provides FTP connectivity and administration through the Internet Information Services snap-in.")
    if smtp:
        s = svc(cs, "SMTPSVC", type=0x20, start=2, image=inetinfo,
                display="Simple Mail Transport Protocol (SMTP)" if m.os == "2000" else
                "Simple Mail Transfer Protocol (SMTP)",
                depend=["IISADMIN"], desc="Transports electronic mail across the network")
        s.key("Parameters").dw("MajorVersion", 5 if m.os == "2000" else 6).dw("MinorVersion", 0) \
            .ex("InstallPath", "%SystemRoot%\\System32\\inetsrv")
    if nntp:
        svc(cs, "NntpSvc", type=0x20, start=4 if m.exchange == "2003" else 2, image=inetinfo,
            display="Network News Transport Protocol (NNTP)" if m.os == "2000" else
            "Network News Transfer Protocol (NNTP)",
            depend=["IISADMIN"], desc="Transports network news across the network.") \
            .key("Parameters").ex("InstallPath", "%SystemRoot%\\System32\\inetsrv")

    ii = cs.key("Services\\InetInfo")
    p = ii.key("Parameters")
    p.dw("ListenBackLog", 0x19)
    p.dw("MaxPoolThreads", 4)
    p.dw("PoolThreadLimit", 0x100 if m.os == "2000" else 0x200)
    p.dw("ThreadTimeout", 0x15180)
    p.dw("MemCacheSize", 0x1000000)
    p.dw("ObjectCacheTTL", 0x1E)
    if dispatch:
        p.multi("DispatchEntries", DISPATCH_NAMES)
    perf = ii.key("Performance")
    perf.sz("Close", "CloseINFOPerformanceData").sz("Collect", "CollectINFOPerformanceData")
    perf.dw("First Counter", 0x77C).dw("First Help", 0x77D).dw("Last Counter", 0x7A0).dw("Last Help", 0x7A1)
    perf.sz("Library", "infoctrs.dll").sz("Open", "OpenINFOPerformanceData")


def exchange(cs: Key, m: Machine, *, dllhost: bool = False) -> None:
    """Exchange 2000 SP3 / Exchange 2003 SP1 services (names as Exchange setup spells them)."""
    assert m.exchange in ("2000", "2003")
    e2003 = m.exchange == "2003"
    inetinfo = "%SystemRoot%\\System32\\inetsrv\\inetinfo.exe"
    ex = m.exchbin
    de = m.german

    def dllhost_path(label: str) -> str:
        return f"%SystemRoot%\\System32\\dllhost.exe /Processid:{det_guid(m.host + '/com+/' + label)}"

    sa = svc(cs, "MSExchangeSA", type=0x10, start=2, image=f'"{ex}\\mad.exe"',
             display="Microsoft Exchange-Systemaufsicht" if de else "Microsoft Exchange System Attendant",
             depend=["EventLog", "LanmanServer", "LanmanWorkstation", "RPCLOCATOR", "RPCSS"]
             + ([] if e2003 else ["NtLmSsp"]),
             desc="Stellt Systemdienste für Microsoft Exchange bereit." if de else
             "Provides Microsoft Exchange system services")
    sa.key("Parameters").sz("Server Name", m.host).sz("Site DN", f"/o={m.domain.split('.')[0].upper()}/ou=First "
                                                                f"Administrative Group")
    svc(cs, "MSExchangeIS", type=0x10, start=2, image=f'"{ex}\\store.exe"',
        display="Microsoft Exchange-Informationsspeicher" if de else "Microsoft Exchange Information Store",
        depend=["MSExchangeSA"],
        desc="Verwaltet den Microsoft Exchange-Informationsspeicher." if de else
        "Manages the Microsoft Exchange Information Store") \
        .key("ParametersSystem").sz("Working Directory", "C:\\Program Files\\Exchsrvr\\mdbdata") \
        .dw("Circular Logging", 0)
    svc(cs, "MSExchangeMTA", type=0x10, start=2, image=f'"{ex}\\emsmta.exe"',
        display="Microsoft Exchange-MTA-Stacks" if de else "Microsoft Exchange MTA Stacks",
        depend=["MSExchangeSA"],
        desc="Provides Microsoft Exchange X.400 services")
    svc(cs, "MSExchangeES", type=0x10, start=4 if e2003 else 3, image=f'"{ex}\\events.exe"',
        display="Microsoft Exchange-Ereignis" if de else "Microsoft Exchange Event", depend=["MSExchangeIS"],
        desc="Provides Microsoft Exchange 5.5 compatible server-side scripting")
    svc(cs, "MSExchangeMGMT", type=0x10, start=2, image=f'"{ex}\\exmgmt.exe"',
        display="Microsoft Exchange-Verwaltung" if de else "Microsoft Exchange Management",
        depend=["RPCSS"],
        desc="Provides Exchange management information using Windows Management Instrumentation (WMI).")
    svc(cs, "MSSEARCH", type=0x10, start=2,
        image='"C:\\Program Files\\Common Files\\System\\MSSearch\\Bin\\mssearch.exe"',
        display="Microsoft Search", depend=["NtLmSsp"] if not e2003 else ["RPCSS"],
        desc="Creates full-text indexes on content and properties of structured and semi-structured data.")
    svc(cs, "RESvc", type=0x20, start=2, image=inetinfo,
        display="Microsoft Exchange-Routingmodul" if de else "Microsoft Exchange Routing Engine",
        depend=["IISADMIN"], desc="Processes Microsoft Exchange routing information")
    # Exchange 2003 installs POP3 and IMAP4 disabled (Start=4); Exchange 2000 starts them.
    for name, disp, disp_de in (("POP3Svc", "Microsoft Exchange POP3", "Microsoft Exchange-POP3"),
                                ("IMAP4Svc", "Microsoft Exchange IMAP4", "Microsoft Exchange-IMAP4")):
        image = dllhost_path(name) if dllhost else inetinfo
        svc(cs, name, type=0x10 if dllhost else 0x20, start=4 if e2003 else 2, image=image,
            display=disp_de if de else disp, depend=["IISADMIN"],
            desc=f"Provides Microsoft Exchange {name[:-3].upper()} Services")
    # Plug and Play keeps a legacy device node per started service.
    for name in ("MSExchangeIS", "MSExchangeMTA", "MSExchangeSA", "RESvc"):
        n = cs.key(f"Enum\\Root\\LEGACY_{upcase(name)}")
        n.dw("NextInstance", 1)
        d = n.key("0000")
        d.sz("Class", "LegacyDriver").sz("ClassGUID", "{8ECC055D-047F-11D1-A537-0000F8753ED1}")
        d.dw("ConfigFlags", 0).sz("DeviceDesc", cs.find(f"Services\\{name}").get_str("DisplayName"))
        d.dw("Legacy", 1).sz("Service", name)


def pop3_service(cs: Key, m: Machine) -> None:
    """Windows Server 2003's POP3 Service (Add/Remove Windows Components, E-mail Services): service name
    POP3SVC, its own process pop3svc.exe (not inetinfo.exe), delivering through IIS SMTP's mail store."""
    assert m.os == "2003"
    svc(cs, "POP3SVC", type=0x10, start=2, image="%SystemRoot%\\system32\\pop3server\\pop3svc.exe",
        display="Microsoft POP3 Service", depend=["IISADMIN", "SMTPSVC"],
        desc="Provides e-mail transfer and retrieval services. Administrators can use this service to store "
             "and manage e-mail accounts on the mail server.")


def control_set(m: Machine, set_no: int, *, smtp: bool, nntp: bool, exchange_svcs: bool,
                dispatch: bool, dllhost: bool = False) -> Key:
    cs = Key(f"ControlSet{set_no:03d}")
    control(cs, m, set_no)
    services(cs, m)
    iis(cs, m, smtp=smtp, nntp=nntp, dispatch=dispatch)
    if exchange_svcs:
        exchange(cs, m, dllhost=dllhost)
    if m.exchange == "pop3-service":
        pop3_service(cs, m)
    cs.key("Enum\\Root\\LEGACY_IISADMIN\\0000").sz("Class", "LegacyDriver") \
        .sz("ClassGUID", "{8ECC055D-047F-11D1-A537-0000F8753ED1}").dw("ConfigFlags", 0) \
        .sz("DeviceDesc", "IIS Admin Service").dw("Legacy", 1).sz("Service", "IISADMIN")
    cs.key("Enum\\Root\\LEGACY_IISADMIN").dw("NextInstance", 1)
    cs.key("Hardware Profiles\\0001\\System\\CurrentControlSet\\Enum")
    cs.key("Hardware Profiles\\Current")
    return cs


def machine_hive(m: Machine, *, sets: list[int], select: tuple[int, int, int, int] | None,
                 dllhost: bool = False) -> Key:
    root = Key("")
    ex = m.exchange in ("2000", "2003")
    for n in sets:
        root.subkeys[upcase(f"ControlSet{n:03d}")] = control_set(
            m, n, smtp=ex or m.exchange in ("smtp-only", "pop3-service"), nntp=ex, exchange_svcs=ex, dispatch=ex, dllhost=dllhost)
    mounted_devices(root, m)
    if select is not None:
        select_key(root, *select)
    setup_key(root, m)
    if m.os == "2003":
        root.key("WPA\\PnP").dw("seed", int.from_bytes(det_bytes("wpa/" + m.host, 4), "little"))
    return root


def dispatch_key(root: Key, set_no: int) -> Key:
    k = root.find(f"ControlSet{set_no:03d}\\Services\\InetInfo\\Parameters")
    assert k is not None
    return k


# ----------------------------------------------------------------------------------------------
# The samples

@dataclass
class Sample:
    name: str
    title: str
    windows: str
    root: Key
    shows: str
    select: str
    verdicts: list[tuple[str, str]]  # (--control-set, expected result)
    dispatch_state: str
    notes: list[str] = field(default_factory=list)
    root_name: str = ROOT_NAME
    extra_md: list[str] = field(default_factory=list)  # more sections (the service-start rules' expected items)


def all_samples() -> list[Sample]:
    out: list[Sample] = []
    sel_default = "Current=1, Default=1, Failed=0, LastKnownGood=2"

    def two_set_verdicts(verdict: str) -> list[tuple[str, str]]:
        return [("current (default)", f"ControlSet001: {verdict}"), ("default", f"ControlSet001: {verdict}"),
                ("lastknowngood", f"ControlSet002: {verdict}"),
                ("failed", "error: Select\\Failed = 0, no control set is recorded as failed"),
                ("1", f"ControlSet001: {verdict}"), ("2", f"ControlSet002: {verdict}"),
                ("all", f"ControlSet001: {verdict}; ControlSet002: {verdict}")]

    all6 = "fail; missing Ldapsvc, Smtpsvc, Nntpsvc, Imap4svc, Pop3svc, Resvc"

    # 1 -------------------------------------------------------------------------------------------
    m = Machine(os="2000", host="EXCH01", domain="corp.example.com", exchange="2000", ip="10.1.2.10")
    root = machine_hive(m, sets=[1, 2], select=(1, 1, 2, 0))
    out.append(Sample(
        "exchange2000-healthy", "A healthy Exchange 2000 server",
        "Windows 2000 Server SP4 (English), Exchange 2000 Server SP3, IIS 5.0", root,
        "The state KB277770 asks for: `DispatchEntries` (REG_MULTI_SZ) under "
        "`Services\\InetInfo\\Parameters` lists all six names in both control sets, and all five "
        "IIS-hosted Exchange protocol services (SMTPSVC, NntpSvc, POP3Svc, IMAP4Svc, RESvc) are installed.",
        sel_default, two_set_verdicts("pass"),
        "REG_MULTI_SZ `Ldapsvc`, `Smtpsvc`, `Nntpsvc`, `Imap4svc`, `Pop3svc`, `Resvc` in ControlSet001 and "
        "ControlSet002."))

    # 2 -------------------------------------------------------------------------------------------
    m = Machine(os="2000", host="MAILSRV2", domain="ad.example.net", exchange="2000", ip="192.168.10.20")
    root = machine_hive(m, sets=[1, 2], select=(1, 1, 2, 0))
    for n in (1, 2):
        dispatch_key(root, n).multi("DispatchEntries", ["Ldapsvc", "Smtpsvc"])
    verdict = "fail; missing Nntpsvc, Imap4svc, Pop3svc, Resvc"
    out.append(Sample(
        "dispatch-missing-names", "DispatchEntries lost four of its names",
        "Windows 2000 Server SP4 (English), Exchange 2000 Server SP3, IIS 5.0", root,
        "The KB277770 failure: Exchange is installed, but `DispatchEntries` holds only `Ldapsvc` and "
        "`Smtpsvc` (as after IIS was removed and reinstalled), so NNTP, IMAP4, POP3 and the Routing "
        "Engine fail to start with Event 7000 / error 1083.",
        sel_default, two_set_verdicts(verdict),
        "REG_MULTI_SZ `Ldapsvc`, `Smtpsvc` (only) in both control sets; the missing names in rule order are "
        "Nntpsvc, Imap4svc, Pop3svc, Resvc."))

    # 3 -------------------------------------------------------------------------------------------
    m = Machine(os="2003", host="EX2003-A", domain="corp.example.org", exchange="2003", ip="10.20.0.31")
    root = machine_hive(m, sets=[1, 2], select=(1, 1, 2, 0))
    for n in (1, 2):
        dispatch_key(root, n).delete_value("DispatchEntries")
    out.append(Sample(
        "dispatch-value-absent", "Parameters key without DispatchEntries",
        "Windows Server 2003 SP1 (English), Exchange Server 2003 SP1, IIS 6.0", root,
        "Exchange is installed and `Services\\InetInfo\\Parameters` exists with its usual values "
        "(ListenBackLog, MaxPoolThreads, PoolThreadLimit, ...) but has no `DispatchEntries` value at all.",
        sel_default, two_set_verdicts(all6),
        "absent (the Parameters key has 6 other values) in both control sets."))

    # 4 -------------------------------------------------------------------------------------------
    m = Machine(os="2000", host="EXBH-03", domain="corp.example.com", exchange="2000", ip="10.1.2.13")
    root = machine_hive(m, sets=[1, 2], select=(1, 1, 2, 0))
    for n in (1, 2):
        root.remove(f"ControlSet{n:03d}\\Services\\InetInfo\\Parameters")
    out.append(Sample(
        "parameters-key-absent", "InetInfo without its Parameters key",
        "Windows 2000 Server SP4 (English), Exchange 2000 Server SP3, IIS 5.0", root,
        "Exchange is installed and `Services\\InetInfo` exists (with its `Performance` subkey) but has no "
        "`Parameters` subkey, so there is nowhere for `DispatchEntries` to be.",
        sel_default, two_set_verdicts(all6),
        "the key `Services\\InetInfo\\Parameters` is absent in both control sets (`Services\\InetInfo` and "
        "`Services\\InetInfo\\Performance` exist)."))

    # 5 -------------------------------------------------------------------------------------------
    m = Machine(os="2003", host="MUC-EX01", domain="firma.example.de", exchange="2003", german=True,
                ip="10.80.1.21")
    root = machine_hive(m, sets=[1, 2], select=(1, 1, 2, 0))
    for n in (1, 2):
        dispatch_key(root, n).sz("DispatchEntries", " ".join(DISPATCH_NAMES))
    out.append(Sample(
        "dispatch-wrong-type", "DispatchEntries recreated as a plain string",
        "Windows Server 2003 SP1 (German), Exchange Server 2003 SP1, IIS 6.0", root,
        "Someone recreated `DispatchEntries` with regedit's *New > String Value*: it is REG_SZ "
        "`Ldapsvc Smtpsvc Nntpsvc Imap4svc Pop3svc Resvc` (one string with spaces) instead of a REG_MULTI_SZ. "
        "IIS reads it as no usable list, so the finding is the wrong type and every name counts as missing.",
        sel_default, two_set_verdicts(all6 + " (DispatchEntries has type REG_SZ, expected REG_MULTI_SZ)"),
        "REG_SZ `Ldapsvc Smtpsvc Nntpsvc Imap4svc Pop3svc Resvc` in both control sets.",
        notes=["German installation: several DisplayName values (e.g. `ProtectedStorage` = "
               "`Geschützter Speicher`, `MSExchangeIS` = `Microsoft Exchange-Informationsspeicher`), the time "
               "zone names and the `STANDORT` environment variable are not ASCII."]))

    # 6 -------------------------------------------------------------------------------------------
    m = Machine(os="2000", host="EXCHANGE", domain="example.local", exchange="2000", ip="172.16.4.2")
    root = machine_hive(m, sets=[1, 2], select=(1, 1, 2, 0))
    for n in (1, 2):
        p = dispatch_key(root, n)
        p.delete_value("DispatchEntries")
        p.key("DispatchEntries")
    out.append(Sample(
        "dispatch-key-not-value", "DispatchEntries created as a key",
        "Windows 2000 Server SP4 (English), Exchange 2000 Server SP3, IIS 5.0", root,
        "KB277770 read literally (\"locate the following key ... DispatchEntries\"): an administrator created a "
        "*subkey* `Services\\InetInfo\\Parameters\\DispatchEntries` (empty: no values, no subkeys) instead of the "
        "REG_MULTI_SZ value, so the value is still missing.",
        sel_default, two_set_verdicts(all6 + " (DispatchEntries is a key, not a value)"),
        "no value; an empty subkey named `DispatchEntries` under `Parameters` in both control sets."))

    # 7 -------------------------------------------------------------------------------------------
    m = Machine(os="2003", host="FE-OWA02", domain="firma.example.de", exchange="2003", german=True,
                ip="10.80.1.42")
    root = machine_hive(m, sets=[1, 2], select=(1, 1, 2, 0), dllhost=True)
    # The empty string comes after every required name (a trailing empty string, as `reg add` writes for a
    # stray `\\0` at the end of /d), so the verdict is the same however a reader treats it; the empty
    # string *between* required names is dispatch-empty-entry.
    entries = ["LDAPSVC", "smtpsvc", "NntpSvc", "W3Svc", "Imap4Svc", "POP3SVC", "ReSvc", ""]
    for n in (1, 2):
        dispatch_key(root, n).set("DispatchEntries", REG_MULTI_SZ, multi_sz(entries))
    out.append(Sample(
        "dispatch-case-extras", "DispatchEntries with odd case, an extra entry and an empty string",
        "Windows Server 2003 SP1 (German), Exchange Server 2003 SP1 front-end server, IIS 6.0", root,
        "Names compare case-insensitively, an extra name is allowed and a trailing empty string is harmless: "
        "`DispatchEntries` = `LDAPSVC`, `smtpsvc`, `NntpSvc`, `W3Svc`, `Imap4Svc`, `POP3SVC`, `ReSvc`, ``. "
        "POP3Svc and IMAP4Svc have their ImagePath under `dllhost.exe /Processid:{...}` (own-process "
        "services, Type 0x10) instead of inetinfo.exe, as on some Exchange 2003 servers; the rule must not "
        "depend on ImagePath.",
        sel_default, two_set_verdicts("pass"),
        "REG_MULTI_SZ of 8 strings `LDAPSVC`, `smtpsvc`, `NntpSvc`, `W3Svc`, `Imap4Svc`, `POP3SVC`, `ReSvc`, "
        "(empty) in both control sets. In bytes the value ends `R\\0e\\0S\\0v\\0c\\0` then three UTF-16 NULs "
        "(the terminator of `ReSvc`, the empty string, the list terminator) instead of two.",
        notes=["German installation: non-ASCII DisplayName values, time zone names and `STANDORT`."]))

    # 7b ------------------------------------------------------------------------------------------
    m = Machine(os="2003", host="EX2003-B", domain="corp.example.org", exchange="2003", ip="10.20.0.32")
    root = machine_hive(m, sets=[1, 2], select=(1, 1, 2, 0))
    entries = ["Ldapsvc", "Smtpsvc", "Nntpsvc", "", "Imap4svc", "Pop3svc", "Resvc"]
    for n in (1, 2):
        dispatch_key(root, n).set("DispatchEntries", REG_MULTI_SZ, multi_sz(entries))
    verdict = ("fail; missing Imap4svc, Pop3svc, Resvc (stored, but only after the empty string, where Windows "
               "stops reading)")
    out.append(Sample(
        "dispatch-empty-entry", "An empty string hides the last three names",
        "Windows Server 2003 SP1 (English), Exchange Server 2003 SP1, IIS 6.0", root,
        "`DispatchEntries` was rewritten with `reg add ... /t REG_MULTI_SZ /d "
        "\"Ldapsvc\\0Smtpsvc\\0Nntpsvc\\0\\0Imap4svc\\0Pop3svc\\0Resvc\"` (one `\\0` too many), which stores "
        "an empty string after `Nntpsvc`. Windows reads a REG_MULTI_SZ up to its first empty string, so IIS "
        "sees only `Ldapsvc`, `Smtpsvc`, `Nntpsvc`: all six names are stored, yet three are missing.",
        sel_default, two_set_verdicts(verdict),
        "REG_MULTI_SZ of 7 strings `Ldapsvc`, `Smtpsvc`, `Nntpsvc`, (empty), `Imap4svc`, `Pop3svc`, `Resvc` in "
        "both control sets. In bytes the empty string is a lone UTF-16 NUL right after `Nntpsvc\\0`, so the data "
        "holds a double NUL well before its stored length ends.",
        notes=["A reader that goes on to the stored length (rather than stopping where Windows stops) would "
               "wrongly pass this sample; `hivelint check --format json` lists the hidden names under "
               "`only_after_empty_entry` (docs/json.md)."]))

    # 8 -------------------------------------------------------------------------------------------
    m = Machine(os="2003", host="HAM-MAIL1", domain="firma.example.de", exchange="2003", german=True,
                ip="10.81.0.11")
    root = machine_hive(m, sets=[1, 2], select=(2, 2, 1, 0))
    dispatch_key(root, 2).multi("DispatchEntries", ["Ldapsvc", "Smtpsvc", "Nntpsvc"])
    broken = "fail; missing Imap4svc, Pop3svc, Resvc"
    out.append(Sample(
        "controlset002-broken", "Only the current control set is broken",
        "Windows Server 2003 SP1 (German), Exchange Server 2003 SP1, IIS 6.0", root,
        "Control-set selection: `Select\\Current` = 2, so CurrentControlSet is ControlSet002, whose "
        "`DispatchEntries` lost three names (`Ldapsvc`, `Smtpsvc`, `Nntpsvc` only); ControlSet001 (the last "
        "known good set) is healthy. A tool that always reads ControlSet001 gets this one wrong.",
        "Current=2, Default=2, Failed=0, LastKnownGood=1",
        [("current (default)", f"ControlSet002: {broken}"), ("default", f"ControlSet002: {broken}"),
         ("lastknowngood", "ControlSet001: pass"),
         ("failed", "error: Select\\Failed = 0, no control set is recorded as failed"),
         ("1", "ControlSet001: pass"), ("2", f"ControlSet002: {broken}"),
         ("all", f"ControlSet001: pass; ControlSet002: {broken}")],
        "ControlSet001: REG_MULTI_SZ with all six names. ControlSet002: REG_MULTI_SZ `Ldapsvc`, `Smtpsvc`, "
        "`Nntpsvc`."))

    # 9 -------------------------------------------------------------------------------------------
    m = Machine(os="2003", host="WEB01", domain="corp.example.com", exchange=None, ip="10.1.3.80")
    root = machine_hive(m, sets=[1, 2], select=(1, 1, 2, 0))
    out.append(Sample(
        "no-exchange", "IIS without Exchange",
        "Windows Server 2003 SP1 (English), IIS 6.0 (WWW and FTP only; SMTP and NNTP not installed)", root,
        "The rule does not apply: W3SVC, IISADMIN, MSFTPSVC and `Services\\InetInfo\\Parameters` (without "
        "`DispatchEntries`) exist, but none of SMTPSVC, NntpSvc, POP3Svc, IMAP4Svc, RESvc is installed.",
        sel_default, two_set_verdicts(NOT_EXCHANGE.format("none")),
        "absent (the Parameters key exists with 6 other values); not needed on this machine."))

    # 10 ------------------------------------------------------------------------------------------
    m = Machine(os="2003", host="EX-RESTORE", domain="corp.example.org", exchange="2003", ip="10.20.0.77")
    root = machine_hive(m, sets=[1], select=None)
    out.append(Sample(
        "no-select", "A hive without Select",
        "Windows Server 2003 SP1 (English), Exchange Server 2003 SP1, IIS 6.0", root,
        "No `Select` key, so `CurrentControlSet` cannot be resolved (as in a hive rebuilt by a recovery tool "
        "or assembled from a partial export). Only ControlSet001 exists, and it is healthy; naming it "
        "explicitly works.",
        "no Select key",
        [("current (default)", "error: no Select key (exit 3)"),
         ("default / lastknowngood / failed", "error: no Select key (exit 3)"),
         ("1", "ControlSet001: pass"), ("all", "ControlSet001: pass (the only ControlSet00N key)")],
        "REG_MULTI_SZ with all six names in ControlSet001 (the only control set)."))

    # 11 ------------------------------------------------------------------------------------------
    m = Machine(os="2000", host="RELAY1", domain="dmz.example.com", exchange="smtp-only", ip="192.0.2.25")
    root = machine_hive(m, sets=[1, 2], select=(1, 1, 2, 0))
    out.append(Sample(
        "partial-exchange", "Plain IIS SMTP, no Exchange",
        "Windows 2000 Server SP4 (English), IIS 5.0 with its SMTP service (a mail relay), no Exchange", root,
        "Only SMTPSVC (IIS's own SMTP service) of the five protocol services is installed, and "
        "`DispatchEntries` is absent. No Exchange-only service (MSExchangeSA, MSExchangeIS, MSExchangeMTA, "
        "RESvc) exists, so KB277770 does not apply (before issue 11 any one of the five protocol services "
        "made it apply, and this machine got a false `fail`).",
        sel_default, two_set_verdicts(NOT_EXCHANGE.format("SMTPSVC")),
        "absent (the Parameters key exists with 6 other values) in both control sets."))

    # 12 ------------------------------------------------------------------------------------------
    m = Machine(os="2003", host="SMTPGW2", domain="dmz.example.org", exchange="smtp-only", ip="198.51.100.25")
    root = machine_hive(m, sets=[1, 2], select=(1, 1, 2, 0))
    out.append(Sample(
        "iis-smtp-relay", "An IIS 6.0 SMTP relay, no Exchange",
        "Windows Server 2003 SP1 (English), IIS 6.0 with its SMTP service (a mail relay in a DMZ), no Exchange",
        root,
        "IIS's own SMTP service (SMTPSVC, inside inetinfo.exe) relays mail; Exchange is not installed, so "
        "`DispatchEntries` is absent and must stay so: KB277770 does not apply, and `fix` must not write "
        "Exchange's names into InetInfo's Parameters.",
        sel_default, two_set_verdicts(NOT_EXCHANGE.format("SMTPSVC")),
        "absent (the Parameters key exists with 6 other values); not needed on this machine."))

    # 13 ------------------------------------------------------------------------------------------
    m = Machine(os="2003", host="MAIL-SBS", domain="office.example.net", exchange="pop3-service", ip="192.168.5.10")
    root = machine_hive(m, sets=[1, 2], select=(1, 1, 2, 0))
    out.append(Sample(
        "pop3-service-2003", "Windows Server 2003 POP3 Service beside IIS SMTP, no Exchange",
        "Windows Server 2003 SP1 (English), E-mail Services (POP3 Service and IIS 6.0 SMTP), no Exchange", root,
        "A small mail server built from the operating system's own E-mail Services: the POP3 Service "
        "(service name `POP3SVC`, executable `pop3svc.exe` in its own process) and IIS SMTP (SMTPSVC). "
        "`POP3SVC` equals Exchange's `POP3Svc` case-insensitively, so before issue 11 KB277770 applied here "
        "and reported a false `fail`; without an Exchange-only service it does not apply.",
        sel_default, two_set_verdicts(NOT_EXCHANGE.format("SMTPSVC, POP3SVC")),
        "absent (the Parameters key exists with 6 other values); not needed on this machine."))

    # 14 ------------------------------------------------------------------------------------------
    m = Machine(os="2003", host="APP-07", domain="corp.example.com", exchange=None, ip="10.1.3.97")
    root = machine_hive(m, sets=[1, 2], select=(1, 1, 2, 0))
    for n in (1, 2):
        service_start_faults(root.find(f"ControlSet{n:03d}"), m)
    out.append(Sample(
        "service-start-faults", "Service dependencies, deletion marks and class filters, right and wrong",
        "Windows Server 2003 SP1 (English), IIS 6.0 (WWW and FTP only), third-party backup, antivirus and "
        "CD-burning software partly uninstalled", root,
        "The causes of Service Control Manager events 7001/7003 and error 1072 that the hive shows, and class "
        "filter drivers that are not installed, each next to a near miss that must not be reported. Both "
        "control sets carry the same services. KB277770 does not apply (no Exchange).",
        sel_default, two_set_verdicts(NOT_EXCHANGE.format("none")),
        "absent (the Parameters key exists with 6 other values); not needed on this machine.",
        extra_md=SERVICE_START_FAULTS_MD))

    # 15 ------------------------------------------------------------------------------------------
    m = Machine(os="2003", host="WKS-CD01", domain="corp.example.com", exchange=None, ip="10.1.3.41")
    root = machine_hive(m, sets=[1, 2], select=(1, 1, 2, 0))
    for n in (1, 2):
        class_filter_dangling(root.find(f"ControlSet{n:03d}"), m)
    out.append(Sample(
        "class-filter-dangling", "Class filter lists naming uninstalled drivers, beside names that are installed",
        "Windows Server 2003 SP1 (English), IIS 6.0 (WWW only), a CD-burning suite and a disk snapshot tool "
        "uninstalled without their class filters", root,
        "What `hivelint fix --rule CLASS-FILTER-MISSING` repairs: UpperFilters/LowerFilters under "
        "`Control\\Class\\{GUID}` that name services which do not exist, next to names that do exist (in "
        "another letter case too), so the fix must take out exactly the dangling names and keep the others in "
        "their order, and delete a value left with no name. Both control sets carry the same classes. KB277770 "
        "does not apply (no Exchange).",
        sel_default, two_set_verdicts(NOT_EXCHANGE.format("none")),
        "absent (the Parameters key exists with 6 other values); not needed on this machine.",
        extra_md=CLASS_FILTER_DANGLING_MD))
    return out


def class_filter_dangling(cs: Key, m: Machine) -> None:
    """CLASS-FILTER-MISSING's positive cases, near misses and fix (samples/hives/class-filter-dangling.md)."""
    d = f"{m.sysroot}\\system32\\drivers"
    svc(cs, "Redbook", type=1, start=1, image=f"{d}\\redbook.sys", display="Digital CD Audio Playback Filter Driver",
        obj=None)
    svc(cs, "PartMgr", type=1, start=0, image=f"{d}\\partmgr.sys", display="Partition Manager", obj=None)
    svc(cs, "AcmeSnap", type=1, start=0, image=f"{d}\\acmesnap.sys", display="Acme Snapshot Filter", obj=None)
    cdrom = cs.key("Control\\Class\\{4D36E965-E325-11CE-BFC1-08002BE10318}")
    cdrom.sz("", "DVD/CD-ROM drives").sz("Class", "CDROM") \
        .multi("UpperFilters", ["AcmeCdFlt", "redbook", "ACMECDFLT"]).multi("LowerFilters", ["AcmeBurn"])
    cdrom.key("0000").sz("DriverDesc", "CD-ROM Drive").sz("MatchingDeviceId", "gencdrom")
    disk = cs.key("Control\\Class\\{4D36E967-E325-11CE-BFC1-08002BE10318}")
    disk.sz("", "Disk drives").sz("Class", "DiskDrive").multi("UpperFilters", ["PartMgr"]) \
        .multi("LowerFilters", ["AcmeDskFlt", "AcmeSnap"])
    disk.key("0000").sz("DriverDesc", "Disk drive").sz("MatchingDeviceId", "gendisk")
    # An entry after the empty string that ends the list: Windows never reads it, so it is not reported and the
    # value stays as it is.
    cs.key("Control\\Class\\{4D36E96F-E325-11CE-BFC1-08002BE10318}").sz("", "Mice and other pointing devices") \
        .sz("Class", "Mouse").set("UpperFilters", REG_MULTI_SZ, multi_sz(["mouclass"]) + multi_sz(["AcmeGone"]))
    cs.key("Control\\Class\\{6BDD1FC5-810F-11D0-BEC7-08002BE2092F}").sz("", "Infrared devices") \
        .sz("Class", "Infrared").multi("UpperFilters", ["IRENUM"])
    cs.key("Control\\Class\\{4D36E96B-E325-11CE-BFC1-08002BE10318}").sz("", "Keyboards") \
        .sz("Class", "Keyboard").multi("UpperFilters", ["kbdclass"])


CLASS_FILTER_DANGLING_MD = [
    "## Expected items of CLASS-FILTER-MISSING (each control set)",
    "",
    "| class | value | name | severity | why |",
    "|---|---|---|---|---|",
    "| {4D36E965-E325-11CE-BFC1-08002BE10318} (CD-ROM) | UpperFilters | AcmeCdFlt | error | no such service; the class has a device (0000) |",
    "| {4D36E965-E325-11CE-BFC1-08002BE10318} (CD-ROM) | UpperFilters | ACMECDFLT | error | the same dangling name again, other case |",
    "| {4D36E965-E325-11CE-BFC1-08002BE10318} (CD-ROM) | LowerFilters | AcmeBurn | error | no such service |",
    "| {4D36E967-E325-11CE-BFC1-08002BE10318} (disks) | LowerFilters | AcmeDskFlt | error | no such service; the class has a device (0000) |",
    "| {6BDD1FC5-810F-11D0-BEC7-08002BE2092F} (infrared) | UpperFilters | IRENUM | warning | no device of the class |",
    "",
    "Near misses, never reported: the CD-ROM class's `redbook` is the installed `Redbook` (other case); the disk "
    "class's `PartMgr` and `AcmeSnap` exist; the keyboard class's `kbdclass` exists; the mouse class's "
    "`UpperFilters` holds `mouclass`, an empty string and then `AcmeGone`, which Windows never reads (the list ends "
    "at the empty string).",
    "",
    "## Expected `hivelint fix --rule CLASS-FILTER-MISSING --control-set all` (each control set)",
    "",
    "| class | value | before | after |",
    "|---|---|---|---|",
    "| CD-ROM | UpperFilters | AcmeCdFlt, redbook, ACMECDFLT | redbook |",
    "| CD-ROM | LowerFilters | AcmeBurn | value deleted (no name remains) |",
    "| disks | LowerFilters | AcmeDskFlt, AcmeSnap | AcmeSnap |",
    "| infrared | UpperFilters | IRENUM | value deleted (the warning item is fixed with the errors) |",
    "| disks, keyboard, mouse | UpperFilters | PartMgr; kbdclass; mouclass + hidden AcmeGone | unchanged |",
    "",
]


def service_start_faults(cs: Key, m: Machine) -> None:
    """The service-start rules' positive cases and near misses (samples/hives/service-start-faults.md)."""
    d = f"{m.sysroot}\\system32\\drivers"
    p = "C:\\Program Files\\Acme"
    # SCM-DEPENDENCY-MISSING
    svc(cs, "AcmeBackup", type=0x10, start=2, image=f"{p}\\backup.exe", display="Acme Backup", depend=["AcmeCore"])
    svc(cs, "AcmeAgent", type=0x10, start=3, image=f"{p}\\agent.exe", display="Acme Agent", depend=["AcmeHelper"])
    svc(cs, "AcmeMon", type=0x10, start=2, image=f"{p}\\mon.exe", display="Acme Monitor",
        depend=["lanmanworkstation"])
    svc(cs, "AcmeNet", type=0x10, start=2, image=f"{p}\\net.exe", display="Acme Network",
        depend_group=["AcmeFilters"])
    svc(cs, "AcmeNet2", type=0x10, start=2, image=f"{p}\\net2.exe", display="Acme Network 2", depend_group=["tdi"])
    svc(cs, "AcmeTdi", type=0x10, start=3, image=f"{p}\\tdi.exe", display="Acme TDI client", depend=["+TDI"])
    svc(cs, "AcmeTdi2", type=0x10, start=2, image=f"{p}\\tdi2.exe", display="Acme TDI client 2",
        depend=["Tcpip", "+AcmeTransports"])
    svc(cs, "OldAgent", type=0x10, start=4, image=f"{p}\\old.exe", display="Old Acme Agent",
        depend=["GoneService"], depend_group=["GoneGroup"])
    # SCM-DEPENDENCY-DISABLED
    svc(cs, "AcmeLegacy", type=0x10, start=4, image=f"{p}\\legacy.exe", display="Acme Legacy")
    svc(cs, "AcmeSync", type=0x10, start=2, image=f"{p}\\sync.exe", display="Acme Sync", depend=["acmelegacy"])
    svc(cs, "acmefilt", type=1, start=1, image=f"{d}\\acmefilt.sys", display="Acme filter", obj=None,
        depend=["AcmeLegacy"])
    svc(cs, "AcmeViewer", type=0x10, start=3, image=f"{p}\\viewer.exe", display="Acme Viewer", depend=["AcmeLegacy"])
    # SCM-MARKED-FOR-DELETION
    svc(cs, "AcmeAV", type=1, start=2, image=f"{d}\\acmeav.sys", display="Acme AV", obj=None).dw("DeleteFlag", 1)
    svc(cs, "AcmeAVold", type=1, start=3, image=f"{d}\\acmeav0.sys", display="Acme AV (old)", obj=None) \
        .dw("DeleteFlag", 1)
    svc(cs, "AcmeUpd", type=0x10, start=3, image=f"{p}\\upd.exe", display="Acme Update").dw("DeleteFlag", 0)
    # CLASS-FILTER-MISSING
    cdrom = cs.key("Control\\Class\\{4D36E965-E325-11CE-BFC1-08002BE10318}")
    cdrom.sz("", "DVD/CD-ROM drives").sz("Class", "CDROM").multi("UpperFilters", ["AcmeCdFlt", "ACMEFILT"]) \
        .multi("LowerFilters", ["AcmeBurn"])
    cdrom.key("0000").sz("DriverDesc", "CD-ROM Drive").sz("MatchingDeviceId", "gencdrom")
    cs.key("Control\\Class\\{6BDD1FC5-810F-11D0-BEC7-08002BE2092F}").sz("", "Infrared devices") \
        .sz("Class", "Infrared").multi("UpperFilters", ["IRENUM"])
    cs.key("Control\\Class\\{4D36E96B-E325-11CE-BFC1-08002BE10318}").sz("", "Keyboards") \
        .sz("Class", "Keyboard").multi("UpperFilters", ["kbdclass"])


SERVICE_START_FAULTS_MD = [
    "## Expected items of the service-start rules (each control set)",
    "",
    "| rule | service / class | value | name | Start | severity | why |",
    "|---|---|---|---|---|---|---|",
    "| SCM-DEPENDENCY-MISSING | AcmeBackup | DependOnService | AcmeCore | 2 | error | no such service |",
    "| SCM-DEPENDENCY-MISSING | AcmeNet | DependOnGroup | AcmeFilters | 2 | error | no service's Group is AcmeFilters |",
    "| SCM-DEPENDENCY-MISSING | AcmeTdi2 | DependOnService | +AcmeTransports | 2 | error | a group entry; no service's Group is AcmeTransports |",
    "| SCM-DEPENDENCY-MISSING | AcmeAgent | DependOnService | AcmeHelper | 3 | warning | demand-start |",
    "| SCM-DEPENDENCY-DISABLED | acmefilt | DependOnService | AcmeLegacy | 1 | error | system-start driver, AcmeLegacy has Start 4 |",
    "| SCM-DEPENDENCY-DISABLED | AcmeSync | DependOnService | acmelegacy | 2 | warning | automatic; other case of AcmeLegacy |",
    "| SCM-MARKED-FOR-DELETION | AcmeAV | DeleteFlag | AcmeAV | 2 | error | DeleteFlag = 1, automatic |",
    "| SCM-MARKED-FOR-DELETION | AcmeAVold | DeleteFlag | AcmeAVold | 3 | warning | DeleteFlag = 1, demand-start |",
    "| CLASS-FILTER-MISSING | {4D36E965-E325-11CE-BFC1-08002BE10318} | UpperFilters | AcmeCdFlt | | error | class has a device (0000) |",
    "| CLASS-FILTER-MISSING | {4D36E965-E325-11CE-BFC1-08002BE10318} | LowerFilters | AcmeBurn | | error | class has a device (0000) |",
    "| CLASS-FILTER-MISSING | {6BDD1FC5-810F-11D0-BEC7-08002BE2092F} | UpperFilters | IRENUM | | warning | no device of the class |",
    "",
    "Near misses, never reported: AcmeMon depends on `lanmanworkstation` (the service is stored as "
    "`LanmanWorkstation`: other case); AcmeNet2 depends on group `tdi` (services with Group `TDI` exist); AcmeTdi's "
    "`DependOnService` entry `+TDI` is a group with members (services with Group `TDI`), not a service; OldAgent is disabled, so "
    "its own missing `GoneService` and `GoneGroup` are not reported; AcmeViewer is demand-start and depends on the "
    "disabled AcmeLegacy (not reported); AcmeUpd has `DeleteFlag` 0; the CD-ROM class's `ACMEFILT` is the "
    "installed `acmefilt` (other case) and the keyboard class's `kbdclass` exists.",
    "",
]


# ----------------------------------------------------------------------------------------------
# The .md files

def value_count(k: Key) -> int:
    return len(k.values) + sum(value_count(c) for c in k.subkeys.values())


def big_values(k: Key, path: str = "") -> list[tuple[str, int]]:
    found = [(f"{path}\\{v.name}" if path else v.name, len(v.data)) for v in k.values if len(v.data) > 16344]
    for c in sorted(k.subkeys.values(), key=lambda c: sort_key(c.name)):
        found += big_values(c, f"{path}\\{c.name}" if path else c.name)
    return found


def md_text(s: Sample) -> str:
    sets = sorted(c.name for c in s.root.subkeys.values() if c.name.startswith("ControlSet"))
    services = sorted((c.name for c in s.root.find(sets[0] + "\\Services").subkeys.values()),
                      key=sort_key)
    svcs = s.root.find(sets[0] + "\\Services").subkeys
    # Stored spellings: the POP3 Service's POP3SVC is not Exchange's POP3Svc, though equal without case.
    proto = [svcs[upcase(n)].name for n in ("SMTPSVC", "NntpSvc", "POP3Svc", "IMAP4Svc", "RESvc") if upcase(n) in svcs]
    exch = [svcs[upcase(n)].name for n in ("MSExchangeSA", "MSExchangeIS", "MSExchangeMTA", "RESvc") if upcase(n) in svcs]
    bigs = big_values(s.root)
    lines = [
        f"# {s.name}: {s.title}",
        "",
        s.shows,
        "",
        "| | |",
        "|---|---|",
        f"| imitates | {s.windows} |",
        f"| root key name | `{s.root_name}` |",
        f"| Select | {s.select} |",
        f"| control sets | {', '.join(sets)} |",
        f"| protocol services present (SMTPSVC, NntpSvc, POP3Svc, IMAP4Svc, RESvc) | {', '.join(proto) if proto else 'none'} |",
        f"| Exchange-only services present (MSExchangeSA, MSExchangeIS, MSExchangeMTA, RESvc) | {', '.join(exch) if exch else 'none'} |",
        f"| DispatchEntries | {s.dispatch_state} |",
        f"| size of the source | {s.root.count()} keys, {value_count(s.root)} values |",
        "",
        "## Expected `hivelint check` verdict (rule KB277770)",
        "",
        "| `--control-set` | expected |",
        "|---|---|",
    ]
    lines += [f"| {cs} | {v} |" for cs, v in s.verdicts]
    lines += [
        "",
        "Missing names are listed in the rule's order: Ldapsvc, Smtpsvc, Nntpsvc, Imap4svc, Pop3svc, Resvc.",
        "",
        "## What else it exercises",
        "",
        f"- {len(services)} services under `{sets[0]}\\Services` with Type/Start/ErrorControl DWORDs, "
        "REG_EXPAND_SZ ImagePath, DisplayName, REG_MULTI_SZ DependOnService and ObjectName where Windows has "
        "them; the service-key names vary in case as on real systems (`SMTPSVC`, `NntpSvc`, `POP3Svc`, "
        "`IMAP4Svc`, `RESvc`, `lanmanserver`, ...).",
        "- Big data (value data over 16344 bytes, stored in `db` cells): "
        + "; ".join(f"`{p}` ({n} bytes, REG_BINARY)" for p, n in bigs) + ".",
        "- Names outside ASCII: the key `Control\\Print\\Printers\\Kopierer Büro – 2. OG` (the en dash is "
        "outside Latin-1, so the name is stored as UTF-16), the value name `Übergabe` under "
        "`Services\\lanmanserver\\Shares` (and `Shares\\Security`), and data with `ü`, `ä`, `€`.",
        "- `MountedDevices` with REG_BINARY disk-signature entries and a CD-ROM device path; `Setup`; "
        "`Control\\ComputerName\\ComputerName`, `Control\\ProductOptions` (ProductType `ServerNT`), "
        "`Control\\Session Manager\\Environment` (REG_EXPAND_SZ Path, ComSpec, TEMP).",
    ]
    lines += [f"- {n}" for n in s.notes]
    if s.extra_md:
        lines += [""] + s.extra_md[:-1]
    lines += [
        "",
        "## How it was made",
        "",
        f"Synthetic: `scripts/gen-sample-sources.py` writes `{s.name}.reg` (regedit 5.00 format: UTF-16LE "
        "with BOM, CRLF, hex data wrapped as regedit wraps it) and this file; the generator is the source, "
        "so edit it and re-run it rather than editing the `.reg` by hand. Names, GUIDs, disk signatures and "
        "blobs are made up but laid out the way the imitated Windows version lays them out. "
        f"`scripts/build-samples.sh` then compiles `{s.name}.hiv`:",
        "",
        "```",
        f"hivelint build samples/hives/{s.name}.reg -o samples/hives/{s.name}.hiv \\",
        f"  --prefix '{PREFIX}' --root-name '{s.root_name}' --timestamp {TIMESTAMP} --force",
        "```",
        "",
        "`tests/scripts/samples_uptodate.sh` rebuilds it and fails if the committed `.hiv` differs.",
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-o", "--out", type=Path, default=Path(__file__).resolve().parent.parent / "samples" / "hives",
                    help="output directory (default: samples/hives next to this script)")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for s in all_samples():
        write_reg(s.root, args.out / f"{s.name}.reg")
        (args.out / f"{s.name}.md").write_text(md_text(s), encoding="utf-8", newline="\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
