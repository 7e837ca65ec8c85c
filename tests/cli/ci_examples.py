"""docs/ci/gitlab-ci.yml and docs/ci/github-workflow.yml, their shell steps run locally (tests/scripts/ci_examples.sh).

The install steps (apt-get install of the .deb) need root and a Debian mirror: they are only checked to install
the package the definitions name, whose version must be this build's. The check steps run as the CI runner would
run them (GitLab: each script line in one `bash -e` shell, stopping at the first failing line; GitHub: the run
block under `bash --noprofile --norc -eo pipefail`), in a checkout-like directory whose HIVES_DIR holds sample hives.
"""
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

import yaml

HIVELINT, SRC, WORK = os.path.abspath(sys.argv[1]), sys.argv[2], sys.argv[3]
failures = []
checks = 0


def expect(cond, what):
    global checks
    checks += 1
    if not cond:
        failures.append(what)
        print("FAIL:", what, file=sys.stderr)


shutil.rmtree(WORK, ignore_errors=True)
bindir = os.path.join(WORK, "bin")
os.makedirs(bindir)
os.symlink(HIVELINT, os.path.join(bindir, "hivelint"))
version = subprocess.run([HIVELINT, "--version"], capture_output=True, text=True, check=True).stdout.split()[-1]
samples = sorted(glob.glob(os.path.join(SRC, "samples/hives/*.hiv")))
healthy = [h for h in samples if subprocess.run([HIVELINT, "check", "-q", h]).returncode == 0]
expect(len(healthy) >= 2, "some samples pass")


def checkout(name, hives_dir, hives):
    """A directory standing for the CI checkout, HIVES_DIR holding copies of `hives`."""
    root = os.path.join(WORK, name)
    os.makedirs(os.path.join(root, hives_dir))
    for h in hives:
        shutil.copy(h, os.path.join(root, hives_dir))
    return root


def run_shell(script, cwd, env_vars, bash_args):
    env = dict(os.environ, PATH=bindir + os.pathsep + os.environ["PATH"], **env_vars)
    p = subprocess.run(["bash", *bash_args, "-c", script], cwd=cwd, env=env, capture_output=True, text=True,
                       timeout=300)
    return p.returncode, p.stderr


def check_reports(label, root, hives_dir, sarif_name, junit_name, hive_count):
    with open(os.path.join(root, sarif_name), encoding="utf-8") as f:
        sarif = json.load(f)
    expect(sarif["version"] == "2.1.0", f"{label}: {sarif_name} is SARIF 2.1.0")
    for res in sarif["runs"][0]["results"]:
        uri = res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        expect(uri.startswith(hives_dir + "/"), f"{label}: SARIF uri {uri} is relative to the checkout")
    root_el = ET.parse(os.path.join(root, junit_name)).getroot()
    expect(len(root_el.findall("testsuite")) == hive_count, f"{label}: one JUnit testsuite per hive")


def expected_exit(hives):
    code = 0
    for h in hives:
        rc = subprocess.run([HIVELINT, "check", "-q", h]).returncode
        code = 3 if 3 in (code, rc) else max(code, rc)
    return code


def install_names_deb(label, lines, variables):
    text = "\n".join(lines)
    expect("apt-get install" in text and "$HIVELINT_DEB" in text, f"{label}: installs \"./$HIVELINT_DEB\" with apt-get")
    deb = variables.get("HIVELINT_DEB", "")
    expect(re.fullmatch(r"hivelint_%s_[a-z0-9]+\.deb" % re.escape(version), deb) is not None,
           f"{label}: HIVELINT_DEB {deb!r} is the package of version {version}")


# GitLab: the job's before_script installs, its script lines check, its artifacts name the reports.
with open(os.path.join(SRC, "docs/ci/gitlab-ci.yml"), encoding="utf-8") as f:
    gitlab = yaml.safe_load(f)
job = gitlab["hivelint"]
variables = {k: str(v) for k, v in job["variables"].items()}
install_names_deb("gitlab", job["before_script"], variables)
junit = job["artifacts"]["reports"]["junit"]
expect(job["artifacts"]["when"] == "always", "gitlab: artifacts kept when the job fails")
for case, hives in (("all samples", samples), ("healthy samples", healthy)):
    root = checkout("gitlab " + case, variables["HIVES_DIR"], hives)
    # GitLab joins the script lines into one shell that stops at the first failing line.
    rc, err = run_shell("\n".join(job["script"]), root, variables, ["-e"])
    want = expected_exit(hives)
    expect(rc == want, f"gitlab {case}: job exit {rc}, hivelint's verdict {want}: {err[-500:]}")
    for path in job["artifacts"]["paths"]:
        expect(os.path.isfile(os.path.join(root, path)), f"gitlab {case}: artifact {path} written")
    sarif = [p for p in job["artifacts"]["paths"] if p.endswith(".sarif")][0]
    check_reports("gitlab " + case, root, variables["HIVES_DIR"], sarif, junit, len(hives))

# GitHub: the step "install" installs, the step "check" writes what upload-sarif and upload-artifact take.
with open(os.path.join(SRC, "docs/ci/github-workflow.yml"), encoding="utf-8") as f:
    github = yaml.safe_load(f)
gjob = github["jobs"]["check"]
genv = {k: str(v) for k, v in gjob["env"].items()}
steps = {s.get("id"): s for s in gjob["steps"]}
install_names_deb("github", steps["install"]["run"].splitlines(), genv)
expect(steps["check"].get("shell") == "bash", "github: the check step runs in bash")
uploads = [s for s in gjob["steps"] if "upload-sarif" in s.get("uses", "")]
expect(len(uploads) == 1 and uploads[0].get("if") == "always()", "github: SARIF uploaded even when the check fails")
artifact_paths = [s for s in gjob["steps"] if "upload-artifact" in s.get("uses", "")][0]["with"]["path"].split()
for case, hives in (("all samples", samples), ("healthy samples", healthy)):
    root = checkout("github " + case, genv["HIVES_DIR"], hives)
    rc, err = run_shell(steps["check"]["run"], root, genv, ["--noprofile", "--norc", "-eo", "pipefail"])
    want = expected_exit(hives)
    expect(rc == want, f"github {case}: step exit {rc}, hivelint's verdict {want}: {err[-500:]}")
    sarif = uploads[0]["with"]["sarif_file"]
    for path in [sarif, *artifact_paths]:
        expect(os.path.isfile(os.path.join(root, path)), f"github {case}: {path} written")
    junit_name = [p for p in artifact_paths if p.endswith(".xml")][0]
    check_reports("github " + case, root, genv["HIVES_DIR"], sarif, junit_name, len(hives))

print(f"ci_examples: {checks} checks, {len(failures)} failures")
sys.exit(1 if failures else 0)
