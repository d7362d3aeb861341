"""What a crawl leaves on the machine: no listening socket while it runs (Scrapy's telnet
console and remote-control server are off), and no file outside the data directory after
it ends, even when it is killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from crawler.mirror import serve_app
from crawler.replica.synthetic import SyntheticSite
from tests.helpers import ROOT


def _files(root: Path) -> set[Path]:
    # Bytecode caches and the virtual environment are Python's, not the crawl's.
    return {
        p
        for p in root.rglob("*")
        if "__pycache__" not in p.parts and ".venv" not in p.relative_to(root).parts[:1]
    }


def _listening_ports(pid: int) -> set[str]:
    """The inodes of the TCP sockets `pid` listens on (state 0A in /proc/net/tcp*)."""
    own = {
        os.readlink(f"/proc/{pid}/fd/{fd}")[8:-1]
        for fd in os.listdir(f"/proc/{pid}/fd")
        if os.readlink(f"/proc/{pid}/fd/{fd}").startswith("socket:[")
    }
    listening = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A" and fields[9] in own:
                listening.add(fields[1])
    return listening


def test_a_crawl_opens_no_console_and_leaves_no_file_outside_its_data_directory(
    tmp_path,
) -> None:
    home, data = tmp_path / "home", tmp_path / "data"
    home.mkdir()
    env = {**os.environ, "HOME": str(home)}
    for name in ("XDG_STATE_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME"):
        env.pop(name, None)
    before = _files(ROOT)
    site = SyntheticSite(400, seed=2, log_requests=False)
    with serve_app(site) as base_url:
        command = [sys.executable, "-m", "crawler.cli", "crawl", "--base-url", base_url,
                   "--db", str(data / "a.db"), "--fast"]  # fmt: skip
        crawl = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)  # fmt: skip
        deadline = time.monotonic() + 60
        while site.request_count < 50 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _listening_ports(crawl.pid) == set()
        crawl.send_signal(signal.SIGKILL)
        crawl.wait()
        subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)
    assert _files(home) == set()
    assert {p.name for p in data.iterdir()} <= {"a.db", "a.db-wal", "a.db-shm", "a.db.lock"}
    assert _files(ROOT) - before == set()
