"""PINHistoryCount: the user's own change (Set-CsDialInPin) refuses a recent PIN; an administrator's
Set-CsClientPin may re-issue one (reference sfb-cmdlets.md §1.2); generated PINs avoid them; only hashes are kept."""
from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from engine_support import RunText, engine_runner

from csshell.engine import Engine
from csshell.store import pins

HISTORY_ERROR = "The PIN does not satisfy the PIN policy: it must not repeat any of the user's last 3 PINs."


@pytest.fixture
def shell(tmp_path: Path, seeded_store_file: Path, monkeypatch) -> Iterator[tuple[RunText, Engine]]:
    """An engine on a copy of the seeded store; PINs set here get a cheap hash so history checks are quick."""
    monkeypatch.setitem(pins.SCRYPT_PARAMS, "n", 2 ** 4)
    shutil.copyfile(seeded_store_file, tmp_path / "store.json")
    run_text, engine = engine_runner(tmp_path)
    yield run_text, engine
    engine.close()


def ken_doc(engine: Engine) -> dict:
    return engine.session.store.directory.resolve_one("Ken Myer").doc


def test_a_pin_among_the_last_n_is_refused_and_an_older_one_is_not(shell) -> None:
    run, _ = shell
    run("Set-CsPinPolicy -PINHistoryCount 3")
    for pin in ("24680", "13579", "86420"):
        assert run(f'Set-CsDialInPin "Ken Myer" {pin}') == ("", "")
    out, err = run('Set-CsDialInPin "Ken Myer" 24680')
    assert out == "" and err.startswith("Set-CsDialInPin : " + HISTORY_ERROR)
    assert "+ CategoryInfo          : InvalidArgument: (Ken Myer:UserIdParameter) [Set-CsDialInPin], " \
           "ArgumentException" in err and "FullyQualifiedErrorId : InvalidPin," in err
    assert run('Set-CsDialInPin "Ken Myer" 97531') == ("", "")
    assert run('Set-CsDialInPin "Ken Myer" 24680') == ("", "")     # now 4 PINs back


def test_an_administrator_may_reissue_a_pin_from_the_history(shell) -> None:
    run, engine = shell
    run("Set-CsPinPolicy -PINHistoryCount 3")
    assert run('Set-CsDialInPin "Ken Myer" 24680; Set-CsDialInPin "Ken Myer" 13579') == ("", "")
    assert run('Set-CsClientPin "Ken Myer" 24680 | Out-Null') == ("", "")
    assert pins.verify_pin("24680", ken_doc(engine)["PinHash"])
    _, err = run('Set-CsDialInPin "Ken Myer" 13579')            # the admin's PIN joined the history too
    assert HISTORY_ERROR in err


def test_the_current_pin_counts_even_when_imported(shell) -> None:
    run, _ = shell
    run("Set-CsPinPolicy -PINHistoryCount 1")
    _, err = run('Set-CsDialInPin "Ken Myer" 80146')        # the PIN from examples/directory.csv
    assert "it must not repeat the user's last PIN." in err
    assert run('Set-CsDialInPin "Ken Myer" 80417') == ("", "")
    assert run('Set-CsDialInPin "Ken Myer" 80146') == ("", "")     # only the last one counts


def test_set_dial_in_pin_checks_the_policy_and_masks_a_bad_pin(shell) -> None:
    run, _ = shell
    _, err = run('Set-CsDialInPin "Ken Myer" 1234')
    assert "at least 5 digits" in err and "FullyQualifiedErrorId : InvalidPin," in err
    _, err = run('Set-CsDialInPin "Ken Myer" 12a45')
    assert "ParameterArgumentValidationError" in err and '"****"' in err
    out, _ = run('Set-CsDialInPin "Ken Myer" 80417 -WhatIf')
    assert out == 'What if: Performing the operation "Set-CsDialInPin" on target "Ken Myer".\n'


def test_without_history_a_pin_can_be_reused(shell) -> None:
    run, _ = shell
    assert run('Set-CsClientPin "Ken Myer" 80146 | Out-Null; Set-CsClientPin "Ken Myer" 80146 | Out-Null') == ("", "")


def test_refused_pin_changes_nothing(shell, tmp_path: Path) -> None:
    run, engine = shell
    run('Set-CsPinPolicy -PINHistoryCount 2; Set-CsDialInPin "Ken Myer" 24680')
    before = (tmp_path / "store.json").read_bytes()
    audit_before = len(engine.session.store.directory.audit_entries())
    _, err = run('Set-CsDialInPin "Ken Myer" 24680')
    assert "last 2 PINs" in err
    assert (tmp_path / "store.json").read_bytes() == before
    assert len(engine.session.store.directory.audit_entries()) == audit_before


def test_only_the_last_twenty_hashes_are_kept_and_never_a_pin(shell, tmp_path: Path) -> None:
    run, engine = shell
    chosen = [f"{n:05d}" for n in range(30517, 30517 + 22 * 7, 7)]
    assert run("; ".join(f'Set-CsClientPin "Ken Myer" {pin} | Out-Null' for pin in chosen)) == ("", "")
    history = ken_doc(engine)["PinHistory"]
    assert len(history) == pins.HISTORY_KEPT == 20
    assert pins.verify_pin(chosen[-1], history[-1]) and pins.verify_pin(chosen[2], history[0])
    assert ken_doc(engine)["PinHash"] == history[-1] and ken_doc(engine)["PinLength"] == 5
    users = json.loads((tmp_path / "store.json").read_text())["users"].values()
    stored = {str(v) for doc in users for v in doc.values() if not isinstance(v, list)}
    assert not stored & set(chosen) and not stored & {str(int(pin)) for pin in chosen}


def test_generated_pins_avoid_the_history(shell, monkeypatch) -> None:
    run, engine = shell
    run('Set-CsPinPolicy -PINHistoryCount 2; Set-CsClientPin "Ken Myer" 602817 | Out-Null')
    digits = iter("602817" + "739105")       # the first candidate is the current PIN, the second is new
    monkeypatch.setattr(pins.secrets, "choice", lambda _alphabet: next(digits))
    out, err = run('(Set-CsClientPin "Ken Myer").Pin')
    assert (out, err) == ("739105\n", "")
    assert pins.verify_pin("739105", ken_doc(engine)["PinHash"])


def test_history_check_unit() -> None:
    first, second = pins.hash_pin("24680"), pins.hash_pin("13579")
    previous = pins.previous_hashes([first], second)
    assert previous == [first, second]
    assert pins.previous_hashes([first, second], second) == [first, second]
    assert pins.repeats_history("24680", previous, 2) and not pins.repeats_history("24680", previous, 1)
    assert not pins.repeats_history("24680", previous, 0)
    with pytest.raises(pins.PinPolicyViolation) as info:
        pins.check_history("13579", previous, 1)
    assert info.value.rule == "PinHistory"
    assert pins.remember(["h"] * 20, "new") == ["h"] * 19 + ["new"]
