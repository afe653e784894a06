"""tokens.py: trivia skipping, escapes and numeric literal values (lang-spec 2.2, 2.3.5)."""
from __future__ import annotations

import re

import pytest

from csshell.language import tokens as T
from csshell.language.parse_errors import ParseFatal


def test_skip_trivia_skips_spaces_comments_and_continuations_but_not_newlines():
    text = "  <# block #> `\n  x"
    assert text[T.skip_trivia(text, 0)] == "x"
    text = "  # to end of line\nnext"
    assert text[T.skip_trivia(text, 0)] == "\n"


def test_skip_trivia_stops_before_crlf_of_a_line_comment():
    text = "# c\r\nnext"
    assert T.skip_trivia(text, 0) == 3


def test_unterminated_block_comment_is_a_fatal_error_at_its_start():
    with pytest.raises(ParseFatal) as caught:
        T.skip_trivia("x <# never closed", 2)
    assert caught.value.error_id == "MissingTerminatorMultiLineComment"
    assert caught.value.span == (2, 4)


def test_unescape_is_case_sensitive_and_keeps_unknown_escapes_as_the_character():
    assert T.unescape("a`tb`Tc`$d``") == "a\tbTc$d`"


@pytest.mark.parametrize("text, value", [
    ("0x1F", 31), ("0xFFFFFFFF", -1), ("0xFFFFFFFFl", 0xFFFFFFFF), ("1kb", 1024), ("1.5mb", 1.5 * 1024 ** 2),
    ("1e3", 1000.0), ("2.5", 2.5), ("10l", 10), ("7d", 7.0), ("\u20135", -5), ("1PB", 1024 ** 5),
])
def test_number_values(text, value):
    m = re.match(T.NUMBER_RE + "$", text)
    assert m and T.number_value(m) == value


def test_keywords_do_not_match_inside_command_names():
    keyword = T.word("foreach")
    assert keyword.re.match("ForEach ") is not None
    assert keyword.re.match("ForEach-Object") is None
    assert keyword.re.match("foreach\u2013x") is None


@pytest.mark.parametrize("text, matches", [("-", True), ("- 1", True), ("-$x", True), ("--", False),
                                           ("-eq", False), ("-=", False), ("\u2013\u2013", False)])
def test_minus_operator_is_not_the_start_of_a_word_operator_or_decrement(text, matches):
    assert (T.MINUS.re.match(text) is not None) is matches
