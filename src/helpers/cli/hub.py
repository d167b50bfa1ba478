"""``workbook hub publish | link``: the course on a JupyterHub.

* ``workbook hub publish --edition student --repo /srv/workbook/student.git`` — write the edition
  (or the folder given with ``--from``, e.g. what ``workbook build --edition student`` wrote) into
  a git repository the hub's users pull from, and print the nbgitpuller link;
* ``workbook hub link --hub https://hub.example.org --repo ...`` — print the link only;
* ``workbook hub poll 04`` — the live poll as the hub's ``poll`` service (JupyterHub starts it; see
  :mod:`helpers.hub.service`): participants join by code, the trainer's view is for the hub's trainers.

Publishing again commits the new version; nbgitpuller merges it into each home on the next visit of
the link without overwriting what a student changed.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..errors import WorkbookError


def register(commands) -> None:
    hub = commands.add_parser(
        "hub",
        help="publish the course for a JupyterHub (nbgitpuller) and print its link",
        description="Put an edition of the course where a JupyterHub's users pull it from.",
    )
    actions = hub.add_subparsers(dest="hub_command", metavar="ACTION", required=True)

    publish = actions.add_parser(
        "publish",
        help="commit an edition into the git repository the hub pulls from",
        description="Write the student or trainer edition into a bare git repository "
        "(created if missing) and print the nbgitpuller link.",
    )
    publish.add_argument(
        "--edition",
        choices=("student", "trainer"),
        default="student",
        help="which edition (default student; the trainer edition's repository is made private)",
    )
    publish.add_argument("--repo", required=True, help="the bare git repository to publish into (a folder)")
    publish.add_argument(
        "--from",
        dest="source",
        metavar="FOLDER",
        help="publish this already built edition folder instead of making one",
    )
    publish.add_argument("--notebooks", nargs="+", metavar="NB", help="only these notebooks (default: all)")
    publish.add_argument("--branch", default="main", help="branch to publish on (default main)")
    publish.add_argument("--message", default=None, help="commit message")
    publish.add_argument("--hub", default=None, metavar="URL", help="the hub's address, to print the full link")
    publish.set_defaults(func=publish_edition)

    link = actions.add_parser("link", help="print the nbgitpuller link of a published edition")
    link.add_argument("--hub", required=True, metavar="URL", help="the hub's address, e.g. https://hub.example.org")
    link.add_argument("--repo", required=True, help="the repository (a folder on the hub's disk, or a git URL)")
    link.add_argument("--edition", choices=("student", "trainer"), default="student")
    link.add_argument("--branch", default="main")
    link.set_defaults(func=print_link)

    poll = actions.add_parser(
        "poll",
        help="serve the live poll as this hub's service (JupyterHub starts it)",
        description="Run by JupyterHub as its managed service 'poll' (see "
        "deploy/jupyterhub/jupyterhub_config.py); to run a poll on your own "
        "computer use `workbook poll start`.",
    )
    poll.add_argument("source", help="lesson number (01, 04, 05), codebook CSV, or an earlier session folder")
    poll.add_argument(
        "--dir",
        default=os.environ.get("WORKBOOK_POLL_DIR", "poll-sessions"),
        help="folder for new sessions (default $WORKBOOK_POLL_DIR or poll-sessions)",
    )
    poll.add_argument("--min-group-size", type=int, default=5, help="smaller groups are held back (default 5)")
    poll.set_defaults(func=serve_poll_service)


def publish_edition(arguments) -> int:
    from ..hub.publish import edition_folder, publish, pull_link, pull_path, repo_url

    message = arguments.message or f"Publish the {arguments.edition} edition"
    private = arguments.edition == "trainer"
    if arguments.source:
        commit = publish(arguments.source, arguments.repo, branch=arguments.branch, message=message, private=private)
    else:
        with tempfile.TemporaryDirectory(prefix="workbook-edition-") as scratch:
            folder = edition_folder(arguments.edition, Path(scratch) / "edition", arguments.notebooks)
            commit = publish(folder, arguments.repo, branch=arguments.branch, message=message, private=private)
    url = repo_url(arguments.repo)
    print(
        f"published the {arguments.edition} edition: commit {commit[:12]}"
        if commit
        else f"the {arguments.edition} edition is unchanged since the last publication (nothing committed)"
    )
    if private:
        print(
            f"the repository is closed to other users: give it to the trainers' group (chgrp -R GROUP {arguments.repo})"
        )
    if arguments.hub:
        print(f"link: {pull_link(arguments.hub, url, edition=arguments.edition, branch=arguments.branch)}")
    else:
        path = pull_path(url, edition=arguments.edition, branch=arguments.branch)
        print(f"link (after your hub's address): /hub/user-redirect{path}")
    return 0


def print_link(arguments) -> int:
    from ..hub.publish import pull_link, repo_url

    print(pull_link(arguments.hub, repo_url(arguments.repo), edition=arguments.edition, branch=arguments.branch))
    return 0


def serve_poll_service(arguments) -> int:
    from ..hub.service import serve_poll

    if arguments.min_group_size < 1:
        raise WorkbookError("--min-group-size must be at least 1")
    return serve_poll(arguments.source, sessions_dir=arguments.dir, min_group_size=arguments.min_group_size)
