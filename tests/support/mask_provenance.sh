# Sourced by the golden comparisons (tests/scripts/golden.sh, events_built.sh). The provenance fields that differ
# from run to run or checkout to checkout are masked in an output file (the binary has no test mode): the run time,
# the hive's modification time, hivelint's version (also where it is the version of its reader: "VERSION+20201007"
# for hivelint+libregf), and the binary's path in argv[0] (becomes "hivelint").
# Everything else in the provenance (argv, sizes, SHA-256 of hive and rules, reader and its version) is compared
# like any other output. Usage: mask_provenance BIN FILE
mask_provenance() {
  sed -i -E \
    -e "s|\"$1\"|\"hivelint\"|" \
    -e "s|^Command: $1 |Command: hivelint |" \
    -e 's/"generated_at": "[^"]*"/"generated_at": "GENERATED_AT"/' \
    -e 's/"mtime": "[^"]*"/"mtime": "MTIME"/' \
    -e 's/"tool_version": "[^"]*"/"tool_version": "VERSION"/' \
    -e 's/^hivelint [^ ,]+, run [^ ,]+, reader /hivelint VERSION, run GENERATED_AT, reader /' \
    -e 's/^(hivelint VERSION, run GENERATED_AT, reader hivelint\+libregf )[^+ ]+\+/\1VERSION+/' \
    -e '/"name": "hivelint\+libregf",$/{n;s/"version": "[^+"]*\+/"version": "VERSION+/}' \
    -e 's/^((Hive|Log): .*), modified [^ ,]+, sha256 /\1, modified MTIME, sha256 /' \
    "$2"
}
