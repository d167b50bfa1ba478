"""A live poll's session store: the one module through which a session's answers are written and read.

A session is a folder holding ``session.sqlite``: one embedded SQLite database per session, in WAL mode
with ``synchronous=FULL``, so an answer is on disk before the server acknowledges it and a server killed
with ``kill -9`` (or a power cut) loses nothing it acknowledged. Everything else — the live server, the
trainer's widget, ``workbook poll export`` and :func:`helpers.polls.load` — goes through :class:`SessionStore`,
so another database could take its place later without touching them.

What is stored, and what is not:

- the served codebook (questions grouped in *blocks* the trainer opens and closes), the join code, a hash
  of the trainer token, the poll's state and the current wave;
- one row per participant: a SHA-256 hash of the random token in the participant's cookie — never a
  name, an e-mail, an IP address or a device fingerprint;
- one row per (participant, question, wave): the latest answer, with free text already masked for
  e-mail addresses and phone numbers. A changed answer replaces the old one.

:func:`to_poll_data` turns a session into :class:`~helpers.polls.PollData` through the same tidy
loader as a file, so validation, keyed pseudonyms, masking and the import report are the same. The
grouping questions (``party``, ``group``, ``wave``) become respondent columns, as in a tidy file.

Kept whole: the one module through which a session's store is reached (schema, writes, reads, PollData).
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ..errors import InputError
from .codebook import Codebook, Question, read_codebook
from .privacy import mask_text

SESSION_FILE = "session.sqlite"
FORMAT_VERSION = "1"
GROUPING = ("party", "group", "wave")
POLL_STATES = ("waiting", "open", "closed")
SESSION_SUFFIXES = (".sqlite", ".sqlite3", ".db")
_JOIN_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read off a projector

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS blocks(id TEXT PRIMARY KEY, position INTEGER NOT NULL, title TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'closed' CHECK (state IN ('open', 'closed')));
CREATE TABLE IF NOT EXISTS questions(id TEXT PRIMARY KEY, position INTEGER NOT NULL, block TEXT NOT NULL
    REFERENCES blocks(id), role TEXT NOT NULL, text TEXT NOT NULL, kind TEXT NOT NULL, scale TEXT NOT NULL,
    reverse TEXT NOT NULL, construct TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS participants(id TEXT PRIMARY KEY, joined_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS answers(participant TEXT NOT NULL REFERENCES participants(id),
    question TEXT NOT NULL REFERENCES questions(id), wave TEXT NOT NULL, answer TEXT NOT NULL,
    answered_at TEXT NOT NULL, PRIMARY KEY (participant, question, wave));
"""


@dataclass(frozen=True)
class Block:
    """Questions shown together on a participant's phone, opened and closed together by the trainer."""

    id: str
    title: str
    state: str
    questions: tuple[Question, ...]

    @property
    def is_ranking(self) -> bool:
        return all(q.kind == "ranking" for q in self.questions) and len(self.questions) > 1


@dataclass(frozen=True)
class Change:
    """One answer to write (``answer=None`` removes the participant's answer)."""

    participant: str
    question: str
    answer: str | None


def participant_id(token: str) -> str:
    """What the store keeps of a participant's cookie token: a hash, so the store alone cannot pose as them."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()[:32]


def token_hash(token: str) -> str:
    return hashlib.sha256(("trainer:" + token).encode("utf-8")).hexdigest()


def is_session(path) -> bool:
    """Whether ``path`` is a session folder or a session's SQLite file (``.sqlite``, ``.sqlite3``, ``.db``).

    The file is probed through SQLite itself, never opened directly: closing a plain file handle on a
    database releases every POSIX lock this process's SQLite connections hold on it (SQLite's
    documented "posix advisory locks" pitfall), which would let another process delete the live WAL.
    """
    path = Path(path)
    if path.is_dir():
        path = path / SESSION_FILE
    if not path.is_file() or path.suffix.lower() not in SESSION_SUFFIXES:
        return False
    try:
        probe = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return False
    try:
        tables = {name for (name,) in probe.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.Error:
        return False
    finally:
        probe.close()
    return {"meta", "blocks", "questions", "answers"} <= tables


def session_file(path) -> Path:
    path = Path(path)
    return path / SESSION_FILE if path.is_dir() or not path.suffix else path


def plan_blocks(codebook: Codebook, titles=None) -> list[tuple[str, str, list[Question]]]:
    """Group a codebook into blocks: the grouping questions first ("About you"), then one block per
    construct (a ranking's items are one ranking task), and every other question on its own.
    ``titles`` may name blocks (construct -> title)."""
    about = [q for q in codebook if q.id in GROUPING]
    blocks: dict[str, list[Question]] = {}
    for q in codebook:
        if q.id not in GROUPING:
            blocks.setdefault(q.construct or q.id, []).append(q)
    plan = [("about", "About you", about)] if about else []
    for key, questions in blocks.items():
        plan.append((key, (titles or {}).get(key) or _block_title(key, questions), questions))
    return plan


def _block_title(key: str, questions: list[Question]) -> str:
    if len(questions) == 1:
        return questions[0].text
    prefixes = {q.text.partition(":")[0].strip() for q in questions if ":" in q.text}
    if questions[0].kind == "ranking" and len(prefixes) == 1:
        return prefixes.pop()
    return key.replace("_", " ").capitalize()


class SessionStore:
    """One session's SQLite database (thread-safe: one connection, one lock, short transactions)."""

    def __init__(self, path, *, must_exist: bool = True):
        self.path = session_file(path)
        if must_exist and not is_session(self.path):
            raise InputError("not a live-poll session (no session.sqlite there); check the path", file=str(path))
        self._lock = threading.Lock()
        self._questions: list[Question] | None = None
        self._block_questions: dict[str, tuple[Question, ...]] | None = None
        self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute("PRAGMA foreign_keys=ON")

    # -- creation -------------------------------------------------------------------------------
    @classmethod
    def create(
        cls,
        folder,
        codebook: Codebook,
        *,
        title: str,
        source: str,
        waves=(),
        min_group_size: int = 5,
        trainer_token: str | None = None,
        titles=None,
    ) -> tuple[SessionStore, str]:
        """Create a session folder serving ``codebook``; return the store and the trainer token (shown once)."""
        folder = Path(folder)
        if (folder / SESSION_FILE).exists():
            raise InputError("a session already exists here; resume it or choose another folder", file=str(folder))
        folder.mkdir(parents=True, exist_ok=True)
        store = cls(folder, must_exist=False)
        token = trainer_token or secrets.token_urlsafe(18)
        meta = {
            "format_version": FORMAT_VERSION,
            "title": title,
            "source": source,
            "created_at": _now(),
            "join_code": "".join(secrets.choice(_JOIN_ALPHABET) for _ in range(6)),
            "trainer_hash": token_hash(token),
            "secret": secrets.token_hex(32),
            "state": "waiting",
            "waves": "|".join(waves),
            "wave": waves[0] if waves else "",
            "min_group_size": str(int(min_group_size)),
            "version": "0",
        }
        store._db.executescript(_SCHEMA)
        with store._transaction() as db:
            db.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
            position = 0
            for b, (key, block_title, questions) in enumerate(plan_blocks(codebook, titles)):
                db.execute("INSERT INTO blocks(id, position, title) VALUES (?, ?, ?)", (key, b, block_title))
                for q in questions:
                    role = q.id if q.id in GROUPING else "question"
                    db.execute(
                        "INSERT INTO questions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (
                            q.id,
                            position,
                            key,
                            role,
                            q.text,
                            q.kind,
                            q.scale_text,
                            "true" if q.reverse else "false",
                            q.construct or "",
                        ),
                    )
                    position += 1
        return store, token

    def close(self) -> None:
        self._db.close()

    # -- meta -----------------------------------------------------------------------------------
    def meta(self) -> dict[str, str]:
        with self._lock:
            return dict(self._db.execute("SELECT key, value FROM meta").fetchall())

    def set_meta(self, **values) -> None:
        with self._transaction() as db:
            for key, value in values.items():
                db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, str(value)))
            db.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'version'")

    def check_trainer(self, token: str | None) -> bool:
        if not token:
            return False
        return secrets.compare_digest(token_hash(token), self.meta()["trainer_hash"])

    def set_state(self, state: str) -> None:
        if state not in POLL_STATES:
            raise ValueError(state)
        self.set_meta(state=state)

    def set_wave(self, wave: str) -> None:
        waves = self.meta()["waves"].split("|")
        if wave not in waves:
            raise InputError(f"no wave {wave!r} in this session; its waves are: {', '.join(waves)}")
        self.set_meta(wave=wave)

    # -- structure ------------------------------------------------------------------------------
    def questions(self) -> list[Question]:
        """Every served question (grouping questions included), in order (read once: they never change)."""
        if self._questions is None:
            self._questions = self._read_questions()
        return list(self._questions)

    def _read_questions(self) -> list[Question]:
        with self._lock:
            rows = self._db.execute(
                "SELECT id, text, kind, scale, reverse, construct FROM questions ORDER BY position"
            ).fetchall()
        import pandas as pd

        frame = pd.DataFrame(rows, columns=["question", "text", "kind", "scale", "reverse", "construct"])
        return list(Codebook.from_frame(frame, source=self.path.name))

    def codebook(self, *, grouping: bool = False) -> Codebook:
        """The session's codebook (without the grouping questions, which become respondent columns)."""
        questions = {q.id: q for q in self.questions() if grouping or q.id not in GROUPING}
        return Codebook(questions, source=self.path.name)

    def blocks(self) -> list[Block]:
        """The blocks in order, each with its questions and its current state (open or closed)."""
        if self._block_questions is None:
            questions = {q.id: q for q in self.questions()}
            by_block: dict[str, list[Question]] = {}
            with self._lock:
                for qid, block in self._db.execute("SELECT id, block FROM questions ORDER BY position"):
                    by_block.setdefault(block, []).append(questions[qid])
            self._block_questions = {b: tuple(qs) for b, qs in by_block.items()}
        with self._lock:
            rows = self._db.execute("SELECT id, title, state FROM blocks ORDER BY position").fetchall()
        return [Block(b, title, state, self._block_questions.get(b, ())) for b, title, state in rows]

    def set_block_state(self, block: str, state: str) -> None:
        if state not in ("open", "closed"):
            raise ValueError(state)
        with self._transaction() as db:
            if db.execute("UPDATE blocks SET state = ? WHERE id = ?", (state, block)).rowcount != 1:
                raise InputError(f"no block {block!r} in this session")
            db.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'version'")

    # -- participants and answers ---------------------------------------------------------------
    def add_participant(self, pid: str) -> None:
        with self._transaction() as db:
            db.execute("INSERT OR IGNORE INTO participants VALUES (?, ?)", (pid, _now()))

    def has_participant(self, pid: str) -> bool:
        with self._lock:
            return self._db.execute("SELECT 1 FROM participants WHERE id = ?", (pid,)).fetchone() is not None

    def save(self, batches: list[list[Change]]) -> list[bool]:
        """Write several participants' submissions in ONE transaction (group commit) and return, per
        submission, whether it was written: a submission touching a closed block, or arriving after the
        poll closed, is refused whole. Nothing is acknowledged before this returns (the commit is synced)."""
        results = []
        with self._transaction() as db:
            state, wave = (
                dict(db.execute("SELECT key, value FROM meta WHERE key IN ('state', 'wave')"))[k]
                for k in ("state", "wave")
            )
            open_questions = {
                q
                for (q,) in db.execute(
                    "SELECT q.id FROM questions q JOIN blocks b ON b.id = q.block WHERE b.state = 'open'"
                )
            }
            now = _now()
            for changes in batches:
                if state != "open" or any(c.question not in open_questions for c in changes):
                    results.append(False)
                    continue
                for c in changes:
                    db.execute("INSERT OR IGNORE INTO participants VALUES (?, ?)", (c.participant, now))
                    if c.answer is None:
                        db.execute(
                            "DELETE FROM answers WHERE participant = ? AND question = ? AND wave = ?",
                            (c.participant, c.question, wave),
                        )
                    else:
                        db.execute(
                            "INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?, ?)",
                            (c.participant, c.question, wave, mask_text(c.answer), now),
                        )
                results.append(True)
        return results

    def answers_of(self, pid: str) -> dict[str, str]:
        """A participant's answers in the current wave (grouping answers from any wave)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT a.question, a.answer, a.wave = (SELECT value FROM meta WHERE key = 'wave') AS current, "
                "q.role FROM answers a JOIN questions q ON q.id = a.question WHERE a.participant = ? "
                "ORDER BY a.answered_at",
                (pid,),
            ).fetchall()
        return {q: a for q, a, current, role in rows if current or role != "question"}

    def answers(self):
        """Every stored answer as a DataFrame (participant, question, wave, answer, answered_at, role),
        in the order participants joined, then question order."""
        import pandas as pd

        with self._lock:
            rows = self._db.execute(
                "SELECT a.participant, a.question, a.wave, a.answer, a.answered_at, q.role FROM answers a "
                "JOIN participants p ON p.id = a.participant JOIN questions q ON q.id = a.question "
                "ORDER BY p.rowid, q.position, a.wave"
            ).fetchall()
        return pd.DataFrame(rows, columns=["participant", "question", "wave", "answer", "answered_at", "role"])

    def counts(self) -> dict[str, int]:
        with self._lock:
            participants = self._db.execute("SELECT COUNT(*) FROM participants").fetchone()[0]
            answered = self._db.execute("SELECT COUNT(DISTINCT participant) FROM answers").fetchone()[0]
            answers = self._db.execute("SELECT COUNT(*) FROM answers").fetchone()[0]
        return {"joined": participants, "answered": answered, "answers": answers}

    # -- internals ------------------------------------------------------------------------------
    def _transaction(self):
        store = self

        class _Transaction:
            def __enter__(self):
                store._lock.acquire()
                store._db.execute("BEGIN IMMEDIATE")
                return store._db

            def __exit__(self, kind, error, trace):
                try:
                    store._db.execute("COMMIT" if kind is None else "ROLLBACK")
                finally:
                    store._lock.release()
                return False

        return _Transaction()


def to_poll_data(source, codebook=None, *, key: bytes | None = None):
    """A session as :class:`~helpers.polls.PollData` (what ``load(session)`` returns).

    ``codebook`` (a path or :class:`Codebook`), when given, picks the session's questions it lists — so a
    lesson-04 session holding both the rankings and the webinar statements loads as either — and must
    agree with the session on each question's kind and scale.
    """
    import pandas as pd

    from .loaders import from_tidy_frame
    from .read import Table

    store = SessionStore(source)
    try:
        served = store.codebook()
        answers = store.answers()
        meta = store.meta()
    finally:
        store.close()
    chosen = (
        served
        if codebook is None
        else _pick(served, codebook if isinstance(codebook, Codebook) else read_codebook(codebook))
    )
    grouping = answers[answers["role"] != "question"].sort_values("answered_at", kind="stable")
    people = grouping.groupby(["participant", "role"])["answer"].last().unstack() if len(grouping) else pd.DataFrame()
    rows = answers[answers["question"].isin(chosen.ids())].reset_index(drop=True)
    left_out = int((answers["role"] == "question").sum() - len(rows))
    tidy = pd.DataFrame({"respondent": rows["participant"], "question": rows["question"], "answer": rows["answer"]})
    for column in ("party", "group"):
        if column in people.columns:
            tidy[column] = rows["participant"].map(people[column]).fillna("").to_numpy()
    asked_wave = rows["participant"].map(people["wave"]).fillna("") if "wave" in people.columns else ""
    wave = rows["wave"].where(rows["wave"].ne(""), asked_wave) if len(rows) else rows["wave"]
    if len(rows) and (wave.astype(str) != "").any():
        tidy["wave"] = wave.to_numpy()
    tidy["submitted_at"] = rows["answered_at"].to_numpy()
    notes = [
        f"live poll session {meta.get('title', '')!s} ({meta.get('source', '')}), created {meta.get('created_at', '')}"
    ]
    if left_out:
        notes.append(f"{left_out} answers to questions outside the given codebook were left out")
    table = Table(
        tidy.astype(str),
        lines=list(range(2, len(tidy) + 2)),
        source=store.path.parent.name + "/" + SESSION_FILE,
        notes=notes,
    )
    return from_tidy_frame(table, chosen, key=key, format_name="live poll session")


def _pick(served: Codebook, wanted: Codebook) -> Codebook:
    common = [q for q in wanted if q.id in served]
    if not common:
        raise InputError(
            "none of the codebook's questions was asked in this session "
            f"(session questions: {', '.join(served.ids()[:8])})",
            file=wanted.source,
        )
    for q in common:
        s = served[q.id]
        if (q.kind, q.scale_text, q.reverse) != (s.kind, s.scale_text, s.reverse):
            raise InputError(
                f"the session asked this question as {s.kind} {s.scale_text!r}, "
                f"the codebook says {q.kind} {q.scale_text!r}; "
                "use the codebook the session was started with (workbook poll export writes it)",
                file=wanted.source,
                column="question",
                value=q.id,
            )
    return Codebook({q.id: served[q.id] for q in common}, source=wanted.source)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")
