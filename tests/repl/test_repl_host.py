import io

from csshell.repl.host import RED, ReplHost, colour_allowed


class FakeTty(io.StringIO):
    def isatty(self):
        return True


def test_output_and_errors_go_to_their_streams_without_colour_when_not_a_tty():
    out, err = io.StringIO(), io.StringIO()
    host = ReplHost(out=out, err=err)
    host.write("ok\n")
    host.write_error("bad\n")
    assert (out.getvalue(), err.getvalue()) == ("ok\n", "bad\n")
    assert host.interactive


def test_errors_are_red_on_a_terminal(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    err = FakeTty()
    ReplHost(out=FakeTty(), err=err).write_error("bad")
    assert err.getvalue().startswith(RED)


def test_no_color_disables_colour(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    assert not colour_allowed(FakeTty())
    err = FakeTty()
    host = ReplHost(out=FakeTty(), err=err)
    host.write_error("bad")
    host.write_host("hi", foreground="Green")
    assert err.getvalue() == "bad" and not host.color


def test_write_host_colours_on_a_terminal(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    out = FakeTty()
    ReplHost(out=out, err=FakeTty()).write_host("hi", foreground="Green")
    assert out.getvalue() == "\x1b[92mhi\x1b[0m\n"


def test_width_comes_from_the_terminal(monkeypatch):
    monkeypatch.setenv("COLUMNS", "97")
    assert ReplHost(out=io.StringIO(), err=io.StringIO()).width == 97


def test_a_lone_surrogate_is_written_as_a_question_mark_not_a_crash():
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="utf-8")
    ReplHost(out=out, err=io.StringIO()).write("A\ud800B\n")
    assert raw.getvalue() == b"A?B\n"
