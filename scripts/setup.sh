#!/usr/bin/env bash
# Install what hivelint needs on Debian 12 (bookworm), from Debian's own packages only.
#
#   sudo bash scripts/setup.sh           # build tools and libraries
#   sudo bash scripts/setup.sh --test    # ... plus the independent readers and tools the tests use
#   sudo bash scripts/setup.sh --fuzz    # ... plus clang and libFuzzer for the fuzz targets (scripts/fuzz.sh)
#
# Idempotent: packages already installed are left alone, and `apt-get update` runs only when something
# is missing. Works on a minimal system (debootstrap --variant=minbase: no compiler, cmake, pkg-config,
# git or python3). Run as root; as another user it installs nothing, prints the command to run as root
# and exits 1 when something is missing (0 when all is there).
set -euo pipefail

build_packages=(
  g++ make cmake pkg-config ca-certificates                          # toolchain
  libregf-dev libbfio-dev libcli11-dev nlohmann-json3-dev catch2    # libraries (third_party/dependencies.cmake)
  help2man                                                           # manual pages from --help (scripts/make-man.sh)
  libre2-dev                                                         # rule regexes (src/rules/safe_regex.cpp)
  libevt-dev libevtx-dev                                             # System event logs (src/events/)
)
test_packages=(
  libhivex-bin libwin-hivex-perl reglookup libregf-utils            # independent hive readers
  libevt-utils libevtx-utils                                         # evtexport/evtxexport: event log record counts
  python3-evtx                                                      # another EVTX reader for the built logs (tests/scripts/events_evtx_built.sh)
  python3 python3-hivex python3-libregf                             # sample generator, Python readers
  python3-yaml                                                      # fleet definitions test (docs/fleet/)
  jq                                                                 # the docs' jq examples (tests/scripts/doc_commands.sh)
  python3-jsonschema python3-rfc3987                                # SARIF output against the 2.1.0 schema, URIs checked (tests/cli/ci_formats.py)
  slurmctld slurmd slurm-client munge parallel                      # a one-node Slurm cluster and GNU parallel (tests/scripts/fleet.sh)
  time                                                              # bench/bench.py: CPU time and peak RSS
  file
  wine wine64                                                        # Wine's regedit and reg, to import the .reg files fix writes
  chntpw                                                             # reged -I, the other offline .reg importer (tests/scripts/fix_proof.sh)
  man-db                                                             # renders the manual pages (tests/scripts/manual.sh)
  clang-format                                                       # clang-format 14: the C++ layout (tests/scripts/format_check.sh)
  dpkg-dev lintian debootstrap                                       # the .deb: shlibdeps, lintian, install test (tests/package)
)
fuzz_packages=(
  clang libclang-rt-14-dev                                           # libFuzzer + ASan/UBSan runtimes for clang 14
)

usage() {
  sed -n '2,12s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
}

with_tests=0
with_fuzz=0
for arg in "$@"; do
  case "$arg" in
    --test) with_tests=1 ;;
    --fuzz) with_fuzz=1 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "setup.sh: unknown argument '$arg'" >&2; usage >&2; exit 2 ;;
  esac
done

wanted=("${build_packages[@]}")
((with_tests)) && wanted+=("${test_packages[@]}")
((with_fuzz)) && wanted+=("${fuzz_packages[@]}")

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  echo "setup.sh: this is not a Debian system (no dpkg-query/apt-get); install the equivalents of:" >&2
  echo "  ${wanted[*]}" >&2
  exit 1
fi

missing=()
for pkg in "${wanted[@]}"; do
  status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done

if ((${#missing[@]} == 0)); then
  echo "setup.sh: all ${#wanted[@]} packages are installed"
  exit 0
fi

install_cmd=(apt-get install -y --no-install-recommends "${missing[@]}")
if ((EUID != 0)); then
  echo "setup.sh: missing packages: ${missing[*]}" >&2
  echo "setup.sh: run as root:" >&2
  echo "  apt-get update && DEBIAN_FRONTEND=noninteractive ${install_cmd[*]}" >&2
  exit 1
fi

echo "setup.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends "${missing[@]}" </dev/null

# Re-check: apt-get can succeed without installing a name it resolved to something else.
still=()
for pkg in "${missing[@]}"; do
  status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
  [[ "$status" == "install ok installed" ]] || still+=("$pkg")
done
if ((${#still[@]} != 0)); then
  echo "setup.sh: still not installed: ${still[*]}" >&2
  exit 1
fi
echo "setup.sh: done"
