"""Two phones and a projector in a real browser (Debian's Chromium through Playwright).

`workbook poll start 04` runs on a free loopback port. Two phone-sized pages (390 x 844, each its own
browser context, so its own cookie) join with the code and see the waiting screen; the trainer opens
questions on the projector page by clicking; the phones' pages show them by themselves; one phone
answers with the mouse, the other with the keyboard only (found by their labels, as a screen reader
finds them); the projector page updates to show both, with the parties held back (one person each).
Screenshots go to build/screenshots/live-*.png.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers.polls import load
from live_poll_support import PollServer

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "build" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
PHONE = {"width": 390, "height": 844}
THINGS = [
    "Health and safety",
    "Quality of the work",
    "End-user satisfaction",
    "Cost certainty",
    "On-time delivery",
    "Innovation and new ideas",
    "Future work together",
    "A fair profit margin",
]
WILL = "Understanding what matters most to our partner organisation is important to my work."


@pytest.mark.browser
def test_two_phones_answer_and_the_projector_updates(tmp_path):
    if not CHROMIUM.exists():
        pytest.fail(f"Debian's chromium is not installed at {CHROMIUM} (sudo apt-get install chromium, or `make test`)")
    from playwright.sync_api import expect, sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    server = PollServer("04", tmp_path / "sessions", extra=("--min-group-size", "2"))
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM),
                headless=True,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
            )
            try:
                phones = [
                    browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page() for _ in range(2)
                ]
                projector = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
                for page in (*phones, projector):
                    page.set_default_timeout(30_000)
                for page in phones:  # type the code from the screen
                    page.goto(server.url + "/")
                    page.get_by_label("Join code (on the screen)").fill(server.join_code.lower())
                    page.get_by_role("button", name="Join").click()
                    expect(page.get_by_role("heading", name="Please wait")).to_be_visible()
                phones[0].screenshot(path=str(SHOTS / "live-waiting.png"), full_page=True)

                projector.goto(f"{server.url}/trainer?token={server.token}")
                expect(projector.get_by_text(server.join_code)).to_be_visible()
                projector.locator("summary", has_text="Trainer controls").click()
                for block in ("about", "own", "will"):
                    projector.locator(f"#toggle-{block}").click()
                    projector.locator("summary", has_text="Trainer controls").click()
                    expect(projector.locator(f"#toggle-{block}")).to_have_text("Close")

                # phone 1: the mouse (taps)
                one = phones[0]
                expect(one.get_by_role("heading", name="About you")).to_be_visible(timeout=15_000)  # came by itself
                one.get_by_role("group", name="Which organisation do you work for?").get_by_label("Client").check()
                one.get_by_role("group", name="Which best describes your role?").get_by_label("Delivery").check()
                one.locator("#block-about").get_by_role("button", name="Save these answers").click()
                expect(one.locator("#block-about").get_by_role("status")).to_contain_text("Saved")
                for rank, thing in enumerate(THINGS, 1):
                    one.locator("#block-own").get_by_label(thing).select_option(str(rank))
                one.locator("#block-own").get_by_role("button", name="Save these answers").click()
                expect(one.locator("#block-own").get_by_role("status")).to_contain_text("Saved")
                one.get_by_role("group", name=WILL).get_by_label("Agree", exact=True).check()
                one.locator("#block-will").get_by_role("button", name="Save these answers").click()
                expect(one.locator("#block-will").get_by_role("status")).to_contain_text("Saved")
                one.locator("#block-own").scroll_into_view_if_needed()
                one.screenshot(path=str(SHOTS / "live-phone.png"), full_page=True)

                # phone 2: the keyboard only (Space on a radio button, arrow keys in a list, Enter to save)
                two = phones[1]
                expect(two.get_by_role("heading", name="About you")).to_be_visible(timeout=15_000)
                two.get_by_role("group", name="Which organisation do you work for?").get_by_label("Supplier").focus()
                two.keyboard.press("Space")
                two.get_by_role("group", name="Which best describes your role?").get_by_label("Leadership").focus()
                two.keyboard.press("Space")
                two.keyboard.press("Enter")  # submits the form the focus is in
                expect(two.locator("#block-about").get_by_role("status")).to_contain_text("Saved")
                for rank, thing in enumerate(reversed(THINGS), 1):
                    two.locator("#block-own").get_by_label(thing).focus()
                    for _ in range(rank):
                        two.keyboard.press("ArrowDown")
                two.locator("#block-own").get_by_role("button", name="Save these answers").focus()
                two.keyboard.press("Enter")
                expect(two.locator("#block-own").get_by_role("status")).to_contain_text("Saved")

                # the projector updates by itself: both answering, the ranking shown, parties held back
                expect(projector.locator("#answered")).to_have_text("2", timeout=10_000)
                expect(projector.locator("#tally-own .ranking li")).to_have_count(8, timeout=10_000)
                expect(projector.locator(".groups").first).to_contain_text("Client held back")
                expect(projector.locator("#tally-will")).to_contain_text("Held back until 2 people")
                projector.screenshot(path=str(SHOTS / "live-projector.png"), full_page=True)

                # a reload keeps phone 1's place and answers
                one.reload()
                expect(one.get_by_role("group", name=WILL).get_by_label("Agree", exact=True)).to_be_checked()
                expect(one.locator("#block-own").get_by_label(THINGS[0])).to_have_value("1")
            finally:
                browser.close()
    finally:
        server.stop()
    assert server.process.poll() is not None
    rankings = load(
        server.folder, codebook=ROOT / "datasets/04_things_that_matter/workshop_rankings_codebook.csv", key=b"test-key"
    )
    table = rankings.wide("value", by=()).join(rankings.respondent_attributes())
    assert sorted(table["party"]) == ["Client", "Supplier"]
    client = table[table["party"] == "Client"].iloc[0]
    supplier = table[table["party"] == "Supplier"].iloc[0]
    assert [client[f"own_{k}"] for k in ("safety", "quality", "margin")] == [1, 2, 8]
    assert [supplier[f"own_{k}"] for k in ("safety", "quality", "margin")] == [8, 7, 1]
