"""``exonc serve`` is gunicorn with a task consumer beside it, and stops both (issue 16)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from exonc.cli.platform import default_workers


def test_the_default_worker_count_follows_the_cores() -> None:
    assert 3 <= default_workers() <= 9


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _children(pid: int) -> set[int]:
    found = set()
    for status in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = status.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.add(int(status.parent.name))
    return found


@pytest.mark.slow
def test_serve_runs_gunicorn_and_the_task_consumer_and_stops_both(tmp_path: Path) -> None:
    port = _free_port()
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "EXONC_VAR_DIR": str(tmp_path / "var"),
    }
    command = [sys.executable, "-m", "exonc.cli", "serve", f"--port={port}", "--workers=1"]
    server = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        answer = None
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and answer is None:
            time.sleep(1)
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/login/", timeout=30)
            except httpx.TransportError:
                assert server.poll() is None, "exonc serve ended before answering"
        assert answer is not None, "no answer within four minutes"
        assert answer.status_code == 200
        assert answer.headers["server"].startswith("gunicorn")
        assert "default-src 'self'" in answer.headers["content-security-policy"]
        css = httpx.get(f"http://127.0.0.1:{port}/static/exonc/exonc.css", timeout=30)
        assert css.status_code == 200  # WhiteNoise
        assert "text/css" in css.headers["content-type"]
        children = _children(server.pid)
        assert len(children) == 2  # gunicorn's master and the task consumer
    finally:
        server.send_signal(signal.SIGTERM)  # what a service manager sends
        output = server.communicate(timeout=90)[0].decode()
    assert server.returncode == 0, output
    assert "Consumer exiting" in output
    assert all(not Path(f"/proc/{pid}").exists() for pid in children)
