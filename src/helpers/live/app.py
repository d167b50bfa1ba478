"""The live poll's web app (Starlette, served by uvicorn): participants' pages, the trainer's projector
page and the admin actions.

Safe by default:

- answering needs the join code; the projector page and every admin action need the trainer token
  (a wrong one gets 403 and nothing is written);
- a participant is a random token in an HttpOnly, SameSite=Strict cookie, never an IP address or a
  device fingerprint; the store keeps only a hash of it;
- forms carry a CSRF token (double submit, checked against a cookie) and requests from another
  origin are refused; request bodies, answer lengths and each participant's request rate are bounded;
- every page is rendered by Jinja2 with autoescaping, and a Content-Security-Policy allows no inline
  script, so text a participant writes is shown as text;
- every answer is committed to the session's SQLite file (synced) before it is acknowledged; answers
  arriving together are committed together (group commit), so the disk's sync time is paid once per batch.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from pathlib import Path

from jinja2 import Environment, FileSystemLoader
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from ..polls.session import Change, SessionStore, participant_id
from .answers import MAX_TEXT, AnswerError, parse_block
from .tally import tally

TEMPLATES = Path(__file__).with_name("templates")
MAX_BODY = 16 * 1024  # bytes: a whole block of answers fits many times over
RATE_PER_SECOND = 5.0  # sustained requests per participant
RATE_BURST = 20  # requests a participant may send at once
MAX_BATCH = 512  # submissions committed in one transaction
PARTICIPANT_COOKIE, CSRF_COOKIE, TRAINER_COOKIE = "wb_participant", "wb_csrf", "wb_trainer"
COOKIE_AGE = 24 * 3600
SECURITY_HEADERS = {
    "content-security-policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",  # "no-referrer" would make browsers send "Origin: null" with forms
    "cache-control": "no-store",
    "x-frame-options": "DENY",
}


class BodyLimit:
    """ASGI middleware: refuse a body over ``limit`` bytes with 413 before the app reads it, whether the
    size is announced (Content-Length) or not (chunked)."""

    def __init__(self, app, limit: int = MAX_BODY):
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.limit):
            return await Response("request too large", status_code=413, headers=SECURITY_HEADERS)(scope, receive, send)
        seen = 0

        async def limited():
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise _TooLarge
            return message

        try:
            await self.app(scope, limited, send)
        except _TooLarge:
            await Response("request too large", status_code=413, headers=SECURITY_HEADERS)(scope, receive, send)


class _TooLarge(Exception):
    pass


class RateLimit:
    """A token bucket per participant (in memory only: nothing about it is stored)."""

    def __init__(self, rate: float = RATE_PER_SECOND, burst: int = RATE_BURST):
        self.rate, self.burst, self.buckets = rate, burst, {}

    def blocked(self, key: str) -> bool:
        """Whether ``key`` has used up its bucket (without using a token)."""
        tokens, last = self.buckets.get(key, (self.burst, time.monotonic()))
        return min(self.burst, tokens + (time.monotonic() - last) * self.rate) < 1

    def allow(self, key: str) -> bool:
        now = time.monotonic()
        tokens, last = self.buckets.get(key, (self.burst, now))
        tokens = min(self.burst, tokens + (now - last) * self.rate)
        if tokens < 1:
            self.buckets[key] = (tokens, now)
            return False
        self.buckets[key] = (tokens - 1, now)
        return True


class GroupCommit:
    """One writer: submissions queue up while the previous transaction syncs, then go in together."""

    def __init__(self, store: SessionStore):
        self.store, self.queue, self.task = store, None, None
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="poll-writer")

    async def start(self):
        self.queue = asyncio.Queue()
        self.task = asyncio.create_task(self._run())

    async def stop(self):
        if self.task:
            self.task.cancel()
        self.executor.shutdown(wait=True)

    async def submit(self, changes: list[Change]) -> bool:
        done = asyncio.get_running_loop().create_future()
        await self.queue.put((changes, done))
        return await done

    async def _run(self):
        loop = asyncio.get_running_loop()
        while True:
            batch = [await self.queue.get()]
            while not self.queue.empty() and len(batch) < MAX_BATCH:
                batch.append(self.queue.get_nowait())
            try:
                results = await loop.run_in_executor(self.executor, self.store.save, [c for c, _ in batch])
            except Exception as error:  # the disk failed: nobody is told their answer was saved
                for _, done in batch:
                    done.set_exception(error)
            else:
                for (_, done), ok in zip(batch, results, strict=True):
                    done.set_result(ok)


def create_app(session, *, join_url: str):
    """``(asgi_app, starlette_app)`` serving one session folder; ``join_url`` is the address participants
    are given. Serve the first (it bounds request bodies); the second's ``state.server`` may hold the
    uvicorn server, so that the shutdown action can stop it."""
    writer_store, reader = SessionStore(session), SessionStore(session)
    meta = reader.meta()
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, trim_blocks=True, lstrip_blocks=True)
    writer, limiter, join_limiter = GroupCommit(writer_store), RateLimit(), RateLimit(rate=10, burst=30)
    join_code = meta["join_code"]

    def page(name: str, status: int = 200, **context) -> HTMLResponse:
        html = env.get_template(name).render(title=reader.meta()["title"], **context)
        return HTMLResponse(html, status_code=status, headers=SECURITY_HEADERS)

    def error(status: int, message: str, request: Request) -> Response:
        if "application/json" in request.headers.get("accept", ""):
            return JSONResponse({"error": message}, status_code=status, headers=SECURITY_HEADERS)
        return page("error.html.j2", status=status, message=message)

    def csrf_cookie(request: Request) -> str:
        return request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(24)

    def with_cookie(response: Response, name: str, value: str) -> Response:
        response.set_cookie(name, value, max_age=COOKIE_AGE, httponly=True, samesite="strict", path="/")
        return response

    def same_origin(request: Request) -> bool:
        origin = request.headers.get("origin")  # browsers send it with every POST; "null" is refused
        return origin is None or origin == f"{request.url.scheme}://{request.headers.get('host', '')}"

    async def checked_form(request: Request) -> list[tuple[str, str]] | Response:
        """The form of a POST that passed the origin and CSRF checks, or the error response."""
        if not same_origin(request):
            return error(403, "this form came from another site", request)
        if not request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
            return error(415, "send the form as application/x-www-form-urlencoded", request)
        try:
            form = await request.form(max_files=0, max_fields=200)
            items = [(k, v) for k, v in form.multi_items() if isinstance(v, str)]
        except Exception:
            return error(400, "the form could not be read", request)
        sent = dict(items).get("csrf", "")
        cookie = request.cookies.get(CSRF_COOKIE, "")
        if not cookie or not secrets.compare_digest(sent.encode(), cookie.encode()):
            return error(403, "the form has expired: reload the page and try again", request)
        return items

    def participant(request: Request) -> str | None:
        token = request.cookies.get(PARTICIPANT_COOKIE)
        if not token or len(token) > 100:
            return None
        pid = participant_id(token)
        return pid if reader.has_participant(pid) else None

    def is_trainer(request: Request) -> bool:
        header = request.headers.get("authorization", "")
        token = header[7:] if header.lower().startswith("bearer ") else None
        cookie = request.cookies.get(TRAINER_COOKIE)
        return reader.check_trainer(token) if token else (cookie is not None and reader.check_trainer(cookie))

    # -- participants -------------------------------------------------------------------------
    async def home(request: Request) -> Response:
        if participant(request):
            return RedirectResponse("/poll", status_code=303)
        token = csrf_cookie(request)
        code = request.query_params.get("code", "")[:12]
        return with_cookie(page("join.html.j2", csrf=token, code=code), CSRF_COOKIE, token)

    async def join(request: Request) -> Response:
        form = await checked_form(request)
        if isinstance(form, Response):
            return form
        if join_limiter.blocked("wrong codes"):  # someone is guessing codes: everybody waits a moment
            return error(429, "too many attempts: wait a moment and try again", request)
        code = dict(form).get("code", "").strip().upper().replace(" ", "")
        if not secrets.compare_digest(code.encode(), join_code.encode()):
            join_limiter.allow("wrong codes")
            return error(403, "that join code is not right: check the code on the screen", request)
        token = secrets.token_urlsafe(24)
        await asyncio.get_running_loop().run_in_executor(None, writer_store.add_participant, participant_id(token))
        return with_cookie(RedirectResponse("/poll", status_code=303), PARTICIPANT_COOKIE, token)

    async def poll(request: Request) -> Response:
        pid = participant(request)
        if pid is None:
            return RedirectResponse("/", status_code=303)
        info = reader.meta()
        blocks = [b for b in reader.blocks() if b.state == "open"] if info["state"] == "open" else []
        token = csrf_cookie(request)
        saved = request.query_params.get("saved", "")
        response = page(
            "poll.html.j2",
            state=info["state"],
            blocks=blocks,
            answers=reader.answers_of(pid),
            csrf=token,
            saved=saved,
            version=info["version"],
            max_text=MAX_TEXT,
        )
        return with_cookie(response, CSRF_COOKIE, token)

    async def answer(request: Request) -> Response:
        pid = participant(request)
        if pid is None:
            return error(403, "join the poll first (with the code on the screen)", request)
        if not limiter.allow(pid):
            return error(429, "you are sending answers very fast: wait a second and try again", request)
        form = await checked_form(request)
        if isinstance(form, Response):
            return form
        block_id = dict(form).get("block", "")
        block = next((b for b in reader.blocks() if b.id == block_id), None)
        if block is None:
            return error(400, "this form is not part of the poll", request)
        if block.state != "open" or reader.meta()["state"] != "open":
            return error(409, "these questions are closed now", request)
        try:
            changes = parse_block(block, form, pid)
        except AnswerError as problem:
            return error(problem.status, str(problem), request)
        if changes and not await writer.submit(changes):
            return error(409, "these questions were closed before your answer arrived", request)
        if "application/json" in request.headers.get("accept", ""):
            return JSONResponse({"saved": len(changes)}, headers=SECURITY_HEADERS)
        return RedirectResponse(f"/poll?saved={block.id}#block-{block.id}", status_code=303)

    async def state(request: Request) -> Response:
        info = reader.meta()
        return JSONResponse({"state": info["state"], "version": info["version"]}, headers=SECURITY_HEADERS)

    # -- trainer ------------------------------------------------------------------------------
    async def trainer(request: Request) -> Response:
        token = request.query_params.get("token")
        if token is not None:
            if not reader.check_trainer(token):
                return error(403, "wrong trainer token", request)
            return with_cookie(RedirectResponse("/trainer", status_code=303), TRAINER_COOKIE, token)
        if not is_trainer(request):
            return error(403, "the projector page needs the trainer token (printed by workbook poll start)", request)
        csrf = csrf_cookie(request)
        info = reader.meta()
        response = page(
            "trainer.html.j2",
            csrf=csrf,
            join_url=join_url,
            join_code=join_code,
            blocks=reader.blocks(),
            waves=[w for w in info["waves"].split("|") if w],
            wave=info["wave"],
            state=info["state"],
            tally=tally(reader),
        )
        return with_cookie(response, CSRF_COOKIE, csrf)

    async def trainer_tally(request: Request) -> Response:
        if not is_trainer(request):
            return error(403, "wrong trainer token", request)
        return page("tally.html.j2", tally=tally(reader))

    async def qr_png(request: Request) -> Response:
        if not is_trainer(request):
            return error(403, "wrong trainer token", request)
        from .qr import png_bytes

        return Response(png_bytes(f"{join_url}?code={join_code}"), media_type="image/png", headers=SECURITY_HEADERS)

    async def admin(request: Request) -> Response:
        if not is_trainer(request):
            return error(403, "wrong trainer token", request)
        if request.headers.get("authorization"):  # the CLI: a header no other site can make a browser send
            try:
                form = [(k, v) for k, v in (await request.form(max_files=0, max_fields=20)).multi_items()]
            except Exception:
                return error(400, "the form could not be read", request)
        else:
            form = await checked_form(request)
            if isinstance(form, Response):
                return form
        fields = dict(form)
        action, target = request.path_params["action"], fields.get("target", "")
        loop = asyncio.get_running_loop()
        try:
            if action == "block" and fields.get("to") in ("open", "closed"):
                await loop.run_in_executor(None, writer_store.set_block_state, target, fields["to"])
                if fields["to"] == "open" and reader.meta()["state"] == "waiting":
                    await loop.run_in_executor(None, writer_store.set_state, "open")
            elif action == "poll" and fields.get("to") in ("waiting", "open", "closed"):
                await loop.run_in_executor(None, writer_store.set_state, fields["to"])
            elif action == "wave":
                await loop.run_in_executor(None, writer_store.set_wave, target)
            elif action == "shutdown":
                server = getattr(request.app.state, "server", None)
                if server is not None:
                    server.should_exit = True
            else:
                return error(400, f"unknown admin action {action!r}", request)
        except Exception as problem:  # an unknown block or wave: say which
            return error(400, str(problem), request)
        if request.headers.get("authorization"):
            return JSONResponse(status_payload(), headers=SECURITY_HEADERS)
        return RedirectResponse("/trainer", status_code=303)

    def status_payload() -> dict:
        info = reader.meta()
        counts = reader.counts()
        return {
            "title": info["title"],
            "state": info["state"],
            "wave": info["wave"],
            **counts,
            "blocks": {b.id: b.state for b in reader.blocks()},
        }

    async def status(request: Request) -> Response:
        if not is_trainer(request):
            return error(403, "wrong trainer token", request)
        return JSONResponse(status_payload(), headers=SECURITY_HEADERS)

    async def static(request: Request) -> Response:
        name = request.path_params["name"]
        types = {"style.css": "text/css", "poll.js": "text/javascript", "trainer.js": "text/javascript"}
        if name not in types:
            return Response("not found", status_code=404, headers=SECURITY_HEADERS)
        return Response((TEMPLATES / name).read_bytes(), media_type=types[name], headers=SECURITY_HEADERS)

    @asynccontextmanager
    async def lifespan(app):
        await writer.start()
        try:
            yield
        finally:
            await writer.stop()
            writer_store.close()
            reader.close()

    routes = [
        Route("/", home),
        Route("/join", join, methods=["POST"]),
        Route("/poll", poll),
        Route("/answer", answer, methods=["POST"]),
        Route("/state", state),
        Route("/trainer", trainer),
        Route("/trainer/tally", trainer_tally),
        Route("/trainer/qr.png", qr_png),
        Route("/admin/status", status),
        Route("/admin/{action}", admin, methods=["POST"]),
        Route("/static/{name}", static),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.store = reader
    return BodyLimit(app), app
