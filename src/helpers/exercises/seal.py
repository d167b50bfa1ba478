"""Sealed answer keys: the student edition checks answers without holding them in readable form.

A sealed key is a table ``{tag: ciphertext}``. For every answer a student can give that the
exercise has something to say about (each option of a choice, each item-in-a-group, each item at
each position of an order, each accepted number on the tolerance grid, each known mistake), a
*probe* string is formed from that answer, and PBKDF2-HMAC-SHA256 (salted per exercise,
:data:`ITERATIONS` rounds; RFC 8018) stretches it into 64 bytes: the first 16 are the tag that
finds its entry, the last 32 the key that opens it. The entry is the feedback (or the explanation,
for the right answer) encrypted with an HMAC-SHA256 keystream (counter mode; RFC 2104 HMAC as the
PRF) and authenticated with an HMAC-SHA256 tag over the ciphertext (encrypt-then-MAC). The
standard library provides every piece (``cryptography`` is not in the lock).

So the explanation opens only when the student gives the right answer, and the feedback for a
wrong answer only when the student gives that wrong answer. Each choice option has an entry, the
right one too, so the file does not say which is right. A choice with few options can be found by
trying every option, as in the widget itself: that is accepted; reading the answer is not.

Numbers are put on a grid of step ``tolerance / 4`` (:func:`grid_index`): every grid point within
the tolerance of the answer gets an entry, and a student's number is probed at its nearest grid
point, so an answer is accepted within ``tolerance`` (± one eighth of it at the edges).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import math
import os

#: PBKDF2 rounds per probe. They slow a script that tries every grid point of a numeric answer
#: (about 4 ms a probe here: a thousand numbers in seconds); no number of rounds makes a small
#: answer space safe (trying answers is what the widget is for), and every displayed exercise
#: seals up to ~30 probes, so more rounds cost each student a second or more per notebook.
ITERATIONS = 5_000
FORMAT = "collaborative-working-workbook/sealed-key"
SEP = "\x1f"


def _stretch(salt: bytes, probe: str) -> tuple[str, bytes]:
    material = hashlib.pbkdf2_hmac("sha256", probe.encode("utf-8"), salt, ITERATIONS, dklen=64)
    return base64.b64encode(material[:16]).decode("ascii"), material[32:]


def _keystream(key: bytes, length: int) -> bytes:
    blocks = (
        hmac.new(key, b"stream" + n.to_bytes(8, "big"), hashlib.sha256).digest() for n in range(math.ceil(length / 32))
    )
    return b"".join(blocks)[:length]


def encrypt(key: bytes, payload) -> str:
    """Encrypt a JSON-able payload under a 32-byte key (HMAC keystream, then an HMAC tag)."""
    data = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
    cipher = bytes(a ^ b for a, b in zip(data, _keystream(key, len(data)), strict=True))
    tag = hmac.new(key, b"tag" + cipher, hashlib.sha256).digest()[:16]
    return base64.b64encode(cipher + tag).decode("ascii")


def decrypt(key: bytes, text: str):
    """The payload, or None when the key is not the one it was sealed with."""
    raw = base64.b64decode(text)
    cipher, tag = raw[:-16], raw[-16:]
    if not hmac.compare_digest(tag, hmac.new(key, b"tag" + cipher, hashlib.sha256).digest()[:16]):
        return None
    return json.loads(bytes(a ^ b for a, b in zip(cipher, _keystream(key, len(cipher)), strict=True)).decode("utf-8"))


class SealedKey:
    """Entries sealed under probes; :meth:`open` returns the payload of a probe or None."""

    def __init__(self, salt: bytes | None = None, entries: dict[str, str] | None = None, public: dict | None = None):
        self.salt = salt if salt is not None else os.urandom(16)
        self.entries = dict(entries or {})
        self.public = dict(public or {})

    def add(self, probe: str, payload) -> None:
        tag, key = _stretch(self.salt, probe)
        self.entries[tag] = encrypt(key, payload)

    def open(self, probe: str):
        tag, key = _stretch(self.salt, probe)
        text = self.entries.get(tag)
        return None if text is None else decrypt(key, text)

    def to_json(self) -> dict:
        return {
            "format": FORMAT,
            "salt": base64.b64encode(self.salt).decode("ascii"),
            "entries": dict(sorted(self.entries.items())),
            "public": self.public,
        }

    @classmethod
    def from_json(cls, document: dict) -> SealedKey:
        return cls(base64.b64decode(document["salt"]), document["entries"], document.get("public"))


def probe(*parts) -> str:
    """The probe string for an answer given as parts (joined by the unit separator)."""
    return SEP.join(str(p) for p in parts)


def grid_step(tolerance: float) -> float:
    return tolerance / 4 if tolerance > 0 else 0.0


def grid_index(value: float, tolerance: float) -> str:
    """A number's place on the tolerance grid (its nearest grid point), as text."""
    step = grid_step(tolerance)
    if step == 0:
        return repr(float(f"{value:.12g}"))
    return str(round(value / step))


def grid_around(value: float, tolerance: float, within: float) -> list[str]:
    """Every grid point within ``within`` of ``value``."""
    step = grid_step(tolerance)
    if step == 0:
        return [grid_index(value, tolerance)]
    low, high = math.ceil((value - within) / step - 1e-9), math.floor((value + within) / step + 1e-9)
    return [str(k) for k in range(low, high + 1)]


# ---- sealing each kind (plaintext definition in, SealedKey out) ------------------------------------
def seal_single(options, answer, feedback, explanation) -> SealedKey:
    key = SealedKey()
    for option in options:
        if option == answer:
            key.add(probe("option", option), {"correct": True, "text": explanation or ""})
        else:
            key.add(probe("option", option), {"correct": False, "text": feedback[option]})
    return key


def seal_multiple(options, answers, feedback, explanation) -> SealedKey:
    key = SealedKey(public={"applies": len(answers)})
    for option in options:
        key.add(probe("tick", option), {"applies": option in answers, "text": feedback.get(option, "")})
    key.add(probe("set", json.dumps(sorted(answers))), {"text": explanation or ""})
    return key


def seal_categorise(items: dict, bins, feedback, explanation) -> SealedKey:
    key = SealedKey()
    for item, right in items.items():
        for group in bins:
            key.add(probe("group", item, group), {"correct": group == right, "text": feedback[item]})
    key.add(probe("all", json.dumps(items, sort_keys=True)), {"text": explanation or ""})
    return key


def seal_order(items, feedback, explanation) -> SealedKey:
    key = SealedKey()
    for position, item in enumerate(items):
        key.add(probe("position", position, item), {})
    for first_index, first in enumerate(items):
        for second in items[:first_index]:  # `first` placed before an item that belongs above it
            reason = feedback.get(second) or feedback.get(first) or ""
            key.add(probe("before", first, second), {"text": reason})
    key.add(probe("order", json.dumps(list(items))), {"text": explanation or ""})
    return key


def seal_numeric(answer, tolerance, mistakes, explanation) -> SealedKey:
    key = SealedKey(public={"tolerance": tolerance})
    accepted = set(grid_around(answer, tolerance, tolerance * (1 + 1e-9)))
    for index in sorted(accepted):
        key.add(probe("number", index), {"correct": True, "text": explanation or ""})
    for mistake in mistakes:
        within = mistake["tolerance"] if mistake.get("tolerance") is not None else tolerance
        for index in grid_around(mistake["value"], tolerance, within):
            if index not in accepted:
                key.add(probe("number", index), {"correct": False, "text": mistake["feedback"]})
    return key
