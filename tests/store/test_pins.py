"""PIN hashing, the PIN policy checks and PIN generation."""
from __future__ import annotations

import re

import pytest

from csshell.store import pins
from csshell.store.errors import PinPolicyViolation
from csshell.store.policy import PinPolicy

GLOBAL = PinPolicy()
DAVID_LINE = "tel:+14255550105"


def test_hash_is_salted_self_describing_scrypt() -> None:
    first, second = pins.hash_pin("80417"), pins.hash_pin("80417")
    assert first != second                                     # salted
    assert re.fullmatch(r"scrypt\$n=16384,r=8,p=1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+", first)
    assert "80417" not in first
    assert pins.verify_pin("80417", first) and pins.verify_pin("80417", second)
    assert not pins.verify_pin("80418", first)


def test_stored_parameters_are_used_so_cost_can_change(monkeypatch) -> None:
    monkeypatch.setitem(pins.SCRYPT_PARAMS, "n", 2 ** 10)
    cheap = pins.hash_pin("80417")
    monkeypatch.undo()
    assert cheap.startswith("scrypt$n=1024,") and pins.verify_pin("80417", cheap)


def test_pbkdf2_hashes_are_understood() -> None:
    import base64
    import hashlib
    salt = b"0123456789abcdef"
    digest = hashlib.pbkdf2_hmac("sha256", b"80417", salt, 1000, 32)
    stored = f"pbkdf2_sha256$i=1000${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"
    assert pins.verify_pin("80417", stored) and not pins.verify_pin("80416", stored)


@pytest.mark.parametrize("stored", [None, "", "garbage", "md5$x$y$z", "scrypt$n=16384$AAAA$AAAA"])
def test_malformed_hash_never_verifies(stored) -> None:
    assert not pins.verify_pin("80417", stored)


@pytest.mark.parametrize("pin, rule, text", [
    ("1234", "MinLength", "it must be at least 5 digits long."),
    ("55555", "RepeatedDigits", "repeated digits"),
    ("23456", "ConsecutiveDigits", "four or more consecutive digits"),
    ("8o417", "Digits", "only the digits 0-9"),
])
def test_acceptance_case_05_failures(pin: str, rule: str, text: str) -> None:
    with pytest.raises(PinPolicyViolation) as info:
        pins.check_pin(pin, GLOBAL, DAVID_LINE)
    assert info.value.rule == rule
    assert info.value.message.startswith("The PIN does not satisfy the PIN policy: ")
    assert text in info.value.message


def test_acceptance_case_05_valid_pin() -> None:
    pins.check_pin("80417", GLOBAL, DAVID_LINE)


@pytest.mark.parametrize("pin", ["222222", "225577", "11223344", "121212", "123123", "00000"])
def test_repeated_patterns_are_common(pin: str) -> None:
    with pytest.raises(PinPolicyViolation, match="repeated"):
        pins.check_pin(pin, GLOBAL)


@pytest.mark.parametrize("pin", ["991234", "98765", "123456", "456789", "50987654"])
def test_consecutive_runs_are_common(pin: str) -> None:
    with pytest.raises(PinPolicyViolation, match="consecutive"):
        pins.check_pin(pin, GLOBAL)


@pytest.mark.parametrize("pin", ["80417", "90125", "13579", "7890 1".replace(" ", ""), "112358"])
def test_ordinary_pins_pass(pin: str) -> None:
    pins.check_pin(pin, GLOBAL)


@pytest.mark.parametrize("pin, line", [("50105", "tel:+14255550105"), ("4255550", "tel:+14255550105"),
                                       ("73914", "tel:+14255550100;ext=73914")])
def test_pin_matching_phone_number_or_extension_is_common(pin: str, line: str) -> None:
    with pytest.raises(PinPolicyViolation, match="phone number"):
        pins.check_pin(pin, GLOBAL, line)


def test_allow_common_patterns_only_checks_digits_and_length() -> None:
    relaxed = PinPolicy(allow_common_patterns=True, min_password_length=4)
    for pin in ("1234", "5555", "50105"):
        pins.check_pin(pin, relaxed, DAVID_LINE)
    with pytest.raises(PinPolicyViolation):
        pins.check_pin("123", relaxed)


def test_too_long_pin_is_refused() -> None:
    with pytest.raises(PinPolicyViolation, match="at most 24"):
        pins.check_pin("80417" * 5, GLOBAL)


def test_generated_pins_are_valid_and_six_digits_by_default() -> None:
    for _ in range(200):
        pin = pins.generate_pin(GLOBAL, DAVID_LINE)
        assert re.fullmatch(r"\d{6}", pin)
        pins.check_pin(pin, GLOBAL, DAVID_LINE)


def test_generated_pin_follows_longer_minimum_and_avoids_patterns_even_if_allowed() -> None:
    policy = PinPolicy(min_password_length=9, allow_common_patterns=True)
    for _ in range(50):
        pin = pins.generate_pin(policy)
        assert len(pin) == 9
        pins.check_pin(pin, PinPolicy(min_password_length=9))
