"""The hub's pieces on their own, without starting a hub: publishing an edition for nbgitpuller, the
nbgitpuller link, ``workbook collect --homes``, the Helm values and image recipe, the prefix adapter of
the poll service, and what the published student edition holds."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 60


def test_publish_commits_only_changes_and_refuses_a_folder_that_is_not_a_repository(tmp_path, capsys):
    from helpers.cli import main as workbook
    from helpers.hub.publish import publish

    folder = tmp_path / "edition"
    folder.mkdir()
    (folder / "README.md").write_text("first\n")
    first = publish(folder, tmp_path / "repo.git")
    assert first and publish(folder, tmp_path / "repo.git") is None
    (folder / "README.md").write_text("second\n")
    second = publish(folder, tmp_path / "repo.git", message="again")
    log = subprocess.run(
        ["git", "--git-dir", str(tmp_path / "repo.git"), "log", "--format=%H %s"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\n")
    assert log[:2] == [f"{second} again", f"{first} Publish the course"]
    not_a_repo = tmp_path / "other"
    not_a_repo.mkdir()
    (not_a_repo / "x.txt").write_text("x")
    capsys.readouterr()
    assert workbook(["hub", "publish", "--repo", str(not_a_repo), "--from", str(folder)]) == 1
    assert "is not a bare git repository" in capsys.readouterr().err
    assert workbook(["hub", "link", "--hub", "https://hub.example.org/", "--repo", str(tmp_path / "repo.git")]) == 0
    link = urlsplit(capsys.readouterr().out.strip())
    assert (link.netloc, link.path) == ("hub.example.org", "/hub/user-redirect/git-pull")
    query = parse_qs(link.query)
    assert query["repo"] == [(tmp_path / "repo.git").as_uri()] and query["targetPath"] == ["workbook"]
    assert query["urlpath"] == ["lab/tree/workbook/notebooks/00_start_here.ipynb"]


def test_collect_needs_a_folder_or_a_pattern_and_says_when_nothing_matches(tmp_path, capsys):
    from helpers.cli import main as workbook

    assert workbook(["collect"]) == 1
    assert "Give either a folder" in capsys.readouterr().err
    assert workbook(["collect", str(tmp_path), "--homes", str(tmp_path / "*.json")]) == 1
    assert "Give either a folder" in capsys.readouterr().err
    assert workbook(["collect", "--homes", str(tmp_path / "*" / "workbook-progress.json")]) == 1
    assert "No workbook progress files found" in capsys.readouterr().err


def test_helm_values_parse_and_give_students_the_link_workbook_hub_makes():
    import yaml

    from helpers.hub.publish import pull_path

    values = yaml.safe_load((ROOT / "deploy" / "jupyterhub" / "values.yaml").read_text())
    default_url = values["singleuser"]["defaultUrl"]
    repo = parse_qs(urlsplit(default_url).query)["repo"][0]
    assert default_url == pull_path(repo, edition="student")
    assert values["singleuser"]["extraEnv"]["WORKBOOK_EDITION"] == "student"
    assert values["cull"]["enabled"] is True
    assert values["hub"]["loadRoles"]["workbook-trainers"]["groups"] == ["trainers"]
    for name, snippet in values["hub"]["extraConfig"].items():
        compile(snippet, f"values.yaml:hub.extraConfig.{name}", "exec")
    dockerfile = (ROOT / "deploy" / "jupyterhub" / "Dockerfile").read_text()
    assert "-r /srv/workbook/requirements.lock" in dockerfile
    assert not re.search(r"^COPY (notebooks|lessons)", dockerfile, re.M), "the users' image must not hold answers"


def test_service_prefix_puts_the_apps_root_relative_addresses_under_the_prefix():
    from starlette.applications import Starlette
    from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse
    from starlette.routing import Route

    from helpers.hub.service import ServicePrefix

    async def page(request):
        response = HTMLResponse(
            '<link href="/static/s.css"><form action="/join"></form><a href="//cdn.example/x">'
            '<script src="/services/poll/static/p.js"></script><a href="https://a.example/b">'
        )
        response.set_cookie("wb_csrf", "t", path="/", httponly=True)
        return response

    async def script(request):
        return PlainTextResponse('fetch("/state"); fetch("https://a.example/")', media_type="text/javascript")

    async def go(request):
        return RedirectResponse("/poll", status_code=303)

    async def data(request):
        return PlainTextResponse('href="/not-html"')

    app = Starlette(routes=[Route("/", page), Route("/app.js", script), Route("/go", go), Route("/data", data)])

    async def requests_through_the_prefix():
        import httpx

        transport = httpx.ASGITransport(app=ServicePrefix(app, "/services/poll/"))
        async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as client:
            return [await client.get(f"/services/poll/{path}") for path in ("", "app.js", "go", "data")]

    import asyncio

    shown, script_reply, moved, other = asyncio.run(requests_through_the_prefix())
    assert shown.text == (
        '<link href="/services/poll/static/s.css"><form action="/services/poll/join"></form>'
        '<a href="//cdn.example/x"><script src="/services/poll/static/p.js"></script>'
        '<a href="https://a.example/b">'
    )
    assert int(shown.headers["content-length"]) == len(shown.content)
    assert "Path=/services/poll/" in shown.headers["set-cookie"]
    assert script_reply.text == 'fetch("/services/poll/state"); fetch("https://a.example/")'
    assert moved.status_code == 303 and moved.headers["location"] == "/services/poll/poll"
    assert other.text == 'href="/not-html"'  # only HTML and scripts are rewritten


def test_published_student_edition_holds_no_answer_in_readable_form(tmp_path):
    student_pack = pytest.importorskip("test_student_pack", reason="needs the exercises' secret list (lesson files)")
    from helpers.hub.publish import edition_folder, publish

    publish(edition_folder("student", tmp_path / "edition"), tmp_path / "student.git")
    subprocess.run(
        ["git", "clone", "--quiet", (tmp_path / "student.git").as_uri(), str(tmp_path / "pulled")],
        check=True,
        timeout=TIMEOUT,
    )
    files = [p for p in (tmp_path / "pulled").rglob("*") if p.is_file() and ".git" not in p.parts]
    assert any(p.parent.name == "exercises" and p.suffix == ".json" for p in files)
    assert not any("lessons" in p.relative_to(tmp_path / "pulled").parts for p in files)
    texts = {p: p.read_text(encoding="utf-8", errors="replace") for p in files if p.suffix in (".ipynb", ".json")}
    # explanations, feedback, trainer notes; a numeric answer may be a figure the notebook itself computes
    # and shows (the exercise asks the student to read it), so numbers are left to the exercises' own test
    secrets = {text: where for text, where in student_pack.secret_strings().items() if not where.endswith(" answer")}
    assert len(secrets) > 50
    leaks = [
        (where, p.name)
        for secret, where in secrets.items()
        for p, text in texts.items()
        if any(form in text for form in student_pack.readable_forms(secret))
    ]
    assert not leaks, leaks[:5]


def _load_hub_config(monkeypatch, earlier: dict | None = None, **environment) -> dict:
    """Run deploy/jupyterhub/jupyterhub_config.py as JupyterHub would, after an ``earlier`` configuration."""
    import runpy

    from traitlets.config import Config

    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    config = Config()
    for name, value in (earlier or {}).items():
        config.JupyterHub[name] = value
    namespace = runpy.run_path(
        str(ROOT / "deploy" / "jupyterhub" / "jupyterhub_config.py"), init_globals={"get_config": lambda: config}
    )
    return {"c": config, **namespace}


def test_hub_config_chooses_the_edition_by_group_with_the_link_workbook_hub_makes(monkeypatch):
    from types import SimpleNamespace

    from helpers.hub.publish import pull_path

    loaded = _load_hub_config(
        monkeypatch,
        WORKBOOK_STUDENT_REPO="file:///srv/s.git",
        WORKBOOK_TRAINER_REPO="file:///srv/t.git",
        WORKBOOK_TRAINERS="tina, tom",
    )
    c = loaded["c"]
    assert c.Spawner.default_url == pull_path("file:///srv/s.git", edition="student")
    assert c.JupyterHub.load_groups == {"trainers": {"users": ["tina", "tom"]}}
    shared = {"SHARED": "1"}

    def spawner(*groups):
        user = SimpleNamespace(name="someone", groups=[SimpleNamespace(name=g) for g in groups])
        return SimpleNamespace(
            user=user, environment=shared, default_url=c.Spawner.default_url, log=SimpleNamespace(info=lambda *a: None)
        )

    trainer, student = spawner("trainers", "other"), spawner("other")
    c.Spawner.pre_spawn_hook(trainer)
    c.Spawner.pre_spawn_hook(student)
    assert trainer.default_url == pull_path("file:///srv/t.git", edition="trainer")
    assert trainer.environment == {"SHARED": "1", "WORKBOOK_EDITION": "trainer"}
    assert student.default_url == pull_path("file:///srv/s.git", edition="student")
    assert student.environment == {"SHARED": "1", "WORKBOOK_EDITION": "student"}
    assert shared == {"SHARED": "1"}  # the configuration's own dict is never changed
    roles = {role["name"]: role for role in c.JupyterHub.load_roles}
    assert roles["workbook-trainers"] == {
        **roles["workbook-trainers"],
        "scopes": ["access:services!service=poll"],
        "groups": ["trainers"],
    }


def test_hub_config_keeps_what_tljh_configured_and_its_culler(monkeypatch):
    tljh_culler = {"name": "cull-idle", "command": ["python3", "-m", "jupyterhub_idle_culler", "--timeout=600"]}
    loaded = _load_hub_config(
        monkeypatch,
        earlier={
            "services": [tljh_culler, {"name": "configurator", "url": "http://127.0.0.1:10101"}],
            "load_roles": [{"name": "tljh-role", "scopes": ["read:users"], "services": ["cull-idle"]}],
            "load_groups": {"students": {}},
        },
    )
    c = loaded["c"]
    assert [s["name"] for s in c.JupyterHub.services] == ["cull-idle", "configurator", "poll"]
    assert [r["name"] for r in c.JupyterHub.load_roles] == ["tljh-role", "workbook-trainers"]
    assert c.JupyterHub.load_groups == {"students": {}, "trainers": {}}
    alone = _load_hub_config(monkeypatch)["c"]
    assert [s["name"] for s in alone.JupyterHub.services] == ["idle-culler", "poll"]
    assert "idle-culler" in [r["name"] for r in alone.JupyterHub.load_roles]
