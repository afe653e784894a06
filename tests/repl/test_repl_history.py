import os
import stat

import pytest
from hypothesis import given
from hypothesis import strategies as st

from csshell.repl.history import (
    MASK,
    PinSafeFileHistory,
    PinSafeInMemoryHistory,
    default_history_path,
    mask_pins,
)


@pytest.mark.parametrize("line, expected", [
    ('Set-CsClientPin -Identity "Ken Myer" -Pin 121989', 'Set-CsClientPin -Identity "Ken Myer" -Pin ****'),
    ("set-csclientpin -identity x -pin:'0123'", "set-csclientpin -identity x -pin:****"),
    ("Set-CsClientPin -Identity x -Pin: 0123", "Set-CsClientPin -Identity x -Pin: ****"),
    ("Set-CsClientPin -P 1234 -Identity x", "Set-CsClientPin -P **** -Identity x"),
    ("Set-CsClientPin -Pi 1234 -Identity x", "Set-CsClientPin -Pi **** -Identity x"),
    ('Set-CsClientPin "Ken Myer" 121989', 'Set-CsClientPin "Ken Myer" ****'),
    ("Set-CsClientPin -Force Ken 121989", "Set-CsClientPin -Force Ken ****"),
    ("Set-CsClientPin -ErrorAction Stop Ken 121989", "Set-CsClientPin -ErrorAction Stop Ken ****"),
    ("Set-CsClientPin -ea Stop Ken 121989", "Set-CsClientPin -ea Stop Ken ****"),
    ("Get-CsUser | Set-CsClientPin -Pin 5555 | Out-Null", "Get-CsUser | Set-CsClientPin -Pin **** | Out-Null"),
    ("foreach ($u in $x) { Set-CsClientPin $u 80417 }", "foreach ($u in $x) { Set-CsClientPin $u **** }"),
    ("Test-CsDialInPin -Identity x -Pin 9999", "Test-CsDialInPin -Identity x -Pin ****"),
    ('Set-CsDialInPin "Ken Myer" 80417', 'Set-CsDialInPin "Ken Myer" ****'),
    ("Set-CsAdminCredential -Identity x -Password 'S3cret!'", "Set-CsAdminCredential -Identity x -Password ****"),
    ("Set-CsAdminCredential -Password:plain -Identity x", "Set-CsAdminCredential -Password:**** -Identity x"),
    ('$newPin = "121989"; Set-CsClientPin x $newPin', "$newPin = ****; Set-CsClientPin x $newPin"),
    ("$pin=121989", "$pin=****"),
    ('$p = @{Identity="x"; Pin="121989"}', '$p = @{Identity="x"; Pin=****}'),
    ("& Set-CsClientPin x 1234", "& Set-CsClientPin x ****"),
    ("Set-CsClientPin `\n  -Identity x `\n  -Pin 1234", "Set-CsClientPin `\n  -Identity x `\n  -Pin ****"),
])
def test_pin_values_are_masked(line, expected):
    assert mask_pins(line) == expected


@pytest.mark.parametrize("line", [
    "Set-CsClientPin -Identity x",                # generated PIN: nothing to hide
    "Set-CsClientPin -Identity x -Pin $pin",      # a variable holds no digits
    "Select-Object -P Name",                      # -P is not a PIN on other commands
    "Lock-CsClientPin -Identity 'Ken Myer'",
    "$pinPolicy = Get-CsPinPolicy",
    'Get-CsUser -Filter {DisplayName -eq "Ken 2"}',
])
def test_lines_without_a_pin_are_kept(line):
    assert mask_pins(line) == line


# A named -Identity leaves position 0 free of a positional argument, so the first positional
# argument IS the PIN (PowerShell binds named parameters first): these once reached the history file.
@pytest.mark.parametrize("line, expected", [
    ('Set-CsClientPin -Identity "Tomasz Nowak" 2581470', 'Set-CsClientPin -Identity "Tomasz Nowak" ****'),
    ("Set-CsClientPin -Id x 1234567", "Set-CsClientPin -Id x ****"),
    ("Set-CsClientPin -Identity x -Force 1234567", "Set-CsClientPin -Identity x -Force ****"),
    ("Test-CsDialInPin -Identity x 1234567", "Test-CsDialInPin -Identity x ****"),
    ("Set-CsDialInPin -Identity x 1234567", "Set-CsDialInPin -Identity x ****"),
    ("Set-CsDialInPin -Id x -WhatIf 1234567", "Set-CsDialInPin -Id x -WhatIf ****"),
    ("Set-CsClientPin 1234567 -Identity x", "Set-CsClientPin **** -Identity x"),
    ("Set-CsClientPin -Force 1234567 -Identity x", "Set-CsClientPin -Force **** -Identity x"),
    ("Set-CsClientPin -Identity:x 1234567", "Set-CsClientPin -Identity:x ****"),
    ("Set-CsClientPin -Identity: x 1234567", "Set-CsClientPin -Identity: x ****"),
    ("Set-CsClientPin -identity x '1234567'", "Set-CsClientPin -identity x ****"),
    ('set-csclientpin -IDENTITY x "1234567"', "set-csclientpin -IDENTITY x ****"),
    ("Set-CsClientPin -Ide x 1234567", "Set-CsClientPin -Ide x ****"),
    ("Set-CsClientPin -I x 1234567", "Set-CsClientPin -I x ****"),      # ambiguous -I: the safe side
    ("Set-CsClientPin -Identity x -Confirm:$false 1234567", "Set-CsClientPin -Identity x -Confirm:$false ****"),
    ("Set-CsClientPin -Identity x -ErrorAction Stop 1234567",
     "Set-CsClientPin -Identity x -ErrorAction Stop ****"),
    ("Set-CsClientPin -Identity -Force 1234567", "Set-CsClientPin -Identity -Force ****"),
    ("Set-CsClientPin -Identity x 1234567 7654321", "Set-CsClientPin -Identity x **** ****"),
    ("Set-CsClientPin x 1234567 7654321", "Set-CsClientPin x **** ****"),
    ("Set-CsClientPin -Pin 1234567 x 7654321", "Set-CsClientPin -Pin **** x ****"),
    ("Set-CsClientPin -Identity x -Pin 1234567 7654321", "Set-CsClientPin -Identity x -Pin **** ****"),
    ("Set-CsClientPin -Identity x -Unknown 1234567", "Set-CsClientPin -Identity x -Unknown ****"),
    ("Get-CsUser x | Set-CsClientPin 1234567", "Get-CsUser x | Set-CsClientPin ****"),
    ("Get-CsUser x |\n  Set-CsClientPin 1234567 -Force", "Get-CsUser x |\n  Set-CsClientPin **** -Force"),
    ("Set-CsClientPin @params 1234567", "Set-CsClientPin @params ****"),
    ("Get-CsUser | % { Set-CsClientPin -Identity $_ 1234567 }", "Get-CsUser | % { Set-CsClientPin -Identity $_ **** }"),
    ("Set-CsClientPin -Identity x 1234567; Get-CsUser 55", "Set-CsClientPin -Identity x ****; Get-CsUser 55"),
    ("& 'Set-CsClientPin' -Identity x 1234567", "& 'Set-CsClientPin' -Identity x ****"),
])
def test_positional_pin_after_named_identity_is_masked(line, expected):
    assert mask_pins(line) == expected


@pytest.mark.parametrize("line", [
    'Set-CsClientPin "sip:ken2@litwareinc.com"',             # identity at position 0: not the PIN
    'Set-CsClientPin "Ken 2" -Pin $pin',
    "Set-CsClientPin -Identity x -Pin $pin",
    "Get-CsUser | Set-CsClientPin -Force",
    "Get-CsUser | Set-CsClientPin Ken",                      # piped, but no digit: nothing to hide
    "Get-CsClientPinInfo -Identity x 1234",                  # not a PIN command
])
def test_identities_are_not_masked(line):
    assert mask_pins(line) == line


_IDENTITY = st.sampled_from(["-Identity x", "-Id x", "-Identity:x", "-identity 'Tomasz Nowak'", "-I x",
                             '-Identity "Ken Myer"', "-IDENTITY: x"])
_OTHER = st.lists(st.sampled_from(["-Force", "-WhatIf", "-Confirm", "-Confirm:$false", "-Verbose",
                                   "-ErrorAction Stop", "-ea SilentlyContinue", "-wi", "-cf",
                                   "-OutVariable out", "-Debug"]), max_size=4)
_COMMAND = st.sampled_from(["Set-CsClientPin", "Test-CsDialInPin", "Set-CsDialInPin", "set-csclientpin",
                            "& Set-CsDialInPin"])


@given(command=_COMMAND, identity=_IDENTITY, others=_OTHER, pin=st.from_regex(r"[0-9]{4,12}", fullmatch=True),
       quote=st.sampled_from(["", "'", '"']), named_pin=st.booleans(), data=st.data())
def test_pin_digits_never_survive_any_arrangement(command, identity, others, pin, quote, named_pin, data):
    pin_word = ("-Pin " if named_pin else "") + f"{quote}{pin}{quote}"
    parts = data.draw(st.permutations([identity, pin_word, *others]))
    line = f"{command} {' '.join(parts)}"
    masked = mask_pins(line)
    assert pin not in masked, line
    assert masked.count(MASK) >= 1


@given(command=_COMMAND, others=_OTHER, pin=st.from_regex(r"[0-9]{4,12}", fullmatch=True), data=st.data())
def test_pin_digits_never_survive_with_positional_identity(command, others, pin, data):
    """Identity first and PIN second by position, with switches anywhere around them."""
    words = ["'Ken Myer'", pin]
    for switch in others:
        words.insert(data.draw(st.integers(0, len(words))), switch)
    line = f"{command} {' '.join(words)}"
    masked = mask_pins(line)
    assert pin not in masked, line
    assert "'Ken Myer'" in masked


def test_masking_is_idempotent():
    once = mask_pins("Set-CsClientPin x -Pin 1234")
    assert mask_pins(once) == once


def test_pin_digits_never_reach_the_history_file(tmp_path):
    path = tmp_path / "sub" / "history"
    history = PinSafeFileHistory(str(path))
    history.append_string('Set-CsClientPin -Identity "Ken Myer" -Pin 918273')
    history.append_string("Set-CsClientPin 'David Longmuir' 564738")
    content = path.read_text()
    assert "918273" not in content and "564738" not in content
    assert 'Set-CsClientPin -Identity "Ken Myer" -Pin ****' in content
    # nor the in-memory list behind Up arrow and Ctrl-R
    assert all("918273" not in s and "564738" not in s for s in history.get_strings())


def test_history_file_is_private(tmp_path):
    path = tmp_path / "history"
    PinSafeFileHistory(str(path))
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_old_file_with_a_pin_is_masked_on_load(tmp_path):
    path = tmp_path / "history"
    path.write_text("\n# 2026-03-14 09:30:00\n+Set-CsClientPin x -Pin 4455\n")
    history = PinSafeFileHistory(str(path))
    loaded = list(history.load_history_strings())
    assert loaded == [f"Set-CsClientPin x -Pin {MASK}"]


def test_history_survives_restart_without_pin(tmp_path):
    path = str(tmp_path / "history")
    PinSafeFileHistory(path).append_string("Set-CsClientPin x -Pin 7788")
    PinSafeFileHistory(path).append_string("Get-CsClientPinInfo x")
    assert list(PinSafeFileHistory(path).load_history_strings()) == [
        "Get-CsClientPinInfo x", "Set-CsClientPin x -Pin ****"]


def test_in_memory_history_masks_too():
    history = PinSafeInMemoryHistory()
    history.append_string("Set-CsClientPin x 1234")
    assert history.get_strings() == ["Set-CsClientPin x ****"]


def test_default_history_path_follows_xdg(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert default_history_path() == os.path.join(str(tmp_path), "csshell", "history")
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert default_history_path() == os.path.join(str(tmp_path), ".local", "share", "csshell", "history")


@pytest.mark.parametrize("line, expected", [
    # a variable the same line passes as the PIN: what is assigned to it is masked, whatever its name
    ('$p = "12345"; Set-CsClientPin "Ken Myer" -Pin $p', '$p = ****; Set-CsClientPin "Ken Myer" -Pin $p'),
    ("$code = 80417; Set-CsClientPin x $code", "$code = ****; Set-CsClientPin x $code"),
    ('$global:p = "5555"; Set-CsClientPin x -Pin:$p', "$global:p = ****; Set-CsClientPin x -Pin:$p"),
    # a quoted string of 4 to 24 digits is masked in any assignment (a PIN typed a line earlier)
    ("$p = '0123'", "$p = ****"),
    # names like password or secret: any literal
    ('$password = "hunter"', "$password = ****"),
    ('$secret="123456"', "$secret=****"),
    ('$x = @{Identity="x"; Password="abc"}', '$x = @{Identity="x"; Password=****}'),
    # -Password abbreviated down to -Passw
    ("Set-CsAdminCredential -Identity x -Passw:S3cret", "Set-CsAdminCredential -Identity x -Passw:****"),
    ("Set-CsAdminCredential -Identity x -Passwo 'S3cret'", "Set-CsAdminCredential -Identity x -Passwo ****"),
    # a call operator on a command held in a variable: it may be a PIN command
    ('& $cmd "Ken Myer" 12345', '& $cmd "Ken Myer" ****'),
    ("& $cmd -Identity x -Pi 12345", "& $cmd -Identity x -Pi ****"),
    ("& (Get-Command Set-CsClientPin) x 1234", "& (Get-Command Set-CsClientPin) x ****"),
])
def test_pins_in_variables_abbreviations_and_dynamic_calls_are_masked(line, expected):
    assert mask_pins(line) == expected


@pytest.mark.parametrize("line", [
    "$n = 1000",                                  # an unquoted number in an ordinary variable
    "$pwd2 = Read-Host -AsSecureString",          # no literal to hide
    "Import-Csv x | Select-Object -Pass",         # -Pass may be -PassThru
    "& $sb hello",
])
def test_ordinary_assignments_and_calls_are_kept(line):
    assert mask_pins(line) == line
