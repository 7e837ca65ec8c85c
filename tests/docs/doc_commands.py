#!/usr/bin/env python3
"""Run every command line the documentation shows, so that the documentation cannot rot.

    doc_commands.py HIVELINT SOURCE_DIR WORK_DIR [FILE.md ...]

Without FILE arguments it reads README.md, CONTRIBUTING.md and docs/**/*.md of SOURCE_DIR. In them:

* a fenced block ```sh holds command lines: each runs and must exit 0, or N when its comment says
  "(exit N)"; a line ending in a backslash continues on the next one; lines that are only a comment are
  skipped;
* a fenced block ```console is a transcript: each line starting with "$ " is a command (with its exit code
  as above), the lines after it up to the next "$ " are its expected standard output (add 2>&1 to show
  stderr too). "[...]" on a line of its own stands for any number of lines, and inside a line for any text;
  trailing blanks and CRLF are ignored;
* ```sh norun and ```console norun blocks are not run (commands that install, build, need root or take
  minutes; the prose next to them says where they are tested). Other fences (text, json, ...) are not
  commands.

Each block runs in a fresh directory WORK/NNN/tree holding copies of the source tree's samples/, rules/,
tests/rules/ and bench/rules/ and a file SYSTEM (a copy of samples/hives/controlset002-broken.hiv, the hive
the docs' examples call SYSTEM), with ../shared pointing at HIVELINT_SHARED_DIR (the real hives); the commands
of a block run one after another in that directory, each in its own `bash -o pipefail -c`, with HIVELINT's
directory first on PATH. A block that names ../shared when HIVELINT_SHARED_DIR is absent is reported as
skipped. Relative links ([text](path#anchor)) must name an existing file and heading. Exit status: 0 when
every command did what its documentation says and every link leads somewhere, 1 otherwise.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

EXIT_RE = re.compile(r"\(exit (\d+)\)")
TIMEOUT_S = 120
FIXTURE_DIRS = ["samples", "rules", "tests/rules", "bench/rules"]
SYSTEM_SAMPLE = "samples/hives/controlset002-broken.hiv"


@dataclasses.dataclass
class Command:
    doc: str
    line: int
    text: str
    exit_code: int
    expected: list[str] | None  # None: output not compared


@dataclasses.dataclass
class Block:
    doc: str
    line: int
    commands: list[Command]


def expected_exit(command: str) -> int:
    """The exit code a command's comment documents: "(exit N)", else 0."""
    found = EXIT_RE.findall(command)
    return int(found[-1]) if found else 0


def join_continuations(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    joined: list[tuple[int, str]] = []
    pending: tuple[int, str] | None = None
    for number, text in lines:
        if pending is not None:
            pending = (pending[0], pending[1] + "\n" + text)  # bash reads the backslash-newline
        else:
            pending = (number, text)
        if not pending[1].endswith("\\"):
            joined.append(pending)
            pending = None
    if pending is not None:
        joined.append(pending)
    return joined


def sh_commands(doc: str, body: list[tuple[int, str]]) -> list[Command]:
    lines = [(n, t) for n, t in body if t.strip() and not t.lstrip().startswith("#")]
    return [Command(doc, n, t, expected_exit(t), None) for n, t in join_continuations(lines)]


def console_commands(doc: str, body: list[tuple[int, str]]) -> list[Command]:
    commands: list[Command] = []
    i = 0
    while i < len(body):
        number, text = body[i]
        if not text.startswith("$ "):
            raise ValueError(f"{doc}:{number}: a console block must start each command with '$ ': {text!r}")
        parts = [text[2:]]
        while parts[-1].endswith("\\") and i + 1 < len(body):
            i += 1
            parts.append(body[i][1])
        command = "\n".join(parts)
        i += 1
        output: list[str] = []
        while i < len(body) and not body[i][1].startswith("$ "):
            output.append(body[i][1])
            i += 1
        commands.append(Command(doc, number, command, expected_exit(command), output))
    return commands


def parse(doc: str, text: str) -> tuple[list[Block], int]:
    """Blocks to run, and the number of norun blocks."""
    blocks: list[Block] = []
    norun = 0
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        fence = re.match(r"^(```+)(.*)$", lines[i])
        if not fence:
            i += 1
            continue
        marker, info = fence.group(1), fence.group(2).split()
        start = i + 1
        i += 1
        body: list[tuple[int, str]] = []
        while i < len(lines) and lines[i].rstrip() != marker:
            body.append((i + 1, lines[i]))
            i += 1
        i += 1
        if not info or info[0] not in ("sh", "console"):
            continue
        if "norun" in info[1:]:
            norun += 1
            continue
        commands = sh_commands(doc, body) if info[0] == "sh" else console_commands(doc, body)
        if commands:
            blocks.append(Block(doc, start, commands))
    return blocks, norun


def line_matches(pattern: str, actual: str) -> bool:
    if "[...]" not in pattern:
        return pattern == actual
    regex = ".*".join(re.escape(piece) for piece in pattern.split("[...]"))
    return re.fullmatch(regex, actual, re.DOTALL) is not None


def output_matches(expected: list[str], actual: list[str]) -> bool:
    """expected may hold "[...]" lines (any number of lines) and "[...]" inside lines (any text)."""
    memo: dict[tuple[int, int], bool] = {}

    def match(e: int, a: int) -> bool:
        key = (e, a)
        if key not in memo:
            if e == len(expected):
                memo[key] = a == len(actual)
            elif expected[e].strip() == "[...]":
                memo[key] = match(e + 1, a) or (a < len(actual) and match(e, a + 1))
            else:
                memo[key] = a < len(actual) and line_matches(expected[e], actual[a]) and match(e + 1, a + 1)
        return memo[key]

    return match(0, 0)


def normalise(text: str, tree: Path) -> list[str]:
    text = text.replace("\r\n", "\n").replace(str(tree) + "/", "").replace(str(tree), ".")
    lines = [line.rstrip() for line in text.split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def make_tree(src: Path, block_dir: Path, shared: Path) -> Path:
    tree = block_dir / "tree"
    tree.mkdir(parents=True)
    for name in FIXTURE_DIRS:
        if (src / name).is_dir():
            shutil.copytree(src / name, tree / name)
    shutil.copyfile(src / SYSTEM_SAMPLE, tree / "SYSTEM")
    if shared.is_dir():
        (block_dir / "shared").symlink_to(shared.resolve())
    return tree


def run_block(block: Block, number: int, src: Path, work: Path, env: dict[str, str], shared: Path) -> tuple[int, int]:
    """(commands run, failures); prints every failure."""
    if not shared.is_dir() and any("../shared" in c.text for c in block.commands):
        print(f"doc_commands: {block.doc}:{block.line}: skipped, {shared} absent")
        return 0, 0
    block_dir = work / f"{number:03d}"
    tree = make_tree(src, block_dir, shared)
    failures = 0
    for command in block.commands:
        try:
            done = subprocess.run(["bash", "-o", "pipefail", "-c", command.text], cwd=tree, env=env,
                                  stdin=subprocess.DEVNULL, capture_output=True, timeout=TIMEOUT_S)
            rc, out, err = done.returncode, done.stdout, done.stderr
        except subprocess.TimeoutExpired:
            rc, out, err = -1, b"", f"timed out after {TIMEOUT_S} s".encode()
        problems = []
        if rc != command.exit_code:
            problems.append(f"exit code {rc}, documented {command.exit_code}")
        actual = normalise(out.decode("utf-8", "replace"), tree)
        if command.expected is not None:
            expected = list(command.expected)
            while expected and not expected[-1].strip():
                expected.pop()
            if not output_matches([e.rstrip() for e in expected], actual):
                diff = difflib.unified_diff(expected, actual, "documented", "actual", lineterm="", n=1)
                problems.append("output differs:\n" + "\n".join(diff))
        if problems:
            failures += 1
            print(f"FAIL: {command.doc}:{command.line}: $ {command.text}")
            for problem in problems:
                print("  " + problem.replace("\n", "\n  "))
            stderr = err.decode("utf-8", "replace").strip()
            if stderr:
                print("  stderr: " + stderr[:2000].replace("\n", "\n          "))
    return len(block.commands), failures


LINK_RE = re.compile(r"\]\(([^)\s]+)\)")


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[`*_]", "", heading.strip().lower())
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(doc: Path) -> set[str]:
    found: set[str] = set()
    in_fence = False
    for line in doc.read_text(encoding="utf-8").split("\n"):
        if line.startswith("```"):
            in_fence = not in_fence
        elif not in_fence and line.startswith("#"):
            found.add(slug(line.lstrip("#")))
    return found


def check_links(doc: Path, name: str) -> int:
    """Relative links must name an existing file and, for a Markdown file, an existing heading."""
    failures = 0
    in_fence = False
    for number, line in enumerate(doc.read_text(encoding="utf-8").split("\n"), 1):
        if line.startswith("```"):
            in_fence = not in_fence
        if in_fence:
            continue
        for target in LINK_RE.findall(line):
            if re.match(r"^[a-z]+:", target):
                continue
            path_part, _, anchor = target.partition("#")
            path = (doc.parent / path_part).resolve() if path_part else doc
            problem = None
            if not path.exists():
                problem = "no such file"
            elif anchor and path.suffix == ".md" and anchor not in anchors(path):
                problem = f"no heading #{anchor}"
            if problem:
                print(f"FAIL: {name}:{number}: link {target}: {problem}")
                failures += 1
    return failures


def default_docs(src: Path) -> list[Path]:
    docs = [src / "README.md", src / "CONTRIBUTING.md"]
    docs += sorted((src / "docs").rglob("*.md"))
    return [d for d in docs if d.is_file()]


def main(argv: list[str]) -> int:
    if len(argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    binary, src, work = Path(argv[1]).resolve(), Path(argv[2]).resolve(), Path(argv[3]).resolve()
    docs = [Path(a).resolve() for a in argv[4:]] or default_docs(src)
    shared = Path(os.environ.get("HIVELINT_SHARED_DIR", str(src.parent / "shared")))
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    env = dict(os.environ)
    env["PATH"] = f"{binary.parent}:{env.get('PATH', '/usr/bin:/bin')}"
    env["LC_ALL"] = "C.UTF-8"
    if binary.name != "hivelint":  # the docs call it hivelint
        bindir = work / "bin"
        bindir.mkdir()
        (bindir / "hivelint").symlink_to(binary)
        env["PATH"] = f"{bindir}:{env['PATH']}"
    total_blocks = total_commands = total_failures = total_norun = 0
    number = 0
    for doc in docs:
        name = str(doc.relative_to(src)) if doc.is_relative_to(src) else str(doc)
        total_failures += check_links(doc, name)
        blocks, norun = parse(name, doc.read_text(encoding="utf-8"))
        total_norun += norun
        for block in blocks:
            number += 1
            commands, failures = run_block(block, number, src, work, env, shared)
            total_blocks += 1
            total_commands += commands
            total_failures += failures
    print(f"doc_commands: {len(docs)} documents, {total_blocks} blocks, {total_commands} commands run, "
          f"{total_failures} failed; {total_norun} norun blocks")
    return 1 if total_failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
