# JupyterHub configuration for running the Collaborative Working Workbook for a class on one server.
#
# Use it as it is (`jupyterhub -f jupyterhub_config.py`), or drop it into The Littlest JupyterHub's
# /opt/tljh/config/jupyterhub_config.d/ (TLJH keeps its own authenticator and spawner; this file adds
# the course). README's "Binder, JupyterHub and conda" section is the administrator's guide.
#
# What it sets up:
# * every user's server runs in the pinned environment (requirements.lock / environment.yml) with
#   its kernel; the hub itself needs only jupyterhub, jupyterhub-idle-culler and the proxy;
# * on every login the user's server opens an nbgitpuller link: students get the student edition
#   in ~/workbook, members of the trainers group the trainer edition in ~/workbook-trainer, and
#   their kernels run with WORKBOOK_EDITION set accordingly (reveal buttons for trainers only).
#   nbgitpuller merges each new publication without overwriting what the student changed;
# * idle servers are stopped by jupyterhub-idle-culler, run by the hub as a service;
# * the live poll (`workbook poll`) runs as a hub service at /services/poll/: participants join
#   with the join code and need no hub account; its trainer's view and admin actions are for
#   members of the trainers group only (the role below grants the service's access scope to them).
#
# Everything site-specific comes from environment variables (set them in the hub's systemd unit,
# or edit the defaults here):
#   WORKBOOK_STUDENT_REPO   git repository of the student edition   (file:///srv/workbook/student.git)
#   WORKBOOK_TRAINER_REPO   git repository of the trainer edition   (file:///srv/workbook/trainer.git)
#   WORKBOOK_BRANCH         branch both are published on            (main)
#   WORKBOOK_TRAINERS_GROUP the hub group of the trainers           (trainers)
#   WORKBOOK_TRAINERS       comma-separated hub user names put in that group at start-up (optional)
#   WORKBOOK_IDLE_TIMEOUT   seconds of inactivity before a server is stopped (3600)
#   WORKBOOK_POLL_PORT      loopback port of the live-poll service  (10120)
#   WORKBOOK_POLL_SOURCE    what the poll asks: a lesson (01, 04, 05) or a codebook CSV (04)
#   WORKBOOK_POLL_DIR       where its sessions are kept             (/srv/workbook/poll-sessions)
#   WORKBOOK_POLL_COMMAND   the command that starts the live poll   (see POLL_COMMAND below)
#   WORKBOOK_PUBLIC_URL     the hub's public address, for the poll's join link and QR code
#                           (https://hub.example.org; default: c.JupyterHub.public_url, if set)
#   WORKBOOK_MEM_LIMIT      memory limit of each user's server, e.g. 2G (unset: the spawner's own)
#   WORKBOOK_USER_ENV       the users' environment (its bin/ has jupyterhub-singleuser, workbook)
#                           (/opt/workbook in README's guide; default: the environment running the hub)
import os
import shlex
import sys
from pathlib import Path
from urllib.parse import urlencode

c = get_config()  # noqa: F821 -- provided by JupyterHub when it loads this file

STUDENT_REPO = os.environ.get("WORKBOOK_STUDENT_REPO", "file:///srv/workbook/student.git")
TRAINER_REPO = os.environ.get("WORKBOOK_TRAINER_REPO", "file:///srv/workbook/trainer.git")
BRANCH = os.environ.get("WORKBOOK_BRANCH", "main")
TRAINERS_GROUP = os.environ.get("WORKBOOK_TRAINERS_GROUP", "trainers")
TRAINERS = [name.strip() for name in os.environ.get("WORKBOOK_TRAINERS", "").split(",") if name.strip()]
IDLE_TIMEOUT = int(os.environ.get("WORKBOOK_IDLE_TIMEOUT", "3600"))
POLL_PORT = int(os.environ.get("WORKBOOK_POLL_PORT", "10120"))
USER_ENV = Path(os.environ.get("WORKBOOK_USER_ENV", sys.prefix))
POLL_SOURCE = os.environ.get("WORKBOOK_POLL_SOURCE", "04")
POLL_DIR = os.environ.get("WORKBOOK_POLL_DIR", "/srv/workbook/poll-sessions")
POLL_COMMAND = shlex.split(os.environ.get(
    "WORKBOOK_POLL_COMMAND",
    shlex.join([str(USER_ENV / "bin" / "workbook"), "hub", "poll", POLL_SOURCE, "--dir", POLL_DIR]),
))

# Where each edition lands in a home, and the notebook it opens first (nbgitpuller's parameters).
EDITIONS = {
    "student": {"repo": STUDENT_REPO, "target": "workbook", "environment": "student"},
    "trainer": {"repo": TRAINER_REPO, "target": "workbook-trainer", "environment": "trainer"},
}
FIRST_NOTEBOOK = "notebooks/00_start_here.ipynb"


def pull_path(edition: str) -> str:
    """The server-relative nbgitpuller link of an edition (as helpers.hub.publish.pull_path makes it)."""
    spec = EDITIONS[edition]
    query = urlencode({"repo": spec["repo"], "branch": BRANCH, "targetPath": spec["target"],
                       "urlpath": f"lab/tree/{spec['target']}/{FIRST_NOTEBOOK}"})
    return f"/git-pull?{query}"


def _earlier(name: str, kind: type):
    """What a configuration file loaded before this one set for ``JupyterHub.<name>``, if anything."""
    value = c.JupyterHub[name] if name in c.JupyterHub else None
    return value if isinstance(value, kind) else kind()


def edition_for(spawner) -> str:
    """The trainer edition for members of the trainers group, the student edition for everyone else."""
    return "trainer" if TRAINERS_GROUP in {group.name for group in spawner.user.groups} else "student"


def choose_edition(spawner) -> None:
    """Pre-spawn hook: pick the user's edition, its nbgitpuller link and the kernel's WORKBOOK_EDITION."""
    edition = edition_for(spawner)
    spawner.default_url = pull_path(edition)
    # a new dict: Spawner.environment from the config is shared by every spawner
    spawner.environment = {**spawner.environment, "WORKBOOK_EDITION": EDITIONS[edition]["environment"]}
    spawner.log.info("workbook: %s gets the %s edition", spawner.user.name, edition)


# ---- users' servers ------------------------------------------------------------------------------
c.Spawner.pre_spawn_hook = choose_edition
c.Spawner.cmd = [str(USER_ENV / "bin" / "jupyterhub-singleuser")]
c.Spawner.default_url = pull_path("student")
if os.environ.get("WORKBOOK_MEM_LIMIT"):  # e.g. 2G; enforced by TLJH's SystemdSpawner (tljh-config limits.memory)
    c.Spawner.mem_limit = os.environ["WORKBOOK_MEM_LIMIT"]
c.JupyterHub.cleanup_servers = True

# ---- groups and roles ----------------------------------------------------------------------------
# Lists and dicts are extended, not replaced, so what TLJH's own configuration set (loaded before this
# file from jupyterhub_config.d/) stays.
EARLIER_SERVICES = [s for s in _earlier("services", list) if s.get("name") not in ("idle-culler", "poll")]
# TLJH runs its own culler (tljh-config set services.cull.timeout ...): then ours is not added
OTHER_CULLER = any("jupyterhub_idle_culler" in " ".join(map(str, s.get("command", []))) for s in EARLIER_SERVICES)
c.JupyterHub.load_groups = {**_earlier("load_groups", dict),
                            TRAINERS_GROUP: {"users": TRAINERS} if TRAINERS else {}}
OUR_ROLES = [
    {
        "name": "workbook-trainers",
        "description": "Trainers may open the live poll's trainer view and run its admin actions",
        "scopes": ["access:services!service=poll"],
        "groups": [TRAINERS_GROUP],
    },
    *([] if OTHER_CULLER else [{
        "name": "idle-culler",
        "description": "Stop servers nobody has used for a while",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["idle-culler"],
    }]),
]
OUR_ROLE_NAMES = {role["name"] for role in OUR_ROLES}
c.JupyterHub.load_roles = [r for r in _earlier("load_roles", list) if r.get("name") not in OUR_ROLE_NAMES] + OUR_ROLES

# ---- services ------------------------------------------------------------------------------------
c.JupyterHub.services = EARLIER_SERVICES + [
    *([] if OTHER_CULLER else [{
        "name": "idle-culler",
        "command": [sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={IDLE_TIMEOUT}"],
    }]),
    {
        "name": "poll",
        "url": f"http://127.0.0.1:{POLL_PORT}",
        "command": POLL_COMMAND,
        # trainers are sent through the hub's login without a "grant access?" page
        "oauth_no_confirm": True,
        # the poll learns the caller's groups, to check the trainers group itself
        "oauth_client_allowed_scopes": ["read:users:groups!user"],
        # the poll's participants have no hub account: they reach it by its join code alone
        "display": True,
        "environment": {"WORKBOOK_PUBLIC_URL": os.environ.get("WORKBOOK_PUBLIC_URL", "")},
    },
]
