"""`workbook serve`: preheated, behind a token, deaf to other hosts and origins, bounded, and honest
about its port.

Each test starts the real command (`helpers.cli.main(["serve", ...])` in a child process) on a free
loopback port with a tiny notebook, waits for its "Ready" line, and stops every process it started.
Waits are bounded polls, never timing asserts.
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
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import nbformat
import psutil
import pytest

from helpers.serve import allowed_host, allowed_origin

ROOT = Path(__file__).resolve().parents[1]
READY_TIMEOUT = 180  # seconds: kernels start slowly on a loaded 2-core machine
LAUNCHER = "import sys\nfrom helpers.cli import main\nsys.exit(main(sys.argv[1:]))\n"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """`workbook serve NOTEBOOK --edition trainer` as a child process, read line by line."""

    def __init__(self, notebook: Path, *arguments: str):
        self.process = subprocess.Popen(
            [sys.executable, "-c", LAUNCHER, "serve", str(notebook), "--edition", "trainer", *arguments],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
            env={**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])},
        )
        self.lines: list[str] = []

    def wait_for(self, pattern: str, timeout: float = READY_TIMEOUT) -> re.Match:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line:
                raise AssertionError("workbook serve stopped:\n" + "".join(self.lines))
            self.lines.append(line)
            found = re.search(pattern, line)
            if found:
                return found
        raise AssertionError(f"no {pattern!r} within {timeout} s:\n" + "".join(self.lines))

    def kernels(self) -> list[psutil.Process]:
        """The live kernel processes under the server (a kernel being shut down may be a zombie)."""
        found = []
        for child in psutil.Process(self.process.pid).children(recursive=True):
            try:
                if child.status() != psutil.STATUS_ZOMBIE and "ipykernel_launcher" in " ".join(child.cmdline()):
                    found.append(child)
            except (psutil.NoSuchProcess, psutil.ZombieProcess):
                pass
        return found

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.process.stdout.close()


@pytest.fixture
def tiny(tmp_path) -> Path:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('print("answer", 41 + 1)')])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "tiny.ipynb"
    nbformat.write(nb, path)
    return path


def get(url: str, headers: dict | None = None) -> tuple[int, str]:
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=120) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


def message(msg_type: str, channel: str) -> str:
    header = {
        "msg_id": uuid.uuid4().hex,
        "msg_type": msg_type,
        "session": uuid.uuid4().hex,
        "username": "visitor",
        "version": "5.3",
        "date": "2026-01-01T00:00:00Z",
    }
    return json.dumps(
        {"header": header, "parent_header": {}, "metadata": {}, "content": {}, "channel": channel, "buffers": []}
    )


def test_host_and_origin_rules():
    assert allowed_host("127.0.0.1:80", 80) and allowed_host("LOCALHOST:80", 80)
    assert not allowed_host("evil.example:80", 80) and not allowed_host("127.0.0.1", 80)
    assert not allowed_host("127.0.0.1.evil.example:80", 80)
    assert allowed_origin("http://127.0.0.1:80", 80) and not allowed_origin("https://127.0.0.1:80", 80)


def test_serve_is_preheated_closed_and_keeps_its_kernels(tiny):
    import websocket

    port = free_port()
    server = Server(tiny, "--port", str(port), "--pool", "2", "--max-kernels", "4", "--idle-timeout", "3")
    try:
        url = server.wait_for(r"Serving tiny\.ipynb \(trainer edition\) at (\S+)")[1]
        server.wait_for(r"^Ready in [\d.]+ s: open " + re.escape(url))
        assert re.fullmatch(rf"http://127\.0\.0\.1:{port}/\?token=[\w-]{{32}}", url)  # the port asked for
        token = url.split("token=")[1]

        status, page = get(url)
        assert status == 200 and "answer 42" in page  # rendered by a preheated kernel
        kernel = re.search(r'"kernelId": "([0-9a-f-]{36})"', page)[1]

        # The visitor connects at once, as the page's own script does: a kernel nobody connects to
        # within --idle-timeout is culled, so on a loaded machine a later connection could find it gone.
        # A visitor's control messages never reach the kernel; widget messages do.
        ws_url = f"ws://127.0.0.1:{port}/api/kernels/{kernel}/channels?token={token}"
        with pytest.raises(websocket.WebSocketBadStatusException):
            websocket.create_connection(ws_url, origin="http://evil.example", timeout=READY_TIMEOUT)
        connection = websocket.create_connection(ws_url, origin=f"http://127.0.0.1:{port}", timeout=READY_TIMEOUT)
        connection.settimeout(1)  # then short waits between kernel_info_requests
        try:
            connection.send(message("shutdown_request", "control"))
            connection.send(message("execute_request", "shell"))
            replies, deadline = [], time.monotonic() + READY_TIMEOUT
            while "kernel_info_reply" not in replies and time.monotonic() < deadline:
                connection.send(message("kernel_info_request", "shell"))  # again, in case the first was early
                try:
                    while "kernel_info_reply" not in replies:
                        replies.append(json.loads(connection.recv())["header"]["msg_type"])
                except websocket.WebSocketTimeoutException:
                    pass
            # The kernel answers control before shell, and shell in order: had the shutdown or the execute
            # request reached it, its reply would have come before kernel_info_reply. A second more, in case.
            try:
                while True:
                    replies.append(json.loads(connection.recv())["header"]["msg_type"])
            except websocket.WebSocketTimeoutException:
                pass
            assert "kernel_info_reply" in replies
            assert "shutdown_reply" not in replies and "execute_reply" not in replies
            assert get(f"http://127.0.0.1:{port}/api/kernels/{kernel}?token={token}")[0] == 200  # still alive
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/api/kernels/{kernel}?token={token}", method="DELETE"
            )
            with pytest.raises(urllib.error.HTTPError, match="403"):
                urllib.request.urlopen(request, timeout=30)

            assert get(url)[0] == 200 and get(url)[0] == 200  # reload, second visitor
            # no token, no page: Voilà's login form instead
            status, page = get(f"http://127.0.0.1:{port}/")
            assert status == 302 and "answer 42" not in page
            # DNS rebinding and cross-site requests
            assert get(url, {"Host": "evil.example"})[0] == 403
            assert get(url, {"Host": f"evil.example:{port}"})[0] == 403
            assert get(url, {"Origin": "http://evil.example"})[0] == 403
            assert get(url, {"Host": f"localhost:{port}"})[0] == 200
        finally:
            connection.close()

        # bounded: eight more page views, never more than four kernels
        for _ in range(8):
            assert get(url)[0] in (200, 503)
            assert len(server.kernels()) <= 4
        # culled when idle: visitors who never connect lose their kernels; the preheated two stay
        deadline = time.monotonic() + READY_TIMEOUT
        while len(server.kernels()) > 2 and time.monotonic() < deadline:
            time.sleep(1)
        assert len(server.kernels()) == 2
        started = server.kernels()
    finally:
        server.stop()
    assert not any(p.is_running() and p.status() != psutil.STATUS_ZOMBIE for p in started)  # all stopped


def test_a_port_in_use_is_an_error_naming_it(tiny):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-c", LAUNCHER, "serve", str(tiny), "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert done.returncode == 1
    assert f"port {port} on 127.0.0.1 is in use" in done.stderr and "Traceback" not in done.stderr
    assert list(tiny.parent.glob("_serving_*")) == []


def test_serve_command_line_and_bad_options(tiny):
    from helpers.cli import course
    from helpers.serve import voila_arguments

    assert course.server_command("app.ipynb", 9000, name="app")[:4] == [
        sys.executable,
        "-m",
        "helpers.serve",
        "app.ipynb",
    ]
    arguments = voila_arguments("app.ipynb", 9000, pool=2, idle_timeout=60)
    assert {
        "--no-browser",
        "--port=9000",
        "--Voila.ip=127.0.0.1",
        "--strip_sources=True",
        "--preheat_kernel=True",
        "--pool_size=2",
        "--MappingKernelManager.cull_idle_timeout=60",
    } <= set(arguments)
    assert not any("token" in a for a in arguments)  # the token never goes into argv
    for bad, message in (
        (["--port", "70000"], "--port must be between 1 and 65535"),
        (["--pool", "0"], "--pool and --idle-timeout must be 1 or more"),
    ):
        done = subprocess.run(
            [sys.executable, "-c", LAUNCHER, "serve", str(tiny), *bad], capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 1 and message in done.stderr


def test_without_port_a_taken_default_gives_a_free_one():
    from helpers.cli.course import DEFAULT_PORT, choose_port, port_is_free
    from helpers.errors import WorkbookError

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        port = taken.getsockname()[1]
        with pytest.raises(WorkbookError, match=f"port {port} on 127.0.0.1 is in use"):
            choose_port(port)
    chosen = choose_port(None)
    assert port_is_free(chosen) and (chosen == DEFAULT_PORT or not port_is_free(DEFAULT_PORT))
