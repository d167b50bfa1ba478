"""The live poll, end to end: a real `workbook poll start` on a free loopback port, real HTTP requests.

Answers of every kind round-trip into PollData; a reload keeps a participant's answers; a changed
answer replaces the old one; the join code, the trainer token, CSRF and same-origin checks are
enforced with 403 and nothing written; oversized and malformed requests get 4xx and nothing written;
`<script>` in an open-text answer is shown escaped; a `kill -9` mid-poll followed by a restart loses
no acknowledged answer. Every server started is stopped.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import httpx
import pytest

from helpers.polls import load
from helpers.polls.session import SessionStore
from live_poll_support import Participant, PollServer

ROOT = Path(__file__).resolve().parents[1]
CODEBOOK = ROOT / "tests" / "fixtures" / "live_poll_codebook.csv"
KEY = b"test-key"

# Five participants (the projector shows a question from five answers on) answering every kind.
PEOPLE = [
    {
        "party": "Client",
        "group": "Leadership",
        "wave": "before",
        "agree": "Agree",
        "agree_rev": "Disagree",
        "trust": "7",
        "channel": "Meetings",
        "topics": ["Budget", "Risks"],
        "own": {"own_cost": "1", "own_time": "2", "own_quality": "3"},
        "hours": "4.5",
        "wish": "<script>alert('x')</script> more honesty",
    },
    {
        "party": "Client",
        "group": "Delivery",
        "wave": "before",
        "agree": "Strongly agree",
        "agree_rev": "Agree",
        "trust": "3",
        "channel": "E-mail",
        "topics": ["Timeline"],
        "own": {"own_cost": "3", "own_time": "1", "own_quality": "2"},
        "hours": "10",
        "wish": "write to me at jo.bloggs@example.org",
    },
    {
        "party": "Supplier",
        "group": "Leadership",
        "wave": "after",
        "agree": "Neither agree nor disagree",
        "agree_rev": "Strongly disagree",
        "trust": "10",
        "channel": "Reports",
        "topics": ["Staffing", "Budget", "Timeline"],
        "own": {"own_cost": "2", "own_time": "3", "own_quality": "1"},
        "hours": "0",
        "wish": '=HYPERLINK("http://x")',
    },
    {
        "party": "Supplier",
        "group": "Delivery",
        "wave": "after",
        "agree": "Disagree",
        "agree_rev": "Neither agree nor disagree",
        "trust": "1",
        "channel": "Meetings",
        "topics": ["Risks"],
        "own": {"own_cost": "1", "own_time": "3", "own_quality": "2"},
        "hours": "80",
        "wish": "shorter meetings",
    },
    {
        "party": "Client",
        "group": "Delivery",
        "wave": "after",
        "agree": "Strongly disagree",
        "agree_rev": "Strongly agree",
        "trust": "5",
        "channel": "E-mail",
        "topics": ["Budget"],
        "own": {"own_cost": "2", "own_time": "1", "own_quality": "3"},
        "hours": "12.25",
        "wish": "a shared plan",
    },
]
LIKERT = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]


@pytest.fixture
def server(tmp_path):
    started = PollServer(CODEBOOK, tmp_path / "sessions")
    yield started
    assert started.stop() is not None  # the process has ended
    assert started.process.poll() is not None


def answer_everything(server: PollServer, person: dict) -> Participant:
    phone = Participant(server)
    phone.page()
    about = [("party", person["party"]), ("group", person["group"]), ("wave", person["wave"])]
    assert phone.answer("about", about).status_code == 200
    for block in ("agree", "agree_rev", "trust", "channel", "hours", "wish"):
        response = phone.answer(block, {block: person[block]})
        assert response.status_code == 200, response.text
    topics = [("shown.topics", "1"), *[("topics", t) for t in person["topics"]]]
    assert phone.answer("topics", topics).status_code == 200
    assert phone.answer("own", person["own"]).status_code == 200
    return phone


def raw_status(server: PollServer, request: bytes) -> int:
    """The HTTP status the server answers a hand-made request with."""
    import socket

    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as connection:
        connection.sendall(request)
        head = connection.recv(200)
    return int(head.split()[1])


def stored(server: PollServer) -> dict:
    store = SessionStore(server.folder)
    try:
        return {
            **store.counts(),
            "version": store.meta()["version"],
            "state": store.meta()["state"],
            "blocks": {b.id: b.state for b in store.blocks()},
        }
    finally:
        store.close()


def test_every_kind_round_trips_into_polldata(server):
    server.open_all()
    phones = [answer_everything(server, person) for person in PEOPLE]
    data = load(server.folder, key=KEY)
    responses = data.responses
    assert data.report.rows_read == data.report.rows_used == len(PEOPLE) * 10
    assert responses["respondent"].astype(str).str.match(r"^r-[0-9a-f]{12}$").all()
    assert responses["respondent"].nunique() == len(PEOPLE)
    for column in ("party", "group", "wave"):
        assert column in responses.columns and column not in data.codebook
    for person, (_, rows) in zip(PEOPLE, responses.groupby("respondent", observed=True, sort=False), strict=True):
        got = rows.set_index("question")
        assert set(rows["party"]) == {person["party"]} and set(rows["group"]) == {person["group"]}
        assert set(rows["wave"]) == {person["wave"]}
        assert got.loc["agree", "value"] == LIKERT.index(person["agree"]) + 1
        assert got.loc["agree_rev", "value"] == 5 - LIKERT.index(person["agree_rev"])  # reverse-keyed: 6 - position
        assert got.loc["trust", "value"] == float(person["trust"])
        assert got.loc["channel", "answer"] == person["channel"]
        options = ["Budget", "Risks", "Staffing", "Timeline"]
        assert got.loc["topics", "answer"] == "; ".join(o for o in options if o in person["topics"])
        for item, rank in person["own"].items():
            assert got.loc[item, "value"] == float(rank)
        assert got.loc["hours", "value"] == float(person["hours"])
    wishes = responses[responses["question"] == "wish"]["answer"].tolist()
    assert "write to me at [e-mail removed]" in wishes  # masked as imports are
    assert "<script>alert('x')</script> more honesty" in wishes  # kept as text; escaped where shown

    # The projector shows the open texts (five answers) escaped, and the tallies.
    trainer = httpx.Client(base_url=server.url, follow_redirects=True)
    assert trainer.get("/trainer", params={"token": server.token}).status_code == 200
    fragment = trainer.get("/trainer/tally").text
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; more honesty" in fragment
    assert "<script>alert" not in fragment and "jo.bloggs" not in fragment
    assert 'id="tally-own"' in fragment and "mean rank" in fragment
    # the participant's own page shows the text escaped in the textarea too
    page = phones[0].page()
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; more honesty</textarea>" in page
    assert "<script>alert" not in page
    for phone in phones:
        phone.close()
    trainer.close()


def test_reload_keeps_answers_and_a_changed_answer_replaces_the_old_one(server):
    server.open_all()
    phone = Participant(server)
    phone.page()
    assert phone.answer("agree", {"agree": "Agree"}).status_code == 200
    assert phone.answer("own", {"own_cost": "2", "own_time": "1", "own_quality": "3"}).status_code == 200
    reloaded = phone.page()  # same cookie: same participant, answers shown
    assert 'value="Agree" checked' in reloaded
    assert '<option value="2" selected>2</option>' in reloaded
    # a new phone (no cookie) starts at the join page
    assert 'action="/join"' in httpx.get(server.url + "/", follow_redirects=True).text
    assert phone.answer("agree", {"agree": "Strongly disagree"}).status_code == 200
    assert phone.answer("own", {"own_cost": "1", "own_time": "3", "own_quality": "2"}).status_code == 200
    assert 'value="Strongly disagree" checked' in phone.page()
    data = load(server.folder, key=KEY)
    assert len(data.responses) == 4  # replaced, not added
    got = data.responses.set_index("question")
    assert got.loc["agree", "answer"] == "Strongly disagree"
    assert got.loc[["own_cost", "own_time", "own_quality"], "value"].tolist() == [1.0, 3.0, 2.0]
    # an emptied open text removes the answer
    assert phone.answer("wish", {"wish": "something"}).status_code == 200
    assert phone.answer("wish", {"wish": ""}).status_code == 200
    assert stored(server)["answers"] == 4
    phone.close()


def test_join_code_trainer_token_csrf_and_origin_are_enforced(server):
    server.open_all()
    before = stored(server)
    intruder = Participant(server, code="WRONG1")
    assert intruder.join_response.status_code == 403
    assert (
        intruder.client.post("/answer", data={"csrf": intruder.csrf, "block": "agree", "q.agree": "Agree"}).status_code
        == 403
    )
    assert httpx.get(server.url + "/trainer", params={"token": "not-the-token"}).status_code == 403
    assert httpx.get(server.url + "/trainer").status_code == 403
    assert httpx.get(server.url + "/trainer/tally").status_code == 403
    assert httpx.get(server.url + "/admin/status", headers={"Authorization": "Bearer nope"}).status_code == 403
    wrong = {"Authorization": "Bearer nope"}
    assert (
        httpx.post(server.url + "/admin/block", data={"target": "agree", "to": "closed"}, headers=wrong).status_code
        == 403
    )
    assert httpx.post(server.url + "/admin/poll", data={"to": "closed"}, headers=wrong).status_code == 403
    assert httpx.post(server.url + "/admin/shutdown", headers=wrong).status_code == 403
    assert stored(server) == before  # nothing written, nobody joined

    phone = Participant(server)
    phone.page()
    joined = stored(server)
    good = {"csrf": phone.csrf, "block": "agree", "q.agree": "Agree"}
    assert phone.client.post("/answer", data={**good, "csrf": "forged"}).status_code == 403
    assert phone.client.post("/answer", data=good, headers={"Origin": "http://evil.example"}).status_code == 403
    assert phone.client.post("/answer", data=good, headers={"Origin": "null"}).status_code == 403
    assert stored(server) == joined
    assert phone.client.post("/answer", data=good, headers={"Origin": server.url}).status_code == 200
    assert stored(server)["answers"] == 1
    phone.close()
    intruder.close()


def test_oversized_and_malformed_requests_get_4xx_and_nothing_written(server):
    server.open_all()
    phone = Participant(server)
    phone.page()
    before = stored(server)
    cases = [
        (phone.answer("wish", {"wish": "x" * 20_000}), 413),  # body over the limit
        (phone.answer("wish", {"wish": "x" * 501}), 413),  # answer over 500 characters
        (phone.answer("trust", {"trust": "11"}), 422),  # outside 1-10
        (phone.answer("trust", {"trust": "7.5"}), 422),  # not a scale point
        (phone.answer("hours", {"hours": "nan"}), 422),
        (phone.answer("agree", {"agree": "Totally"}), 422),  # not a label
        (phone.answer("agree", {"agree": "Agree", "trust": "3"}), 400),  # a field of another block
        (phone.answer("agree", {"agree": "Agree", "agree ": "x"}), 400),
        (phone.answer("nope", {"agree": "Agree"}), 400),  # no such block
        (phone.answer("own", {"own_cost": "1", "own_time": "1", "own_quality": "2"}), 422),  # ranks repeat
        (phone.answer("own", {"own_cost": "1", "own_time": "2"}), 422),  # incomplete ranking
        (phone.answer("topics", [("topics", "Budget"), ("topics", "Lunch")]), 422),
        (phone.answer("wish", {"wish": "a\x00b"}), 400),
        (phone.client.post("/answer", json={"csrf": phone.csrf, "block": "agree"}), 415),
        (
            phone.client.post(
                "/answer", content=b"%%%\xff\xfe", headers={"Content-Type": "application/x-www-form-urlencoded"}
            ),
            403,
        ),  # no CSRF field
    ]
    for response, status in cases:
        assert response.status_code == status, (status, response.status_code, response.text[:200])
    # a body announced as 100 MB is refused before it is read (sent by hand: httpx keeps lengths honest)
    assert (
        raw_status(
            server,
            b"POST /answer HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n\r\nq.wish=x",
        )
        == 413
    )
    assert raw_status(server, b"POST /answer HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n") // 100 == 4
    assert stored(server) == before
    # a closed block refuses answers (409) and writes nothing
    assert server.admin("block", target="agree", to="closed").status_code == 200
    assert phone.answer("agree", {"agree": "Agree"}).status_code == 409
    assert stored(server)["answers"] == 0
    phone.close()


def test_waiting_screen_until_the_trainer_opens_questions(server):
    phone = Participant(server)
    assert "Please wait" in phone.page()
    assert phone.answer("agree", {"agree": "Agree"}).status_code == 409
    assert server.admin("block", target="agree", to="open").status_code == 200
    page = phone.page()
    assert "Please wait" not in page and 'name="q.agree"' in page and 'name="q.trust"' not in page
    assert server.admin("poll", to="closed").status_code == 200
    assert "The poll is closed" in phone.page()
    assert phone.answer("agree", {"agree": "Agree"}).status_code == 409
    assert stored(server)["answers"] == 0
    phone.close()


def test_kill_9_mid_poll_then_restart_loses_no_acknowledged_answer(tmp_path):
    first = PollServer(CODEBOOK, tmp_path / "sessions")
    try:
        first.open_all()
        phones = [Participant(first) for _ in range(12)]
        for phone in phones:
            phone.page()
        acknowledged: dict[int, str] = {}  # each phone's last acknowledged answer
        in_flight: dict[int, str] = {}  # the answer it sent after that (maybe stored, never acknowledged)
        lock = threading.Lock()
        enough = threading.Event()

        def keep_answering(n: int, phone: Participant) -> None:
            for i in range(2000):
                value = str(1 + (i + n) % 10)
                in_flight[n] = value
                try:
                    response = phone.answer("trust", {"trust": value})
                except httpx.HTTPError:
                    return  # the server is gone: this answer was never acknowledged
                if response.status_code == 200:
                    with lock:
                        acknowledged[n] = value
                        total[0] += 1
                        if total[0] >= 150:
                            enough.set()
                elif response.status_code == 429:
                    time.sleep(0.05)

        total = [0]
        threads = [threading.Thread(target=keep_answering, args=(n, p)) for n, p in enumerate(phones)]
        for thread in threads:
            thread.start()
        enough.wait(timeout=120)
        first.kill9()  # mid-poll: the answering threads are still sending
        for thread in threads:
            thread.join(timeout=60)
        assert len(acknowledged) == len(phones), "every phone had an answer acknowledged before the kill"
    finally:
        first.stop()
    second = PollServer(first.folder, tmp_path / "sessions")  # resume the same session
    try:
        data = load(second.folder, key=KEY)
        store = SessionStore(second.folder)
        from helpers.polls.session import participant_id

        mine = {
            n: store.answers_of(participant_id(phone.client.cookies["wb_participant"]))
            for n, phone in enumerate(phones)
        }
        store.close()
        for n, value in acknowledged.items():
            assert mine[n]["trust"] in (value, in_flight[n]), (n, mine[n], value, in_flight[n])
        assert len(data.responses) == len(phones)
        # after the restart, a reload keeps each participant's place and answer
        phones[0].client.base_url = second.url
        assert f'value="{mine[0]["trust"]}" checked' in phones[0].page()
        for phone in phones:
            phone.close()
    finally:
        second.stop()


def test_load_picks_a_lessons_codebook_from_a_session(tmp_path):
    """A lesson-04 session holds the rankings and the webinar statements; each codebook loads its part."""
    from helpers.live.server import prepare
    from helpers.polls.session import Change

    folder, _ = prepare("04", sessions_dir=tmp_path)
    store = SessionStore(folder)
    for block in store.blocks():
        store.set_block_state(block.id, "open")
    store.set_state("open")
    for n in range(3):
        pid = f"p{n}"
        ranks = [
            Change(pid, q, str(r))
            for r, q in enumerate(
                [
                    "own_safety",
                    "own_quality",
                    "own_end_users",
                    "own_cost",
                    "own_time",
                    "own_innovation",
                    "own_future",
                    "own_margin",
                ],
                1,
            )
        ]
        assert store.save(
            [
                [Change(pid, "party", "Client" if n else "Supplier"), Change(pid, "group", "Delivery")],
                ranks,
                [Change(pid, "way_method", "Agree")],
            ]
        ) == [True, True, True]
    store.close()
    datasets = ROOT / "datasets" / "04_things_that_matter"
    rankings = load(folder, codebook=datasets / "workshop_rankings_codebook.csv", key=KEY)
    assert set(rankings.responses["question"]) == {q for q in rankings.codebook.ids() if q.startswith("own_")}
    assert sorted(set(rankings.responses["party"])) == ["Client", "Supplier"]
    webinar = load(folder, codebook=datasets / "webinar_poll_codebook.csv", key=KEY)
    assert webinar.responses["answer"].tolist() == ["Agree"] * 3
    assert "answers to questions outside the given codebook were left out" in " ".join(webinar.report.notes)
    from helpers.errors import InputError

    with pytest.raises(InputError, match="asked this question as ranking"):
        bad = tmp_path / "bad_codebook.csv"
        bad.write_text("question,text,kind,scale,reverse,construct\nown_safety,x,rating,1-8,false,\n")
        load(folder, codebook=bad, key=KEY)
