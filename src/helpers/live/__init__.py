"""A live poll in the room: participants answer on their phones, the notebook analyses the room as it answers.

- :mod:`.lessons` says what a poll serves (a lesson's own poll or a codebook CSV);
- :mod:`.app` is the web app (Starlette), :mod:`.server` runs it with uvicorn;
- :mod:`.tally` computes what the projector page and :mod:`.widget` show, under the suppression rule;
- the answers live in the session store, :mod:`helpers.polls.session`, which ``helpers.polls.load`` reads.

This package sits at the top of the layers, beside ``cli``: it imports ``polls``; nothing below imports it.
"""
