"""A whole class on a real JupyterHub: editions pulled with nbgitpuller, notebook 00 run, progress collected,
and the live poll's trainer view behind the hub's login.

The hub is the real ``jupyterhub`` (with ``configurable-http-proxy`` from npm, which ``make hub-deps``
installs into build/node) loading ``deploy/jupyterhub/jupyterhub_config.py`` itself; only what a test
machine must change is overridden: loopback ports, the dummy authenticator, and
SimpleLocalProcessSpawner with every home under a temporary folder (so nobody's system account is
needed, even when the test runs as root). The hub's ``poll`` service is the live poll itself
(``workbook hub poll 04``). Every process the hub starts carries a marker in its
environment; whatever is still running at the end is stopped by that marker.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

pytestmark = pytest.mark.hub

ROOT = Path(__file__).resolve().parents[1]
DEPLOY_CONFIG = ROOT / "deploy" / "jupyterhub" / "jupyterhub_config.py"
PASSWORD = "class-of-2026"
STUDENTS = ("student-a", "student-b")
TRAINER = "tina"
START_TIMEOUT = 90
REQUEST_TIMEOUT = 60

requests = pytest.importorskip("requests")


def _proxy_command() -> str:
    local = ROOT / "build" / "node" / "node_modules" / ".bin" / "configurable-http-proxy"
    found = str(local) if local.exists() else shutil.which("configurable-http-proxy")
    if not found:
        pytest.fail("configurable-http-proxy is not installed: run `make hub-deps` (npm install into build/node)")
    return found


def _free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def _marked_processes(marker: str) -> list[int]:
    """Processes (other than this one) whose environment carries ``marker``: the ones this test started."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if marker.encode() in (entry / "environ").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def _stop(process: subprocess.Popen, marker: str) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)  # the hub stops the users' servers, its services and the proxy
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
    deadline = time.monotonic() + 10
    while (left := _marked_processes(marker)) and time.monotonic() < deadline:
        for pid in left:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        time.sleep(0.2)


class Hub:
    def __init__(self, url: str, admin_token: str, homes: Path, repos: dict[str, Path], log: Path):
        self.url, self.admin_token, self.homes, self.repos, self.log = url, admin_token, homes, repos, log
        self.tokens: dict[str, str] = {}

    def api(self, method: str, path: str, token: str | None = None, **kwargs):
        headers = {"Authorization": f"token {token or self.admin_token}"}
        return requests.request(
            method, f"{self.url}/hub/api/{path}", headers=headers, timeout=REQUEST_TIMEOUT, **kwargs
        )

    def user_request(self, user: str, method: str, path: str, **kwargs):
        headers = {"Authorization": f"token {self.tokens[user]}", **kwargs.pop("headers", {})}
        return requests.request(
            method, f"{self.url}/user/{user}/{path}", headers=headers, timeout=REQUEST_TIMEOUT, **kwargs
        )


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    from helpers.cli import main as workbook

    base = tmp_path_factory.mktemp("hub")
    homes, repos = base / "homes", {"student": base / "student.git", "trainer": base / "trainer.git"}
    for edition, repo in repos.items():
        assert workbook(["hub", "publish", "--edition", edition, "--repo", str(repo), "--notebooks", "00"]) == 0
    public, proxy_api, hub_port, poll_port = _free_ports(4)
    admin_token, marker = uuid.uuid4().hex, f"WORKBOOK_HUB_TEST={uuid.uuid4().hex}"
    marker_name, marker_value = marker.split("=")
    as_root = ["--allow-root"] if os.geteuid() == 0 else []
    config = base / "jupyterhub_test_config.py"
    config.write_text(f"""
c = get_config()
load_subconfig({str(DEPLOY_CONFIG)!r})
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {public}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub_port}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{proxy_api}"
c.ConfigurableHTTPProxy.command = [{_proxy_command()!r}]
c.JupyterHub.db_url = "sqlite:///{base / "jupyterhub.sqlite"}"
c.JupyterHub.cookie_secret_file = {str(base / "cookie_secret")!r}
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = {PASSWORD!r}
c.Authenticator.allow_all = True
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = {str(homes / "{username}")!r}
c.Spawner.args = {as_root!r}
c.Spawner.environment = {{{marker_name!r}: {marker_value!r}}}
c.Spawner.start_timeout = {START_TIMEOUT}
c.Spawner.http_timeout = {START_TIMEOUT}
c.JupyterHub.services.append({{"name": "test-admin", "api_token": {admin_token!r}}})
c.JupyterHub.load_roles.append({{"name": "test-admin", "scopes": ["admin:users", "admin:servers", "tokens",
                                 "admin:groups", "access:servers", "list:services", "read:services"],
                                 "services": ["test-admin"]}})
for service in c.JupyterHub.services:
    if "command" in service:
        service.setdefault("environment", {{}})[{marker_name!r}] = {marker_value!r}
""")
    environment = {
        **os.environ,
        marker_name: marker_value,
        "HOME": str(base),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")])),
        "WORKBOOK_STUDENT_REPO": repos["student"].as_uri(),
        "WORKBOOK_TRAINER_REPO": repos["trainer"].as_uri(),
        "WORKBOOK_POLL_PORT": str(poll_port),
        "WORKBOOK_POLL_SOURCE": "04",
        "WORKBOOK_POLL_DIR": str(base / "poll-sessions"),
        "WORKBOOK_PUBLIC_URL": f"http://127.0.0.1:{public}",
        "WORKBOOK_USER_ENV": str(Path(sys.executable).parent.parent),
    }
    log = base / "jupyterhub.log"
    with log.open("w") as stream:
        process = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(config)],
            cwd=base,
            env=environment,
            stdout=stream,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        url = f"http://127.0.0.1:{public}"
        _wait(lambda: _responds(f"{url}/hub/api/"), START_TIMEOUT, "the hub to answer", log, process)
        _wait(lambda: _responds(f"{url}/services/poll/"), START_TIMEOUT, "the poll service", log, process)
        found = Hub(url, admin_token, homes, repos, log)
        found.poll_dir = base / "poll-sessions"
        yield found
    finally:
        _stop(process, marker)


def _responds(url: str) -> bool:
    try:
        return requests.get(url, timeout=5).status_code == 200
    except requests.RequestException:
        return False


def _wait(condition, timeout: float, what: str, log: Path, process=None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        if process is not None and process.poll() is not None:
            break
        time.sleep(0.3)
    pytest.fail(f"timed out waiting for {what}; hub log:\n{log.read_text()[-4000:]}")


@pytest.fixture(scope="module")
def classroom(hub):
    """Two students and a trainer, created and logged in through the hub's REST API, servers started."""
    assert hub.api("POST", "users", json={"usernames": [*STUDENTS, TRAINER]}).status_code == 201
    assert hub.api("POST", "groups/trainers/users", json={"users": [TRAINER]}).status_code == 200
    for user in (*STUDENTS, TRAINER):
        reply = hub.api("POST", f"users/{user}/tokens", json={"expires_in": 900, "note": "test"})
        assert reply.status_code == 201, reply.text
        hub.tokens[user] = reply.json()["token"]
        assert hub.api("POST", f"users/{user}/server").status_code in (201, 202)
    for user in (*STUDENTS, TRAINER):
        _wait(
            lambda u=user: (hub.api("GET", f"users/{u}").json().get("servers", {}).get("", {}) or {}).get("ready"),
            START_TIMEOUT,
            f"{user}'s server",
            hub.log,
        )
    return hub


def _pull(hub: Hub, user: str) -> dict:
    """Follow the user's default URL as a browser would, and run the pull nbgitpuller's page would start."""
    landing = hub.user_request(user, "GET", "", allow_redirects=False)
    assert landing.status_code == 302, landing.text
    location = urlsplit(landing.headers["Location"])
    assert location.path == f"/user/{user}/git-pull"
    query = {k: v[0] for k, v in parse_qs(location.query).items()}
    events = []
    pull = {"repo": query["repo"], "branch": query["branch"], "targetpath": query["targetPath"]}
    with hub.user_request(user, "GET", "git-pull/api", stream=True, params=pull) as reply:
        assert reply.status_code == 200
        for line in reply.iter_lines(decode_unicode=True):
            if line.startswith("data:"):
                events.append(json.loads(line[5:]))
                if events[-1].get("phase") in ("finished", "error"):
                    break
    assert events and events[-1]["phase"] == "finished", events[-3:]
    return query


class Kernel:
    """A kernel on a user's server, driven through the REST API and the websocket channels."""

    def __init__(self, hub: Hub, user: str, notebook: str):
        import websocket

        session = hub.user_request(
            user,
            "POST",
            "api/sessions",
            json={"path": notebook, "type": "notebook", "name": "", "kernel": {"name": "python3"}},
        )
        assert session.status_code == 201, session.text
        self.hub, self.user, self.kernel_id = hub, user, session.json()["kernel"]["id"]
        self.session_id = session.json()["id"]
        self.socket = websocket.create_connection(
            f"{hub.url.replace('http', 'ws')}/user/{user}/api/kernels/{self.kernel_id}/channels",
            header=[f"Authorization: token {hub.tokens[user]}"],
            timeout=REQUEST_TIMEOUT,
        )

    def run(self, code: str) -> dict:
        msg_id = uuid.uuid4().hex
        self.socket.send(
            json.dumps(
                {
                    "header": {
                        "msg_id": msg_id,
                        "msg_type": "execute_request",
                        "username": self.user,
                        "session": uuid.uuid4().hex,
                        "version": "5.3",
                    },
                    "parent_header": {},
                    "metadata": {},
                    "channel": "shell",
                    "buffers": [],
                    "content": {
                        "code": code,
                        "silent": False,
                        "store_history": True,
                        "user_expressions": {},
                        "allow_stdin": False,
                        "stop_on_error": True,
                    },
                }
            )
        )
        text, error, idle, reply = [], None, False, None
        deadline = time.monotonic() + REQUEST_TIMEOUT
        while not (idle and reply) and time.monotonic() < deadline:
            message = json.loads(self.socket.recv())
            if message.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, content = message["header"]["msg_type"], message["content"]
            if kind == "stream":
                text.append(content["text"])
            elif kind in ("execute_result", "display_data"):
                text.append(content["data"].get("text/plain", ""))
            elif kind == "error":
                error = f"{content['ename']}: {content['evalue']}"
            elif kind == "status" and content["execution_state"] == "idle":
                idle = True
            elif kind == "execute_reply":
                reply = content
        assert reply is not None and idle, f"no reply within {REQUEST_TIMEOUT} s to {code[:60]!r}"
        return {"text": "".join(text), "error": error, "status": reply["status"]}

    def close(self) -> None:
        self.socket.close()
        self.hub.user_request(self.user, "DELETE", f"api/sessions/{self.session_id}")


def test_class_on_the_hub_pulls_editions_runs_notebook_00_and_collects_progress(classroom, capsys):
    hub = classroom
    student = STUDENTS[0]
    # each account gets its own edition: the hub's config chooses by the trainers group
    student_query, trainer_query = _pull(hub, student), _pull(hub, TRAINER)
    assert student_query["repo"] == hub.repos["student"].as_uri() and student_query["targetPath"] == "workbook"
    assert trainer_query["repo"] == hub.repos["trainer"].as_uri() and trainer_query["targetPath"] == "workbook-trainer"
    student_home, trainer_home = hub.homes / student, hub.homes / TRAINER
    notebook = student_home / "workbook" / "notebooks" / "00_start_here.ipynb"
    assert json.loads(notebook.read_text())["metadata"]["workbook"]["edition"] == "student"
    assert not (student_home / "workbook" / "lessons").exists()
    assert not (student_home / "workbook-trainer").exists()
    trainer_notebook = trainer_home / "workbook-trainer" / "notebooks" / "00_start_here.ipynb"
    assert json.loads(trainer_notebook.read_text())["metadata"]["workbook"]["edition"] == "trainer"
    assert (trainer_home / "workbook-trainer" / "lessons").is_dir()

    # notebook 00, cell by cell, in a kernel on the student's server
    kernel = Kernel(hub, student, "workbook/notebooks/00_start_here.ipynb")
    try:
        assert kernel.run("import os; print(os.environ.get('WORKBOOK_EDITION'), os.getcwd())")["text"].split() == [
            "student",
            str(student_home / "workbook" / "notebooks"),
        ]
        cells = [c for c in json.loads(notebook.read_text())["cells"] if c["cell_type"] == "code"]
        results = [kernel.run("".join(cell["source"])) for cell in cells]
        assert [r["error"] for r in results] == [None] * len(cells)
        assert "42" in [r["text"].strip() for r in results]
        # answer the check-your-setup exercise through its widget, as a click would
        answered = kernel.run(
            "import gc, json\nfrom helpers.exercises.base import Exercise\n"
            "ex = next(o for o in gc.get_objects() if isinstance(o, Exercise) and o.id == '00-which-cell')\n"
            "ex.choice.value = 'The parameters cell (the second cell)'\nex.check_button.click()\n"
            "print(json.dumps({'completed': ex.completed, 'attempts': ex.attempts}))"
        )
        assert answered["error"] is None and json.loads(answered["text"]) == {"completed": True, "attempts": 1}
    finally:
        kernel.close()
    progress_file = student_home / "workbook" / "notebooks" / "workbook-progress.json"
    assert json.loads(progress_file.read_text())["exercises"]["00-which-cell"]["completed"] is True

    # the trainer's kernels run the trainer edition
    trainer_kernel = Kernel(hub, TRAINER, "workbook-trainer/notebooks/00_start_here.ipynb")
    try:
        assert trainer_kernel.run("import os; print(os.environ.get('WORKBOOK_EDITION'))")["text"].strip() == "trainer"
    finally:
        trainer_kernel.close()

    # a new publication reaches the student without overwriting their work
    mine = json.loads(notebook.read_text())
    mine["cells"].insert(0, {"cell_type": "markdown", "metadata": {}, "source": "My own notes", "id": "my-notes"})
    saved = hub.user_request(
        student,
        "PUT",
        "api/contents/workbook/notebooks/00_start_here.ipynb",
        json={"type": "notebook", "format": "json", "content": mine},
    )
    assert saved.status_code == 200, saved.text
    from helpers.cli import main as workbook

    assert (
        workbook(
            [
                "hub",
                "publish",
                "--edition",
                "student",
                "--repo",
                str(hub.repos["student"]),
                "--notebooks",
                "00",
                "01",
                "--message",
                "Add lesson 01",
            ]
        )
        == 0
    )
    _pull(hub, student)
    assert "".join(json.loads(notebook.read_text())["cells"][0]["source"]) == "My own notes"
    assert (student_home / "workbook" / "notebooks" / "01_landlord_and_utility.ipynb").is_file()
    assert json.loads(progress_file.read_text())["exercises"]["00-which-cell"]["completed"] is True

    # the class's results, from every home: anonymised, small groups suppressed
    pattern = str(hub.homes / "*" / "workbook" / "notebooks" / "workbook-progress.json")
    capsys.readouterr()
    assert workbook(["collect", "--homes", pattern, "--min-group-size", "1"]) == 0
    shown = capsys.readouterr().out
    assert shown.startswith("1 progress files read")
    assert re.search(r"00-which-cell\s+SingleChoice\s+1\s+1\s+1\.0\s+1\.0", shown), shown
    assert workbook(["collect", "--homes", pattern]) == 0
    shown = capsys.readouterr().out
    assert "suppressed (<5)" in shown
    for name in (*STUDENTS, TRAINER):
        assert name not in shown


def _browser_login(hub: Hub, user: str):
    browser = requests.Session()
    browser.get(f"{hub.url}/hub/login", timeout=REQUEST_TIMEOUT)
    reply = browser.post(
        f"{hub.url}/hub/login",
        timeout=REQUEST_TIMEOUT,
        data={"username": user, "password": PASSWORD, "_xsrf": browser.cookies.get("_xsrf", "")},
    )
    assert reply.status_code == 200 and "hub/login" not in reply.url, reply.url
    return browser


def test_hub_runs_the_idle_culler_and_the_poll_as_services(classroom):
    services = classroom.api("GET", "services").json()
    assert {"idle-culler", "poll"} <= services.keys(), services
    for name in ("idle-culler", "poll"):
        assert services[name]["pid"] > 0 and services[name]["command"], services[name]
    assert services["poll"]["prefix"] == "/services/poll/"
    assert services["poll"]["command"][1:3] == ["hub", "poll"]
    # credentials the hub does not know: a browser is sent to log in again, a script is refused
    trainer_view = f"{classroom.url}/services/poll/trainer"
    stale = requests.get(
        trainer_view, cookies={"service-poll": "stale"}, allow_redirects=False, timeout=REQUEST_TIMEOUT
    )
    assert stale.status_code == 302 and "/hub/api/oauth2/authorize" in stale.headers["Location"]
    assert (
        requests.get(
            trainer_view, headers={"Authorization": "token stale"}, timeout=REQUEST_TIMEOUT, allow_redirects=False
        ).status_code
        == 401
    )
    assert (
        requests.get(
            f"{classroom.url}/services/poll/trainerX", allow_redirects=False, timeout=REQUEST_TIMEOUT
        ).status_code
        == 404
    )


def test_live_poll_as_hub_service_trainers_through_the_hub_participants_by_join_code(classroom, capsys):
    hub = classroom
    poll = f"{hub.url}/services/poll"
    # a participant, no hub account: the join page's addresses all live under the service's prefix
    participant = requests.Session()
    home = participant.get(f"{poll}/", timeout=REQUEST_TIMEOUT)
    assert home.status_code == 200
    assert 'action="/services/poll/join"' in home.text and 'href="/services/poll/static/style.css"' in home.text
    assert participant.get(f"{poll}/static/style.css", timeout=REQUEST_TIMEOUT).status_code == 200
    wrong = participant.post(
        f"{poll}/join",
        data={"code": "NOPE", "csrf": participant.cookies["wb_csrf"]},
        headers={"Origin": hub.url},
        timeout=REQUEST_TIMEOUT,
        allow_redirects=False,
    )
    assert wrong.status_code == 403
    # nobody and a student: the trainer's view and the admin status are refused
    assert requests.get(f"{poll}/trainer", timeout=REQUEST_TIMEOUT, allow_redirects=False).status_code == 302
    for path in ("trainer", "admin/status", "trainer/tally"):
        refused = requests.get(
            f"{poll}/{path}", headers={"Authorization": f"token {hub.tokens[STUDENTS[0]]}"}, timeout=REQUEST_TIMEOUT
        )
        assert refused.status_code == 403 and "trainers" in refused.text, (path, refused.text)
    student = _browser_login(hub, STUDENTS[1])
    assert student.get(f"{poll}/trainer", timeout=REQUEST_TIMEOUT).status_code == 403
    # the trainer, with a hub token: the admin status (JSON) gives the join code
    status = requests.get(
        f"{poll}/admin/status",
        timeout=REQUEST_TIMEOUT,
        headers={"Authorization": f"token {hub.tokens[TRAINER]}", "Accept": "application/json"},
    )
    assert status.status_code == 200, status.text
    # the trainer in a browser, through the hub's OAuth: the projector page, and opening the poll by its form
    trainer = _browser_login(hub, TRAINER)
    view = trainer.get(f"{poll}/trainer", timeout=REQUEST_TIMEOUT)
    assert view.status_code == 200 and view.url == f"{poll}/trainer", view.url
    assert 'src="/services/poll/trainer/qr.png"' in view.text and 'action="/services/poll/admin/poll"' in view.text
    code = re.search(r'<strong class="code">([^<]+)</strong>', view.text)
    opened = trainer.post(
        f"{poll}/admin/poll",
        data={"to": "open", "csrf": trainer.cookies["wb_csrf"]},
        headers={"Origin": hub.url},
        timeout=REQUEST_TIMEOUT,
        allow_redirects=False,
    )
    assert opened.status_code == 303 and opened.headers["Location"] == "/services/poll/trainer"
    forged = trainer.post(
        f"{poll}/admin/poll",
        data={"to": "closed"},
        headers={"Origin": hub.url},
        timeout=REQUEST_TIMEOUT,
        allow_redirects=False,
    )
    assert forged.status_code == 403  # the poll's own CSRF check still applies behind the gate
    cross_site = trainer.post(
        f"{poll}/admin/poll",
        data={"to": "closed", "csrf": trainer.cookies["wb_csrf"]},
        headers={"Origin": "https://elsewhere.example"},
        timeout=REQUEST_TIMEOUT,
    )
    assert cross_site.status_code == 403 and "cross-site" in cross_site.text  # refused by the gate itself
    assert trainer.get(f"{poll}/trainer/qr.png", timeout=REQUEST_TIMEOUT).headers["content-type"] == "image/png"
    # and the participant joins with the code on the projector page
    assert code, view.text
    joined = participant.post(
        f"{poll}/join",
        data={"code": code.group(1), "csrf": participant.cookies["wb_csrf"]},
        headers={"Origin": hub.url},
        timeout=REQUEST_TIMEOUT,
        allow_redirects=False,
    )
    assert joined.status_code == 303 and joined.headers["Location"] == "/services/poll/poll"
    page = participant.get(f"{poll}/poll", timeout=REQUEST_TIMEOUT)
    assert page.status_code == 200 and 'src="/services/poll/static/poll.js"' in page.text
    # on the hub's machine, `workbook poll status` reaches the service with the session's own token
    from helpers.cli import main as workbook

    capsys.readouterr()
    assert workbook(["poll", "status", "--dir", str(hub.poll_dir)]) == 0
    assert "poll open" in capsys.readouterr().out
