"""Run a live poll: create (or resume) a session, print how to join, serve it with uvicorn.

While it runs, the session folder holds ``server.json`` (readable by the trainer only): the local
address, the process id and the trainer token, so that ``workbook poll close`` and ``status`` can
reach the server from another terminal. It is removed when the server stops. Uvicorn's access log is
off: it would record participants' IP addresses.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sys
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime
from pathlib import Path

from ..errors import WorkbookError
from ..polls.session import SESSION_FILE, SessionStore, is_session, token_hash

SERVER_FILE = "server.json"
QR_FILE = "join-qr.png"
DEFAULT_PORT = 8765
DEFAULT_DIR = "poll-sessions"


def lan_address() -> str:
    """This machine's address on the local network (a UDP socket is 'connected', nothing is sent)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))
            return probe.getsockname()[0]
        except OSError:
            return "127.0.0.1"


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def prepare(source: str, *, sessions_dir=DEFAULT_DIR, min_group_size: int = 5) -> tuple[Path, str]:
    """The session folder for ``source`` (a new one, or ``source`` itself when it is a session) and a
    fresh trainer token (resuming replaces the old token, which may have been lost with the server)."""
    import secrets

    if is_session(source):
        folder = Path(source) if Path(source).is_dir() else Path(source).parent
        token = secrets.token_urlsafe(18)
        store = SessionStore(folder)
        store.set_meta(trainer_hash=token_hash(token))
        store.close()
        return folder, token
    from .lessons import plan

    poll = plan(source)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    slug = "".join(c if c.isalnum() else "-" for c in poll.source.replace("lesson ", "lesson-"))
    folder = Path(sessions_dir) / f"{stamp}-{slug}"
    n = 1
    while folder.exists():
        n += 1
        folder = Path(sessions_dir) / f"{stamp}-{slug}-{n}"
    store, token = SessionStore.create(
        folder,
        poll.codebook,
        title=poll.title,
        source=poll.source,
        waves=poll.waves,
        min_group_size=min_group_size,
        titles=dict(poll.titles),
    )
    store.close()
    return folder, token


def serve(folder: Path, token: str, *, port: int = DEFAULT_PORT, lan: bool = False, out=sys.stdout) -> int:
    """Serve the session in ``folder`` until Ctrl-C, SIGTERM or ``workbook poll close``."""
    import uvicorn

    from .app import create_app
    from .qr import png_bytes, terminal_text

    host = "0.0.0.0" if lan else "127.0.0.1"
    port = free_port(host) if port == 0 else port
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.bind((host, port))
    except OSError:
        raise WorkbookError(
            f"port {port} is in use: choose another with --port (or --port 0 for any free one)"
        ) from None
    shown_host = lan_address() if lan else "127.0.0.1"
    join_url = f"http://{shown_host}:{port}/"
    local = f"http://127.0.0.1:{port}"
    asgi, app = create_app(folder, join_url=join_url)
    meta = app.state.store.meta()
    (folder / QR_FILE).write_bytes(png_bytes(f"{join_url}?code={meta['join_code']}"))
    info = folder / SERVER_FILE
    info.touch(mode=0o600)
    info.write_text(json.dumps({"url": local, "join_url": join_url, "pid": os.getpid(), "trainer_token": token}))
    print(f"{meta['title']}  (session {folder})", file=out)
    print(f"Join at   {join_url}   with the code   {meta['join_code']}", file=out)
    if not lan:
        print("          (this machine only: start with --lan to let phones on the same network join)", file=out)
    print(f"Projector {local}/trainer?token={token}", file=out)
    print(f"QR code   {folder / QR_FILE}", file=out)
    print(terminal_text(f"{join_url}?code={meta['join_code']}"), file=out)
    print(
        "Open the first questions on the projector page. Stop with Ctrl-C or `workbook poll close`.",
        file=out,
        flush=True,
    )
    config = uvicorn.Config(
        asgi,
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        server_header=False,
        proxy_headers=False,
        timeout_keep_alive=30,
        limit_concurrency=2000,
    )
    server = uvicorn.Server(config)
    app.state.server = server
    # uvicorn stops gracefully on SIGTERM/SIGINT and then re-raises the signal; with these handlers the
    # re-raised signal ends the command cleanly (server.json removed, the closing message printed).
    previous = {sig: signal.signal(sig, _stopped) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        server.run()
    except _Stop:
        pass
    finally:
        info.unlink(missing_ok=True)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    print(f"Poll stopped. Analyse it with: workbook poll export {folder} --out DIR, or load('{folder}')", file=out)
    return 0


class _Stop(Exception):
    pass


def _stopped(signum, frame):
    raise _Stop


def running(session=None, sessions_dir=DEFAULT_DIR) -> tuple[Path, dict]:
    """The session folder and ``server.json`` of a running poll (the given one, else the newest)."""
    if session is not None:
        folder = Path(session) if Path(session).is_dir() else Path(session).parent
        candidates = [folder]
    else:
        root = Path(sessions_dir)
        candidates = sorted((p.parent for p in root.glob(f"*/{SERVER_FILE}")), reverse=True) if root.is_dir() else []
    for folder in candidates:
        if (folder / SERVER_FILE).is_file() and (folder / SESSION_FILE).is_file():
            return folder, json.loads((folder / SERVER_FILE).read_text())
    where = session or f"{sessions_dir}/"
    raise WorkbookError(f"no running poll found in {where}: start one with `workbook poll start 04`")


def call(server: dict, path: str, fields: dict | None = None) -> dict:
    """Call the running server's admin API with the trainer token (POST when ``fields`` are given)."""
    data = urllib.parse.urlencode(fields).encode() if fields is not None else None
    request = urllib.request.Request(
        server["url"] + path,
        data=data,
        headers={"Authorization": f"Bearer {server['trainer_token']}", "Accept": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as problem:
        raise WorkbookError(
            f"the poll server refused: {problem.code} {problem.read()[:200].decode(errors='replace')}"
        ) from None
    except (urllib.error.URLError, OSError) as problem:
        raise WorkbookError(
            f"the poll server at {server['url']} does not answer ({problem}); is it still running?"
        ) from None
