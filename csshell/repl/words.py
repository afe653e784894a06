"""A forgiving word splitter for half-typed command lines.

Completion and the PIN-free history both need to know, for a line the user is still typing or has
just typed, *which command each word belongs to* and *where each word starts and ends*. The real
parser (``csshell.language``) rejects incomplete input and knows nothing about the cursor, so the
prompt uses this small scanner instead. It understands just enough PowerShell to get word
boundaries right: quotes (including the typographic quotes PowerShell accepts), backtick escapes
and line continuation, here-strings, comments, statement separators (``;``, newline, ``|``) and
nested groups (``( )``, ``$( )``, ``@( )``, ``{ }``, ``@{ }``), whose inner commands are segments of
their own while the whole group counts as one word of the outer command.
"""
from __future__ import annotations

from dataclasses import dataclass, field

SINGLE_QUOTES = "'\u2018\u2019\u201a\u201b"
DOUBLE_QUOTES = '"\u201c\u201d\u201e'
SEPARATORS = ";|\n"
OPENERS = "({"
CLOSERS = ")}"


@dataclass
class Word:
    """One word of a command: its source text and ``[start, end)`` offsets in the input."""

    text: str
    start: int
    end: int
    closed: bool = True   # False when the input ends inside this word's quote or group

    @property
    def is_parameter(self) -> bool:
        """``-Name`` or ``-Name:value`` (a dash followed by a letter, as PowerShell's tokenizer)."""
        text = self.text
        return len(text) >= 2 and text[0] in "-\u2013\u2014" and (text[1].isalpha() or text[1] == "?")

    @property
    def parameter_name(self) -> str:
        """The name of a parameter word without dash and attached value."""
        return self.text[1:].split(":", 1)[0]

    @property
    def attached_value(self) -> str | None:
        """The value of ``-Name:value`` (``""`` for ``-Name:``), ``None`` without a colon."""
        body = self.text[1:]
        return body.split(":", 1)[1] if ":" in body else None


@dataclass
class Segment:
    """The words of one command (or one statement) in order, and the nesting depth it sits at."""

    words: list[Word] = field(default_factory=list)
    depth: int = 0

    @property
    def command_name(self) -> str | None:
        """The command being invoked: the first word, skipping the ``&``/``.`` call operators."""
        words = self.words[1:] if self.words and self.words[0].text in ("&", ".") else self.words
        return _unquote(words[0].text) if words else None

    @property
    def arguments(self) -> list[Word]:
        """The words after the command name."""
        skip = 2 if self.words and self.words[0].text in ("&", ".") else 1
        return self.words[skip:]


@dataclass
class Scan:
    """Every segment of an input (outer and nested), plus the innermost one still open at the end."""

    segments: list[Segment]
    current: Segment
    ends_in_word: bool    # the input's last character belongs to the current segment's last word


def scan(text: str) -> Scan:
    """Split ``text`` into segments of words; never fails, whatever the input."""
    return _Scanner(text).run()


def _unquote(text: str) -> str:
    if len(text) >= 2 and text[0] in SINGLE_QUOTES + DOUBLE_QUOTES and text[-1] == text[0]:
        return text[1:-1]
    return text


class _Scanner:
    """Character-level state machine behind :func:`scan` (kept private: its shape is not an API)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.i = 0
        self.done: list[Segment] = []
        self.stack: list[tuple[Segment, int]] = []   # (outer segment, offset where the group opened)
        self.segment = Segment()
        self.word_start: int | None = None
        self.unterminated = False               # the input ended inside a quote or here-string

    def run(self) -> Scan:
        text = self.text
        while self.i < len(text):
            self._step(text[self.i])
        ends_in_word = self.word_start is not None
        self._end_word(len(text))
        if self.unterminated and self.segment.words:
            self.segment.words[-1].closed = False
        current = self.segment
        # Unclosed groups: the outer words see the group as one unterminated word.
        while self.stack:
            outer, start = self.stack.pop()
            self.done.append(self.segment)
            outer.words.append(Word(text[start:], start, len(text), closed=False))
            self.segment = outer
        self.done.append(self.segment)
        return Scan([s for s in self.done if s.words], current, ends_in_word)

    # -- one character -------------------------------------------------------------------------
    def _step(self, ch: str) -> None:
        text, i = self.text, self.i
        if ch == "`":
            self._escape()
        elif ch in " \t\r" or ch == "\u00a0":
            self._end_word(i)
            self.i += 1
        elif ch in SEPARATORS:
            self._end_word(i)
            self._end_segment()
            self.i += 1
        elif ch == "#" and self.word_start is None:
            self._comment()
        elif ch == "<" and text.startswith("<#", i) and self.word_start is None:
            self._block_comment()
        elif ch == "@" and text[i + 1:i + 2] in ("'", '"') and text[i + 2:i + 3] in ("\n", "\r"):
            self._here_string()
        elif ch in SINGLE_QUOTES or ch in DOUBLE_QUOTES:
            self._quoted(ch)
        elif ch in OPENERS or (ch in "$@" and text[i + 1:i + 2] in OPENERS):
            self._open_group()
        elif ch in CLOSERS:
            self._close_group()
        else:
            self._begin_word()
            self.i += 1

    def _begin_word(self) -> None:
        if self.word_start is None:
            self.word_start = self.i

    def _end_word(self, end: int) -> None:
        if self.word_start is not None:
            self.segment.words.append(Word(self.text[self.word_start:end], self.word_start, end))
            self.word_start = None

    def _end_segment(self) -> None:
        if self.segment.words:
            self.done.append(self.segment)
        self.segment = Segment(depth=len(self.stack))

    def _escape(self) -> None:
        nxt = self.text[self.i + 1:self.i + 2]
        if nxt in ("\n", "\r"):               # line continuation: whitespace
            self._end_word(self.i)
            self.i += 2
            return
        self._begin_word()
        self.i += 2

    def _comment(self) -> None:
        end = self.text.find("\n", self.i)
        self.i = len(self.text) if end < 0 else end

    def _block_comment(self) -> None:
        end = self.text.find("#>", self.i + 2)
        self.i = len(self.text) if end < 0 else end + 2

    def _here_string(self) -> None:
        quote = self.text[self.i + 1]
        self._begin_word()
        end = self.text.find("\n" + quote + "@", self.i + 2)
        self.unterminated = end < 0
        self.i = len(self.text) if end < 0 else end + 3

    def _quoted(self, quote: str) -> None:
        self._begin_word()
        family = SINGLE_QUOTES if quote in SINGLE_QUOTES else DOUBLE_QUOTES
        text, i = self.text, self.i + 1
        while i < len(text):
            ch = text[i]
            if ch == "`" and family is DOUBLE_QUOTES:
                i += 2
                continue
            if ch in family:
                if text[i + 1:i + 2] in family and text[i + 1:i + 2] != "":   # doubled quote
                    i += 2
                    continue
                self.i = i + 1
                return
            i += 1
        self.unterminated = True
        self.i = len(text)

    def _open_group(self) -> None:
        start = self.word_start if self.word_start is not None else self.i
        self.word_start = None
        self.i += 2 if self.text[self.i] in "$@" else 1
        self.stack.append((self.segment, start))
        self.segment = Segment(depth=len(self.stack))

    def _close_group(self) -> None:
        self._end_word(self.i)
        if not self.stack:                     # stray closer: keep it as a word of its own
            self.segment.words.append(Word(self.text[self.i], self.i, self.i + 1))
            self.i += 1
            return
        self._end_segment()
        outer, start = self.stack.pop()
        self.segment = outer
        self.i += 1
        self.word_start = start                 # the group (and what is glued to it) is one word
