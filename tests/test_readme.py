"""The README's examples run as written: every `tinhuy` line of its shell blocks is
accepted by the real command-line parser, and those that need neither the live site nor
a long-running server are run, as printed, in a folder whose archive `tinhuy demo` made."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
SHELL_BLOCK = re.compile(r"^```(?:sh|bash)\n(.*?)^```", re.M | re.S)
# The commands run here: they read the archive, a saved page or nothing.
RUN = ("tinhuy dump ", "tinhuy search ", "tinhuy facts ", "tinhuy mirror --families",
       "tinhuy extract saved-page.html", "tinhuy db upgrade", "tinhuy fixture check\n")  # fmt: skip


def _examples() -> list[str]:
    lines = []
    for block in SHELL_BLOCK.findall(README):
        for line in block.splitlines():
            command = line.split("  #")[0].split(" # ")[0].strip()
            if re.match(r"^(?:\w+=\S+ )*tinhuy ", command):
                lines.append(command)
    return lines


EXAMPLES = _examples()


def test_the_readme_has_examples_of_every_command() -> None:
    shown = {shlex.split(re.sub(r"^(?:\w+=\S+ )*", "", line))[1] for line in EXAMPLES}
    parser = build_parser()
    commands = set(parser._subparsers._group_actions[0].choices)  # type: ignore[union-attr]
    assert commands <= shown, f"no README example of {sorted(commands - shown)}"


@pytest.mark.parametrize("line", EXAMPLES)
def test_every_example_is_accepted_by_the_parser(line: str) -> None:
    words = shlex.split(line.split("|")[0])
    while "=" in words[0]:
        words.pop(0)  # an environment variable before the command
    try:
        build_parser().parse_args(words[1:])
    except SystemExit as exc:
        pytest.fail(f"`{line}`: the parser refused it (exit {exc.code})")


# What they need that a test has not: the live site (`--fresh` crawls it first), a
# PostgreSQL server at the address the example names.
NEEDS_MORE = ("--fresh", "postgresql://")


def _runnable() -> list[str]:
    return [
        line for line in EXAMPLES
        if (line + "\n").startswith(RUN) and not any(need in line for need in NEEDS_MORE)
    ]


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("readme")
    tinhuy = shutil.which("tinhuy", path=str(Path(sys.executable).parent))
    assert tinhuy is not None
    done = subprocess.run([tinhuy, "demo"], cwd=folder, capture_output=True, text=True,
                          timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr
    shutil.copy(ROOT / "fixtures" / "pages" / "wpnews_qrt_jnews_admin_utc.html",
                folder / "saved-page.html")  # fmt: skip
    shutil.copytree(ROOT / "fixtures", folder / "fixtures")
    return folder


@pytest.mark.parametrize("line", _runnable())
def test_examples_that_need_no_site_run_as_written(line: str, demo_folder: Path) -> None:
    bin_dir = str(Path(sys.executable).parent)
    done = subprocess.run(
        line, shell=True, cwd=demo_folder, capture_output=True, text=True, timeout=120,
        env={"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(demo_folder)},
    )  # fmt: skip
    assert done.returncode == 0, f"`{line}` exited {done.returncode}:\n{done.stderr}"
    assert done.stdout.strip() or list(demo_folder.iterdir()), f"`{line}` said nothing"


def test_some_examples_run() -> None:
    assert len(_runnable()) >= 8, _runnable()
