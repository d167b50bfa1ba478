"""The hub's login in front of a Starlette (ASGI) app that runs as a JupyterHub service.

The live poll runs as a JupyterHub *managed service*: the hub starts it, gives it an API token and
an OAuth client in environment variables (``JUPYTERHUB_API_TOKEN``, ``JUPYTERHUB_CLIENT_ID``,
``JUPYTERHUB_SERVICE_PREFIX``, ...), and its proxy forwards ``/services/<name>/`` to it. Participants
join with the join code alone, so most of the app is open; the trainer's view and the admin actions
are not. :class:`HubTrainerGate` is an ASGI middleware that, for the protected paths only, asks the
hub who is calling and lets the request through only for a hub user who

* holds the service's access scope (``access:services!service=<name>``, which the hub
  configuration grants to the ``trainers`` group and to nobody else), and
* is a member of the ``trainers`` group.

How the caller is identified (jupyterhub.services.auth.HubOAuth does the talking to the hub):

* ``Authorization: token <hub API token>`` (or ``Bearer``): for scripts and tests;
* otherwise the OAuth cookie: a browser without one is sent through the hub's OAuth login
  (``/hub/api/oauth2/authorize`` with PKCE and a state cookie) and comes back to
  ``<prefix>oauth_callback``, which this middleware answers itself, sets the cookie and returns the
  browser to the page it asked for. Unsafe methods (POST, ...) authorised by the cookie must come from
  the same origin (a cross-site form cannot trigger an admin action).

A refused request gets 401 (nobody identified) or 403 (identified, not a trainer) with one plain
sentence; the user model of an allowed one is in ``request.state.hub_user`` (name and groups only).
The middleware also sets the ASGI ``root_path`` to the service prefix, so the wrapped app routes
``/trainer`` whether the proxy forwards ``/services/poll/trainer`` or ``/trainer``.
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Iterable
from urllib.parse import urlencode, urlsplit

TRAINERS_GROUP = "trainers"
STATE_COOKIE_AGE = 600
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class HubTrainerGate:
    """ASGI middleware: paths starting with one of ``protected`` need a hub user in ``group``.

    Parameters
    ----------
    app : ASGI application
        The service's own app (e.g. the live poll's Starlette app).
    protected : path prefixes, relative to the service prefix (``"/trainer"``, ``"/admin"``).
    group : the hub group whose members may pass (default ``trainers``).
    hub_auth : a configured ``jupyterhub.services.auth.HubOAuth``; by default one is made from the
        environment variables the hub gives a managed service.
    trainer_credential : the wrapped app's own trainer secret (the live poll's trainer token). A
        request the hub allowed reaches the app carrying it: as ``Authorization: Bearer <it>`` when the
        caller sent a hub token, as the cookie ``credential_cookie`` when a browser came with the OAuth
        cookie (so the app's own CSRF checks for browser forms still apply). A request that itself
        carries exactly ``Authorization: Bearer <it>`` is let through without asking the hub (the
        ``workbook poll status | close`` commands on the hub's machine, which read it from the
        session's private ``server.json``).
    credential_cookie : the name of the app's trainer cookie (without one, the header is used).
    """

    def __init__(
        self,
        app,
        *,
        protected: Iterable[str] = ("/trainer", "/admin"),
        group: str = TRAINERS_GROUP,
        hub_auth=None,
        trainer_credential: str | None = None,
        credential_cookie: str | None = None,
    ):
        from jupyterhub.services.auth import HubOAuth

        self.app = app
        self.protected = tuple("/" + p.strip("/") for p in protected)
        self.group = group
        self.auth = hub_auth if hub_auth is not None else HubOAuth(cache_max_age=60)
        self.prefix = "/" + os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/").strip("/")
        self.prefix = "" if self.prefix == "/" else self.prefix
        self.callback_path = urlsplit(self.auth.oauth_redirect_uri).path
        self.credential = f"Bearer {trainer_credential}".encode() if trainer_credential else None
        self.secret, self.credential_cookie = trainer_credential, credential_cookie

    # ---- ASGI -----------------------------------------------------------------------------------
    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        path, route = scope["path"], scope["path"]
        if self.prefix and (path == self.prefix or path.startswith(self.prefix + "/")):
            scope = {**scope, "root_path": scope.get("root_path", "") or self.prefix}
            route = path[len(self.prefix) :]
        if scope["type"] == "http" and path == self.callback_path:
            await self._oauth_callback(scope, receive, send)
            return
        if not self._is_protected(route or "/"):
            await self.app(scope, receive, send)
            return
        from starlette.requests import HTTPConnection

        connection = HTTPConnection(scope)
        if self.credential is not None and hmac.compare_digest(
            connection.headers.get("authorization", "").encode(), self.credential
        ):
            await self.app(scope, receive, send)
            return
        user, by_cookie = await self._identify(connection)
        if user is None:
            # a browser (no token header; no cookie, or one the hub no longer knows) logs in again
            if scope["type"] == "http" and scope.get("method") == "GET" and "authorization" not in connection.headers:
                await self._start_login(connection, receive, send)
            else:
                await self._refuse(
                    scope, receive, send, 401, "Log in to the hub first: this page is for the course's trainers."
                )
            return
        if not self.allows(user):
            await self._refuse(
                scope,
                receive,
                send,
                403,
                f"This page is for the course's trainers: ask the hub's administrator to add "
                f"you to the '{self.group}' group.",
            )
            return
        if (
            by_cookie
            and scope["type"] == "http"
            and scope.get("method") not in _SAFE_METHODS
            and not _same_origin(connection)
        ):
            await self._refuse(
                scope,
                receive,
                send,
                403,
                "This action must be sent from the trainer's page itself (cross-site request refused).",
            )
            return
        state = dict(scope.get("state") or {})
        state["hub_user"] = {"name": user.get("name"), "groups": sorted(user.get("groups") or [])}
        scope = {**scope, "state": state}
        if self.credential is not None:
            scope["headers"] = self._with_credential(scope.get("headers", []), by_cookie)
        await self.app(scope, receive, send)

    def _with_credential(self, headers, by_cookie: bool) -> list[tuple[bytes, bytes]]:
        """The request's headers, its own credentials removed and the app's trainer secret added."""
        kept = [(n, v) for n, v in headers if n.lower() not in (b"authorization", b"cookie")]
        cookies = [part.strip() for n, v in headers if n.lower() == b"cookie" for part in v.split(b";") if part.strip()]
        if by_cookie and self.credential_cookie:
            name = self.credential_cookie.encode()
            cookies = [c for c in cookies if not c.startswith(name + b"=")]
            cookies.append(name + b"=" + self.secret.encode())
        else:
            kept.append((b"authorization", self.credential))
        return kept + ([(b"cookie", b"; ".join(cookies))] if cookies else [])

    # ---- who is it, and may they pass -----------------------------------------------------------
    def allows(self, user: dict) -> bool:
        """Whether the hub's user model ``user`` may use the protected paths."""
        if not self.auth.access_scopes or not self.auth.check_scopes(self.auth.access_scopes, user):
            return False
        return self.group in (user.get("groups") or [])

    def _is_protected(self, route: str) -> bool:
        return any(route == p or route.startswith(p + "/") for p in self.protected)

    async def _identify(self, connection) -> tuple[dict | None, bool]:
        """The hub's model of the caller and whether it came from the cookie; (None, ...) if unknown."""
        header = connection.headers.get("authorization", "")
        match = self.auth.auth_header_pat.match(header) if header else None
        if match:
            return await self.auth.user_for_token(match.group(1), sync=False), False
        token = connection.cookies.get(self.auth.cookie_name)
        if token:
            return await self.auth.user_for_token(token, sync=False), True
        return None, False

    # ---- OAuth with the hub ---------------------------------------------------------------------
    async def _start_login(self, connection, receive, send) -> None:
        from starlette.responses import RedirectResponse

        verifier, challenge, method = self.auth.generate_pkce_code_challenge()
        next_url = connection.url.path + (f"?{connection.url.query}" if connection.url.query else "")
        state = self.auth.generate_state(next_url, code_verifier=verifier)
        query = urlencode({"state": state, "code_challenge": challenge, "code_challenge_method": method})
        response = RedirectResponse(f"{self.auth.login_url}&{query}", status_code=302)
        response.set_cookie(
            self.auth.state_cookie_name,
            state,
            max_age=STATE_COOKIE_AGE,
            path=self._cookie_path(),
            httponly=True,
            samesite="lax",
            secure=_is_https(connection),
        )
        await response(connection.scope, receive, send)

    async def _oauth_callback(self, scope, receive, send) -> None:
        from starlette.requests import Request
        from starlette.responses import RedirectResponse

        request = Request(scope, receive)
        state = request.query_params.get("state", "")
        code = request.query_params.get("code", "")
        if request.query_params.get("error"):
            await self._refuse(
                scope,
                receive,
                send,
                400,
                "The hub refused the login: "
                + request.query_params.get("error_description", request.query_params["error"]),
            )
            return
        if not code or not state or request.cookies.get(self.auth.state_cookie_name) != state:
            await self._refuse(
                scope,
                receive,
                send,
                403,
                "The login did not match (state missing or stale): open the trainer's page again.",
            )
            return
        next_url = self.auth.get_next_url(state)
        verifier = self.auth.get_code_verifier(state)
        self.auth.clear_oauth_state(state)
        token = await self.auth.token_for_code(code, code_verifier=verifier, sync=False)
        if not next_url.startswith("/") or next_url.startswith("//"):  # never leave the hub's origin
            next_url = self.prefix + "/"
        response = RedirectResponse(next_url, status_code=302)
        response.delete_cookie(self.auth.state_cookie_name, path=self._cookie_path())
        response.set_cookie(
            self.auth.cookie_name,
            token,
            path=self._cookie_path(),
            httponly=True,
            samesite="lax",
            secure=_is_https(request) or self.auth.cookie_name.startswith("__Host-"),
        )
        await response(scope, receive, send)

    def _cookie_path(self) -> str:
        return (self.prefix or "") + "/"

    @staticmethod
    async def _refuse(scope, receive, send, status: int, message: str) -> None:
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 4000 + status, "reason": message[:120]})
            return
        from starlette.responses import PlainTextResponse

        await PlainTextResponse(message + "\n", status_code=status)(scope, receive, send)


def _is_https(connection) -> bool:
    return connection.headers.get("x-forwarded-proto", connection.url.scheme) == "https"


def _same_origin(connection) -> bool:
    origin = connection.headers.get("origin") or connection.headers.get("referer")
    if not origin:
        return False
    host = connection.headers.get("x-forwarded-host") or connection.headers.get("host", "")
    return urlsplit(origin).netloc == host
