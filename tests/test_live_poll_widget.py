"""The trainer's notebook widget, clicked: it opens questions the running server then serves, and shows
the room's answers as they arrive, with small groups held back."""

from __future__ import annotations

from pathlib import Path

from helpers.live.widget import PollWidget
from live_poll_support import Participant, PollServer

CODEBOOK = Path(__file__).resolve().parent / "fixtures" / "live_poll_codebook.csv"


def test_widget_opens_questions_and_shows_the_tallies(tmp_path):
    server = PollServer(CODEBOOK, tmp_path / "sessions")
    widget = PollWidget(server.folder, start=False)
    try:
        phones = [Participant(server) for _ in range(6)]
        assert "Please wait" in phones[0].page()
        widget.buttons["about"].value = True  # a click on the toggle button
        widget.buttons["channel"].value = True
        page = phones[0].page()
        assert 'name="q.channel"' in page and 'name="q.party"' in page and 'name="q.agree"' not in page
        for n, phone in enumerate(phones):
            phone.page()
            party = "Client" if n < 5 else "Supplier"  # one Supplier: held back, and so is the Client count
            assert phone.answer("about", [("party", party)]).status_code == 200
            assert phone.answer("channel", {"channel": ["Meetings", "E-mail", "Reports"][n % 3]}).status_code == 200
        widget.refresh()
        html = widget.html.value
        assert '<strong id="answered">6</strong> answering, 6 joined' in html
        assert "Client held back · Supplier held back" in html
        assert '<th scope="row">Meetings</th>' in html and 'value="2">2</meter>' in html
        # the projector page closed a question: the widget's button follows
        assert server.admin("block", target="channel", to="closed").status_code == 200
        widget.refresh()
        assert widget.buttons["channel"].value is False
        widget.close_button.click()
        assert "The poll is closed" in phones[0].page()
        for phone in phones:
            phone.close()
    finally:
        widget.stop()
        server.stop()
