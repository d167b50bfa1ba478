"""A minimal Starlette app that the test hub runs as its ``poll`` service, behind HubTrainerGate.

It has the live poll's shape: an open page for participants (join code only), a trainer's view and an
admin action for trainers only. The hub starts it with ``JUPYTERHUB_SERVICE_URL`` naming its port.
"""

import os
from urllib.parse import urlsplit

import uvicorn
from starlette.applications import Starlette
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.routing import Route

from helpers.hub.auth import HubTrainerGate

CLOSED = []


async def join(request):
    return PlainTextResponse(f"joined poll {request.path_params['code']}: choose your answer\n")


async def trainer(request):
    return JSONResponse({"view": "trainer", "user": request.state.hub_user["name"], "closed": len(CLOSED)})


async def close(request):
    CLOSED.append(request.state.hub_user["name"])
    return JSONResponse({"closed": True})


def make_app() -> HubTrainerGate:
    """The app behind the gate (made only when the hub starts it: the gate reads the hub's variables)."""
    return HubTrainerGate(Starlette(routes=[
        Route("/join/{code}", join),
        Route("/trainer", trainer),
        Route("/admin/close", close, methods=["POST"]),
    ]))


if __name__ == "__main__":
    port = urlsplit(os.environ["JUPYTERHUB_SERVICE_URL"]).port
    uvicorn.run(make_app(), host="127.0.0.1", port=port, log_level="warning")
