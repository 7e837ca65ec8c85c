"""Test of the readers test: change one character of DispatchEntries in a sample's .reg source (the 'L' of
Ldapsvc becomes 'X', same size) and check that compare.py reports a difference in that value for EACH of
its four readers, so none of them passes on type and size alone (run by tests/scripts/readers.sh).

tamper_reg.py SOURCE.reg HIVE WORK_DIR
"""
import os
import re
import subprocess
import sys

source, hive, work = sys.argv[1], sys.argv[2], sys.argv[3]
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compare  # noqa: E402

text = compare.decode_text(open(source, "rb").read())
tampered, n = re.subn(r'("DispatchEntries"=hex\(7\):)4c,00', r"\g<1>58,00", text, count=1)
if n != 1:
    sys.exit("tamper_reg: no DispatchEntries starting with 'L' in " + source)
path = os.path.join(work, "tampered.reg")
with open(path, "w", encoding="utf-8") as f:
    f.write(tampered)
out = subprocess.run([sys.executable, os.path.join(os.path.dirname(os.path.abspath(__file__)), "compare.py"),
                      path, "HKEY_LOCAL_MACHINE\\SYSTEM", hive], capture_output=True, text=True).stdout
failed = 0
for reader in ("hivexregedit", "python-hivex", "regfexport", "reglookup"):
    block = re.search(r"^FAIL %s .*?(?=^\S|\Z)" % re.escape(reader), out, re.S | re.M)
    if block and "DispatchEntries: data" in block.group(0):
        print("ok: %s notices one changed character of DispatchEntries" % reader)
    else:
        print("FAIL: %s does not notice one changed character of DispatchEntries" % reader)
        failed += 1
if failed:
    print(out)
sys.exit(1 if failed else 0)
