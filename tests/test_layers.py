"""The layer contracts of pyproject.toml hold, and an import against them breaks the build."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tests.helpers import ROOT

LINT = Path(sys.executable).with_name("lint-imports")


def lint(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT), "--config", str(tree / "pyproject.toml"), "--no-cache"],
        cwd=tree, env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def copy_of_the_code(tmp_path: Path) -> Path:
    tree = tmp_path / "tree"
    tree.mkdir()
    for name in ("crawler", "pipelines"):
        shutil.copytree(ROOT / name, tree / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tree / "pyproject.toml")
    return tree


def test_the_code_keeps_its_layers(tmp_path) -> None:
    done = lint(copy_of_the_code(tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 kept, 0 broken" in done.stdout


def test_extraction_importing_the_archive_breaks_the_layers(tmp_path) -> None:
    tree = copy_of_the_code(tmp_path)
    dom = tree / "crawler" / "extract" / "dom.py"
    dom.write_text(dom.read_text() + "\nfrom pipelines.archive import storage  # noqa\n")
    done = lint(tree)
    assert done.returncode != 0
    assert "crawler.extract.dom -> pipelines.archive.storage" in done.stdout
    assert "Layers import only downwards BROKEN" in done.stdout


def test_extraction_importing_scrapy_breaks_the_contract(tmp_path) -> None:
    tree = copy_of_the_code(tmp_path)
    title = tree / "crawler" / "extract" / "title.py"
    title.write_text(title.read_text() + "\nimport scrapy  # noqa\n")
    done = lint(tree)
    assert done.returncode != 0
    assert "crawler.extract.title -> scrapy" in done.stdout
