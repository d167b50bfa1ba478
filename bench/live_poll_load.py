"""Bounded load on a live poll, on loopback only: N simulated participants each send K answers.

Starts `workbook poll start 05` on a free 127.0.0.1 port (a fresh session in a temporary folder), opens
every question, lets PARTICIPANTS phones join (each its own cookie), then every phone sends ANSWERS
answers, one request each, waiting for each acknowledgement and then a random "think time" (uniform,
mean THINK seconds, seeded) before the next. With the default THINK of 1 s the room offers about
300 answers a second, several times faster than people read and tap; ``--think 0`` fires everything
at once and measures the queue instead. Stops by itself: a fixed number of requests, a per-request
timeout and an overall deadline; the server is stopped at the end whatever happens.

Prints throughput, p50/p95/p99 latency of acknowledged answers, and the answers stored against sent
and acknowledged (read back from the session's SQLite file after the server stopped).

    PYTHONPATH=src python bench/live_poll_load.py [--participants 300] [--answers 10] [--think 1.0]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
LAUNCH = "import sys; from helpers.cli import main; sys.exit(main())"
DEADLINE = 300  # seconds for the whole run
LABELS = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(folder: Path) -> tuple[subprocess.Popen, str, Path, str, str]:
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    log = (folder / "server.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            *(["/tmp/prof_server.py"] if os.environ.get("BENCH_PROFILE") else ["-c", LAUNCH]),
            "poll",
            "start",
            "05",
            "--port",
            str(port),
            "--dir",
            str(folder / "sessions"),
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        text = (folder / "server.log").read_text()
        if "Stop with Ctrl-C" in text:
            code = re.search(r"with the code\s+([A-Z0-9]{6})", text).group(1)
            token = re.search(r"token=(\S+)", text).group(1)
            session = Path(re.search(r"\(session (.+?)\)", text).group(1))
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    return process, f"http://127.0.0.1:{port}", session, code, token
            except OSError:
                pass
        if process.poll() is not None:
            raise SystemExit(f"the poll server exited: {text}")
        time.sleep(0.2)
    process.kill()
    raise SystemExit("the poll server did not start")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


class Phone:
    """A participant's phone: one keep-alive HTTP/1.1 connection and its cookies. A minimal client on
    asyncio streams, so that the load generator (on the same 2 cores) costs far less than the server."""

    def __init__(self, port: int):
        self.port, self.cookies, self.reader, self.writer = port, {}, None, None

    async def request(
        self, method: str, path: str, body: bytes = b"", headers: dict | None = None
    ) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}", f"Content-Length: {len(body)}"]
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status, length = int(head.split(b" ", 2)[1]), 0
        for line in head.decode("latin-1").split("\r\n")[1:]:
            name, _, value = line.partition(":")
            if name.lower() == "content-length":
                length = int(value)
            elif name.lower() == "set-cookie":
                key, _, rest = value.strip().partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        return status, await self.reader.readexactly(length)

    def close(self):
        if self.writer is not None:
            self.writer.close()


FORM = {"Content-Type": "application/x-www-form-urlencoded"}


async def phone(
    port: int,
    code: str,
    n: int,
    answers: int,
    think: float,
    blocks: list[tuple[str, list[str]]],
    latencies: list,
    outcome: dict,
    ready: asyncio.Event,
    joined: list,
) -> None:
    from urllib.parse import urlencode

    rng = random.Random(n)
    client = Phone(port)
    try:
        _, page = await client.request("GET", "/")
        csrf = re.search(rb'name="csrf" value="([^"]+)"', page).group(1).decode()
        await client.request("POST", "/join", urlencode({"csrf": csrf, "code": code}).encode(), FORM)
        joined.append(n)
        await ready.wait()
        questions = [(b, q) for b, qs in blocks for q in qs]
        for k in range(answers):
            await asyncio.sleep(rng.uniform(0, 2 * think))
            block, question = questions[(n * 3 + k) % len(questions)]
            body = urlencode({"csrf": csrf, "block": block, f"q.{question}": LABELS[(n + k) % 5]}).encode()
            outcome["sent"] += 1
            began = time.perf_counter()
            try:
                status, _ = await asyncio.wait_for(
                    client.request("POST", "/answer", body, {**FORM, "Accept": "application/json"}), timeout=10
                )
            except (TimeoutError, OSError, asyncio.IncompleteReadError):
                outcome["failed"] += 1
                client.close()
                cookies, client = client.cookies, Phone(port)
                client.cookies = cookies
                continue
            if status == 200:
                latencies.append(time.perf_counter() - began)
                outcome["acknowledged"] += 1
            else:
                outcome[f"http {status}"] = outcome.get(f"http {status}", 0) + 1
    finally:
        client.close()


async def run(url: str, code: str, token: str, session: Path, participants: int, answers: int, think: float) -> dict:
    sys.path.insert(0, str(ROOT / "src"))
    from helpers.polls.session import SessionStore

    store = SessionStore(session)
    blocks = [(b.id, [q.id for q in b.questions]) for b in store.blocks() if b.id != "about"]
    store.close()
    async with httpx.AsyncClient(base_url=url, headers={"Authorization": f"Bearer {token}"}) as admin:
        for block, _ in blocks:
            (await admin.post("/admin/block", data={"target": block, "to": "open"})).raise_for_status()
    latencies, outcome, joined = [], {"sent": 0, "acknowledged": 0, "failed": 0}, []
    ready = asyncio.Event()
    port = int(url.rsplit(":", 1)[1])
    tasks = [
        asyncio.create_task(phone(port, code, n, answers, think, blocks, latencies, outcome, ready, joined))
        for n in range(participants)
    ]
    while len(joined) < participants:
        await asyncio.sleep(0.05)
    began = time.perf_counter()
    ready.set()
    await asyncio.wait_for(asyncio.gather(*tasks), timeout=DEADLINE)
    outcome["seconds"] = time.perf_counter() - began
    outcome["latencies"] = latencies
    return outcome


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=300)
    parser.add_argument("--answers", type=int, default=10)
    parser.add_argument(
        "--think",
        type=float,
        default=1.0,
        help="mean seconds between a participant's answers (uniform 0..2x; 0 = all at once)",
    )
    arguments = parser.parse_args()
    if not (1 <= arguments.participants <= 1000 and 1 <= arguments.answers <= 28):
        raise SystemExit("--participants 1..1000, --answers 1..28 (the bench is bounded)")
    with tempfile.TemporaryDirectory() as folder:
        process, url, session, code, token = start(Path(folder))
        try:
            result = asyncio.run(
                run(url, code, token, session, arguments.participants, arguments.answers, arguments.think)
            )
        finally:
            stop(process)
        sys.path.insert(0, str(ROOT / "src"))
        from helpers.polls.session import SessionStore

        store = SessionStore(session)
        stored = store.counts()["answers"]
        store.close()
    lat = sorted(result["latencies"])
    q = statistics.quantiles(lat, n=100, method="inclusive") if len(lat) > 1 else lat * 99
    print(
        f"live poll load: {arguments.participants} participants x {arguments.answers} answers on loopback, "
        f"mean think time {arguments.think:g} s "
        f"({os.cpu_count()} CPUs, server and clients on the same machine)"
    )
    print(
        f"sent {result['sent']}, acknowledged {result['acknowledged']}, stored {stored}, failed {result['failed']}"
        + "".join(f", {k} {v}" for k, v in result.items() if k.startswith("http "))
    )
    print(f"throughput {result['acknowledged'] / result['seconds']:.0f} answers/s over {result['seconds']:.2f} s")
    print(
        f"latency ms: p50 {q[49] * 1000:.1f}, p95 {q[94] * 1000:.1f}, p99 {q[98] * 1000:.1f}, max {lat[-1] * 1000:.1f}"
    )
    ok = stored == result["acknowledged"] == result["sent"]
    print("all acknowledged answers stored" if stored >= result["acknowledged"] else "ANSWERS LOST")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
