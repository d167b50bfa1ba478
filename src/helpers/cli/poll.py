"""``workbook poll start | close | status | export``: a live poll in the room.

``start SOURCE`` (a lesson such as ``04``, a codebook CSV, or an earlier session folder to resume)
creates a session under ``poll-sessions/``, prints the join address, the join code, the projector
address with the trainer token and a QR code, and serves until Ctrl-C or ``workbook poll close``.
``export SESSION --out DIR`` writes the tidy responses (pseudonymised, free text masked, safe for
spreadsheets), the codebook and the import report; ``helpers.polls.load(SESSION)`` reads a session
directly, so ``workbook run 04 -p data_path SESSION`` needs no export.
"""

from __future__ import annotations

from pathlib import Path


def register(commands) -> None:
    poll = commands.add_parser("poll", help="run a live poll in the room (participants answer on their phones)")
    actions = poll.add_subparsers(dest="poll_command", metavar="ACTION", required=True)

    start = actions.add_parser(
        "start", help="start a poll: a lesson (01, 04, 05), a codebook CSV, or a session to resume"
    )
    start.add_argument("source", help="lesson number (01, 04, 05), codebook CSV, or an earlier session folder")
    start.add_argument("--port", type=int, default=8765, help="port to listen on (default 8765; 0 = any free port)")
    start.add_argument(
        "--lan", action="store_true", help="listen on the local network so phones can join (default: this machine only)"
    )
    start.add_argument("--dir", default="poll-sessions", help="folder for new sessions (default poll-sessions)")
    start.add_argument("--min-group-size", type=int, default=5, help="smaller groups are held back (default 5)")
    start.set_defaults(func=start_poll)

    close = actions.add_parser("close", help="close the running poll (no more answers) and stop its server")
    close.add_argument("session", nargs="?", help="the session folder (default: the newest running one)")
    close.add_argument("--keep-running", action="store_true", help="close the poll but keep the projector page up")
    close.add_argument("--dir", default="poll-sessions", help="where to look for running sessions")
    close.set_defaults(func=close_poll)

    status = actions.add_parser("status", help="print the running poll's state and how many have answered")
    status.add_argument("session", nargs="?", help="the session folder (default: the newest running one)")
    status.add_argument("--dir", default="poll-sessions", help="where to look for running sessions")
    status.set_defaults(func=poll_status)

    export = actions.add_parser("export", help="write a session's tidy responses, codebook and report")
    export.add_argument("session", help="the session folder (or its session.sqlite)")
    export.add_argument("--out", required=True, help="folder to write to")
    export.set_defaults(func=export_poll)


def start_poll(arguments) -> int:
    from ..errors import ParameterError
    from ..live.server import prepare, serve

    if not 0 <= arguments.port <= 65535:
        raise ParameterError(f"--port must be from 0 to 65535, not {arguments.port}")
    if arguments.min_group_size < 1:
        raise ParameterError("--min-group-size must be at least 1")
    folder, token = prepare(arguments.source, sessions_dir=arguments.dir, min_group_size=arguments.min_group_size)
    return serve(folder, token, port=arguments.port, lan=arguments.lan)


def close_poll(arguments) -> int:
    from ..live.server import call, running

    folder, server = running(arguments.session, arguments.dir)
    status = call(server, "/admin/poll", {"to": "closed"})
    print(f"Closed the poll in {folder}: {status['answered']} people gave {status['answers']} answers.")
    if not arguments.keep_running:
        call(server, "/admin/shutdown", {})
        print("The server is stopping.")
    return 0


def poll_status(arguments) -> int:
    from ..live.server import call, running

    folder, server = running(arguments.session, arguments.dir)
    status = call(server, "/admin/status")
    wave = f", wave {status['wave']}" if status["wave"] else ""
    print(
        f"{status['title']} ({folder}): poll {status['state']}{wave}; {status['joined']} joined, "
        f"{status['answered']} answered, {status['answers']} answers"
    )
    print("Open: " + (", ".join(b for b, s in status["blocks"].items() if s == "open") or "nothing yet"))
    return 0


def export_poll(arguments) -> int:
    from ..polls import load
    from ..polls.privacy import safe_for_spreadsheet
    from ..polls.session import is_session

    if not is_session(arguments.session):
        from ..errors import InputError

        raise InputError("not a live-poll session folder (no session.sqlite there)", file=arguments.session)
    data = load(arguments.session)
    out = Path(arguments.out)
    out.mkdir(parents=True, exist_ok=True)
    folder = Path(arguments.session) if Path(arguments.session).is_dir() else Path(arguments.session).parent
    stem = folder.name
    responses_path = out / f"{stem}_responses.csv"
    safe_for_spreadsheet(data.responses.drop(columns=["value"])).to_csv(
        responses_path, index=False, lineterminator="\n"
    )
    codebook_path = data.codebook.write(out / f"{stem}_codebook.csv")
    summary = data.report.summary()
    (out / f"{stem}_import_report.txt").write_text(summary + "\n", encoding="utf-8")
    print(summary)
    print(f"Wrote {responses_path.name}, {codebook_path.name} and {stem}_import_report.txt to {out}.")
    return 0 if data.report.ok else 1
