"""Start a real `workbook poll start` server on a free loopback port, and act as participants or trainer.

Used by tests/test_live_poll*.py and bench/live_poll_load.py. Every server started here is stopped
(SIGTERM, then SIGKILL of its process group) and waited for.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
START_TIMEOUT = 60
LAUNCH = "import sys; from helpers.cli import main; sys.exit(main())"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PollServer:
    """``workbook poll start SOURCE`` in a subprocess (its own process group)."""

    def __init__(self, source, sessions_dir: Path, *, port: int | None = None, extra=()):
        self.port = port or free_port()
        self.sessions_dir = Path(sessions_dir)
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "WORKBOOK_PSEUDONYM_KEY": "test-key"}
        self.log = (self.sessions_dir.parent / f"server-{self.port}.log").open("w")
        before = set(self.sessions_dir.glob("*")) if self.sessions_dir.exists() else set()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-c",
                LAUNCH,
                "poll",
                "start",
                str(source),
                "--port",
                str(self.port),
                "--dir",
                str(self.sessions_dir),
                *extra,
            ],
            cwd=self.sessions_dir.parent,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.folder = Path(source) if Path(source, "session.sqlite").exists() else None
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"poll server exited early ({self.process.returncode}): {self.output()}")
            if self.folder is None:
                new = [p for p in self.sessions_dir.glob("*") if p not in before and (p / "server.json").exists()]
                self.folder = new[0] if new else None
            info = self.folder / "server.json" if self.folder else None
            if (
                info
                and info.exists()
                and info.stat().st_size
                and json.loads(info.read_text())["pid"] == self.process.pid
            ):
                try:
                    with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                        break
                except OSError:
                    pass
            time.sleep(0.2)
        else:
            self.stop()
            raise AssertionError(f"poll server did not start within {START_TIMEOUT} s: {self.output()}")
        info = json.loads((self.folder / "server.json").read_text())
        self.url, self.token = info["url"], info["trainer_token"]
        self.join_code = re.search(r"with the code\s+([A-Z0-9]{6})", self.output()).group(1)

    def output(self) -> str:
        if not self.log.closed:
            self.log.flush()
        return Path(self.log.name).read_text()

    def admin(self, action: str, **fields) -> httpx.Response:
        return httpx.post(f"{self.url}/admin/{action}", data=fields, headers={"Authorization": f"Bearer {self.token}"})

    def open_all(self) -> None:
        from helpers.polls.session import SessionStore

        store = SessionStore(self.folder)
        blocks = [b.id for b in store.blocks()]
        store.close()
        for block in blocks:
            assert self.admin("block", target=block, to="open").status_code == 200

    def kill9(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        self.log.close()

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        if not self.log.closed:
            self.log.close()
        return self.process.returncode


class Participant:
    """A phone: an httpx client with its own cookies."""

    def __init__(self, server: PollServer, code: str | None = None):
        self.server = server
        self.client = httpx.Client(base_url=server.url, follow_redirects=True, timeout=30)
        self.csrf = ""
        self.join_response = self.join(code or server.join_code)

    def join(self, code: str) -> httpx.Response:
        page = self.client.get("/")
        self.csrf = CSRF.search(page.text).group(1)
        return self.client.post("/join", data={"csrf": self.csrf, "code": code})

    def page(self) -> str:
        text = self.client.get("/poll").text
        found = CSRF.search(text)
        if found:
            self.csrf = found.group(1)
        return text

    def answer(self, block: str, fields: dict | list, *, json_ack: bool = True) -> httpx.Response:
        items = list(fields.items()) if isinstance(fields, dict) else list(fields)
        data = [
            ("csrf", self.csrf),
            ("block", block),
            *[(f"q.{k}" if not k.startswith("shown.") else k, v) for k, v in items],
        ]
        headers = {"Accept": "application/json"} if json_ack else {}
        return self.client.post(
            "/answer",
            content=httpx.QueryParams(data).__str__().encode(),
            headers={**headers, "Content-Type": "application/x-www-form-urlencoded"},
        )

    def close(self) -> None:
        self.client.close()
