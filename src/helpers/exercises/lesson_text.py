"""The lesson texts' exercise and trainer-answer sections, generated from the exercise files.

Each lesson text (``lessons/NN_lesson.md``) holds two generated blocks between markers::

    <!-- exercises:learner BEGIN (generated from lessons/exercises/NN_lesson.yaml) -->
    1. **Title.** lesson_text ...
    <!-- exercises:learner END -->

    <!-- exercises:trainer BEGIN ... -->
    **Exercise 1.** trainer_answer ...
    <!-- exercises:trainer END -->

so the wording a trainer reads and the exercise a student answers come from the same file and
cannot drift. After editing an exercise file run ``python -m helpers.exercises.lesson_text`` (it
rewrites the blocks); ``tests/test_exercise_data.py`` fails when a block is out of date.
"""

from __future__ import annotations

import re
import sys
import textwrap
from pathlib import Path

from . import spec as specs

WIDTH = 100
_BLOCK = re.compile(r"(<!-- exercises:(learner|trainer) BEGIN[^>]*-->\n)(.*?)(<!-- exercises:\2 END -->)", re.S)


def _wrap(text: str, first: str, indent: str) -> str:
    return textwrap.fill(
        " ".join(text.split()),
        width=WIDTH,
        initial_indent=first,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    )


def learner_block(lesson: specs.LessonExercises) -> str:
    lines = []
    for s in _numbered(lesson):
        first = f"{s.number}. **{s.title.rstrip('.?!')}{_stop(s.title)}** "
        lines.append(_on_track(s, _wrap(s.lesson_text or s.prompt, first, "   ")))
    return "\n".join(lines) + "\n"


def trainer_block(lesson: specs.LessonExercises) -> str:
    parts = [
        _on_track(s, _wrap(s.trainer_answer, f"**Exercise {s.number}.** ", ""))
        for s in _numbered(lesson)
        if s.trainer_answer
    ]
    return "\n\n".join(parts) + "\n"


def _on_track(spec, text: str) -> str:
    """The text inside the track markers ``helpers.tracks`` filters on, when the exercise has a track."""
    return f"<!-- track: {spec.track} -->\n{text}\n<!-- /track -->" if spec.track else text


def _stop(title: str) -> str:
    return title[-1] if title[-1] in ".?!" else "."


def _numbered(lesson):
    return sorted((s for s in lesson.exercises if s.number is not None), key=lambda s: s.number)


def render(markdown: str, lesson: specs.LessonExercises) -> str:
    """``markdown`` with its generated blocks rewritten from ``lesson``."""
    blocks = {"learner": learner_block(lesson), "trainer": trainer_block(lesson)}
    return _BLOCK.sub(lambda m: m.group(1) + blocks[m.group(2)] + m.group(4), markdown)


def lesson_markdown_path(exercise_file: Path) -> Path:
    return exercise_file.parent.parent / f"{exercise_file.stem}.md"


def main(argv: list[str] | None = None) -> int:
    """Rewrite the generated blocks of every lesson text; ``--check`` only reports stale ones."""
    from .catalogue import lesson_files

    argv = sys.argv[1:] if argv is None else argv
    stale = []
    for path in lesson_files():
        markdown_path = lesson_markdown_path(path)
        if not markdown_path.is_file():
            continue
        old = markdown_path.read_text(encoding="utf-8")
        new = render(old, specs.load(path))
        if new != old:
            stale.append(markdown_path)
            if "--check" not in argv:
                markdown_path.write_text(new, encoding="utf-8")
    for path in stale:
        print(f"{'out of date' if '--check' in argv else 'rewrote'}: {path}")
    return 1 if stale and "--check" in argv else 0


if __name__ == "__main__":
    raise SystemExit(main())
