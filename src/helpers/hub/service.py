"""The live poll as a JupyterHub managed service, behind the hub's proxy at ``/services/poll/``.

The hub starts ``workbook hub poll SOURCE`` with the variables of a managed service
(``JUPYTERHUB_SERVICE_URL`` names the loopback port to listen on, ``JUPYTERHUB_SERVICE_PREFIX`` the
path the proxy forwards, ``JUPYTERHUB_API_TOKEN`` and ``JUPYTERHUB_CLIENT_ID`` the service's
credentials). :func:`serve_poll` creates or resumes the session with the live poll's own
:func:`helpers.live.server.prepare`, builds its app (:func:`helpers.live.app.create_app`) and serves it
wrapped in two layers:

* :class:`~helpers.hub.auth.HubTrainerGate`: ``/trainer...`` and ``/admin...`` only for hub users in
  the trainers group; the gate then hands the poll the session's own trainer token, so the poll's
  trainer check passes for them and for nobody else. Participants' pages stay open (join code only);
* :class:`ServicePrefix`: the poll writes root-relative addresses (``/poll``, ``href="/static/..."``,
  ``fetch("/state")``, cookies on path ``/``); under the proxy they must start with the service
  prefix, so redirects, cookie paths and the addresses in its HTML and scripts are given the prefix.

The trainer token is kept in the session's ``server.json`` (mode 0600, like ``workbook poll start``
does), so ``workbook poll status`` / ``close`` on the hub's own machine still work; it is never printed.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

from ..errors import WorkbookError

_REWRITTEN_TYPES = ("text/html", "text/javascript", "application/javascript")
_ATTRIBUTE = re.compile(rb'(\b(?:href|src|action)\s*=\s*["\'])/(?![/])')
_FETCH = re.compile(rb'(\bfetch\(\s*["\'])/(?![/])')
_COOKIE_PATH = re.compile(rb"(;\s*[Pp]ath=)/(?=;|$)")


class ServicePrefix:
    """ASGI middleware: serve an app that writes root-relative addresses under a path ``prefix``.

    Requests: the ASGI ``root_path`` is set to the prefix, so a Starlette app routes ``/trainer``
    when the proxy forwards ``/services/poll/trainer``. Responses: a ``Location`` starting with ``/``,
    a cookie's ``Path=/``, and ``href``/``src``/``action`` attributes and ``fetch("/...")`` calls in HTML
    and JavaScript bodies get the prefix. Other responses pass through untouched (and streamed).
    """

    def __init__(self, app, prefix: str):
        self.app = app
        self.prefix = "/" + prefix.strip("/") if prefix.strip("/") else ""
        self._bytes = self.prefix.encode()

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] not in ("http", "websocket") or not self.prefix:
            await self.app(scope, receive, send)
            return
        if not scope.get("root_path") and (scope["path"] == self.prefix or scope["path"].startswith(self.prefix + "/")):
            scope = {**scope, "root_path": self.prefix}
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        pending: dict = {}
        chunks: list[bytes] = []

        async def rewriting_send(message) -> None:
            if message["type"] == "http.response.start":
                headers = [self._header(name, value) for name, value in message.get("headers", [])]
                kind = next((v for n, v in headers if n.lower() == b"content-type"), b"").decode("latin-1")
                if kind.split(";")[0].strip() in _REWRITTEN_TYPES:
                    pending["start"] = {
                        **message,
                        "headers": [(n, v) for n, v in headers if n.lower() != b"content-length"],
                    }
                    return
                await send({**message, "headers": headers})
                return
            if message["type"] == "http.response.body" and "start" in pending:
                chunks.append(message.get("body", b""))
                if message.get("more_body"):
                    return
                body = self.rewrite_body(b"".join(chunks))
                start = pending.pop("start")
                await send({**start, "headers": [*start["headers"], (b"content-length", str(len(body)).encode())]})
                await send({"type": "http.response.body", "body": body})
                return
            await send(message)

        await self.app(scope, receive, rewriting_send)

    def rewrite_body(self, body: bytes) -> bytes:
        """Root-relative ``href``/``src``/``action`` and ``fetch`` addresses, with the prefix."""
        already = re.escape(self._bytes[1:])
        body = _ATTRIBUTE.sub(lambda m: m.group(1) + self._bytes + b"/", body)
        body = _FETCH.sub(lambda m: m.group(1) + self._bytes + b"/", body)
        # an address the app had already prefixed must not get it twice
        return re.sub(re.escape(self._bytes) + rb"/" + already + rb"(?=[/\"'?#])", self._bytes, body)

    def _header(self, name: bytes, value: bytes) -> tuple[bytes, bytes]:
        lower = name.lower()
        if (
            lower == b"location"
            and value.startswith(b"/")
            and not value.startswith(b"//")
            and not value.startswith(self._bytes + b"/")
            and value != self._bytes
        ):
            return name, self._bytes + value
        if lower == b"set-cookie":
            return name, _COOKIE_PATH.sub(lambda m: m.group(1) + self._bytes + b"/", value)
        return name, value


def service_settings() -> tuple[int, str, str]:
    """The port, path prefix and public join address of this service, from the hub's variables."""
    url = os.environ.get("JUPYTERHUB_SERVICE_URL")
    if not url:
        raise WorkbookError(
            "`workbook hub poll` is started by JupyterHub as its poll service (it reads JUPYTERHUB_SERVICE_URL); "
            "to run a poll on your own computer use `workbook poll start`."
        )
    port = urlsplit(url).port
    if not port:
        raise WorkbookError(f"JUPYTERHUB_SERVICE_URL={url} names no port: give the service a url with a port.")
    prefix = "/" + os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/services/poll/").strip("/")
    public = os.environ.get("WORKBOOK_PUBLIC_URL") or os.environ.get("JUPYTERHUB_PUBLIC_URL") or ""
    return port, prefix, public.rstrip("/") + prefix + "/"


def serve_poll(source: str, *, sessions_dir: str | os.PathLike, min_group_size: int = 5) -> int:
    """Create or resume the poll session for ``source`` and serve it as the hub's service until stopped."""
    port, prefix, join_url = service_settings()
    import uvicorn

    from .auth import HubTrainerGate

    try:
        from ..live.app import TRAINER_COOKIE, create_app
        from ..live.server import SERVER_FILE, prepare
    except ImportError as error:
        raise WorkbookError(
            f"this workbook has no live poll ({error}): update it to a version with `workbook poll`."
        ) from None
    folder, token = prepare(source, sessions_dir=sessions_dir, min_group_size=min_group_size)
    asgi, app = create_app(folder, join_url=join_url)
    gate = HubTrainerGate(ServicePrefix(asgi, prefix), trainer_credential=token, credential_cookie=TRAINER_COOKIE)
    meta = app.state.store.meta()
    info = Path(folder) / SERVER_FILE
    info.touch(mode=0o600)
    info.write_text(
        json.dumps(
            {"url": f"http://127.0.0.1:{port}", "join_url": join_url, "pid": os.getpid(), "trainer_token": token}
        )
    )
    print(
        f"{meta['title']}: live poll served by the hub at {join_url} (join code {meta['join_code']}); "
        f"trainers open {join_url}trainer",
        flush=True,
    )
    server = uvicorn.Server(
        uvicorn.Config(
            gate,
            host="127.0.0.1",
            port=port,
            log_level="warning",
            access_log=False,
            server_header=False,
            # the scheme browsers see (https) from the hub's proxy on loopback
            proxy_headers=True,
            forwarded_allow_ips="127.0.0.1",
        )
    )
    app.state.server = server
    try:
        server.run()
    finally:
        info.unlink(missing_ok=True)
    return 0
