"""PINs: slow salted hashes, policy checks and generation.

A PIN is stored only as ``scrypt$n=16384,r=8,p=1$<salt>$<hash>`` (base64): algorithm, cost and salt
travel with the hash, so the cost can be raised later without invalidating stored PINs
(``pbkdf2_sha256$i=<iterations>$...`` is also understood). The plaintext exists only in the
Set-CsClientPin output object and is never stored or logged.

"Common patterns" (AllowCommonPatterns False) are documented only by examples (reference
sfb-cmdlets.md §4.2): repeated digits (55555, 222222, 225577, 11223344), four or more consecutive
digits (1234, 23456, 991234, 98765) and the user's phone number or extension. The exact rules
chosen here are written down in docs/sfb-behaviour.md.

PIN history (PINHistoryCount) compares a new PIN with the hashes of the user's last PINs; only
hashes are kept, at most :data:`HISTORY_KEPT` (docs/lockout.md).
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from collections.abc import Callable

from csshell.store.errors import PinPolicyViolation
from csshell.store.policy import MAX_PIN_LENGTH, PinPolicy

SCRYPT_PARAMS = {"n": 2 ** 14, "r": 8, "p": 1}
HASH_LENGTH = 32
GENERATED_MIN_LENGTH = 6
HISTORY_KEPT = 20           # PINHistoryCount's documented maximum: older hashes are never needed
_PREFIX = "The PIN does not satisfy the PIN policy: "


# --- hashing ---------------------------------------------------------------------------------

def hash_pin(pin: str) -> str:
    """A new salted scrypt hash of ``pin``, self-describing."""
    salt = secrets.token_bytes(16)
    n, r, p = SCRYPT_PARAMS["n"], SCRYPT_PARAMS["r"], SCRYPT_PARAMS["p"]
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=n, r=r, p=p, dklen=HASH_LENGTH)
    return f"scrypt$n={n},r={r},p={p}${_b64(salt)}${_b64(digest)}"


def verify_pin(pin: str, stored: str | None) -> bool:
    """True if ``pin`` hashes to ``stored`` (constant-time compare); False for anything malformed."""
    if not stored:
        return False
    try:
        algorithm, params_text, salt_text, hash_text = stored.split("$")
        params = dict(item.split("=", 1) for item in params_text.split(","))
        salt, expected = _unb64(salt_text), _unb64(hash_text)
        if algorithm == "scrypt":
            actual = hashlib.scrypt(pin.encode(), salt=salt, n=int(params["n"]), r=int(params["r"]),
                                    p=int(params["p"]), dklen=len(expected))
        elif algorithm == "pbkdf2_sha256":
            actual = hashlib.pbkdf2_hmac("sha256", pin.encode(), salt, int(params["i"]), len(expected))
        else:
            return False
    except (ValueError, KeyError):
        return False
    return hmac.compare_digest(actual, expected)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


# --- policy checks ---------------------------------------------------------------------------

def check_pin(pin: str, policy: PinPolicy, line_uri: str | None = None) -> None:
    """Raise :class:`PinPolicyViolation` for the first rule ``pin`` breaks (digits, length, patterns)."""
    if not re.fullmatch(r"[0-9]*", pin):
        raise PinPolicyViolation(_PREFIX + "it must contain only the digits 0-9.", "Digits")
    if len(pin) < policy.min_password_length:
        raise PinPolicyViolation(
            _PREFIX + f"it must be at least {policy.min_password_length} digits long.", "MinLength")
    if len(pin) > MAX_PIN_LENGTH:
        raise PinPolicyViolation(_PREFIX + f"it must be at most {MAX_PIN_LENGTH} digits long.", "MaxLength")
    if policy.allow_common_patterns:
        return
    if is_repetitive(pin):
        raise PinPolicyViolation(
            _PREFIX + "it must not consist of repeated digits or a repeated sequence "
            "(such as 55555, 225577 or 121212).", "RepeatedDigits")
    if has_consecutive_run(pin):
        raise PinPolicyViolation(
            _PREFIX + "it must not contain four or more consecutive digits (such as 1234 or 98765).",
            "ConsecutiveDigits")
    if matches_phone(pin, line_uri):
        raise PinPolicyViolation(
            _PREFIX + "it must not match the user's phone number or extension.", "PhoneNumber")


def is_repetitive(pin: str) -> bool:
    """All one digit (55555), only runs of repeated digits (225577, 11223344), or a repeated
    block (121212, 123123)."""
    if len(set(pin)) == 1:
        return True
    runs = [len(m.group(0)) for m in re.finditer(r"(\d)\1*", pin)]
    if all(length >= 2 for length in runs):
        return True
    return any(len(pin) % size == 0 and pin == pin[:size] * (len(pin) // size)
               for size in range(2, len(pin) // 2 + 1))


def has_consecutive_run(pin: str, length: int = 4) -> bool:
    """Four or more digits going up or down by one (1234, 98765); 9 and 0 do not wrap."""
    for start in range(len(pin) - length + 1):
        steps = {int(pin[i + 1]) - int(pin[i]) for i in range(start, start + length - 1)}
        if steps in ({1}, {-1}):
            return True
    return False


def matches_phone(pin: str, line_uri: str | None) -> bool:
    """The PIN appears in the digits of the user's LineURI (number or ``;ext=``)."""
    if not line_uri:
        return False
    number, _, ext = line_uri.partition(";ext=")
    digits = re.sub(r"\D", "", number)
    ext_digits = re.sub(r"\D", "", ext)
    return any(pin in part for part in (digits, ext_digits) if part)


# --- generation ------------------------------------------------------------------------------

def generate_pin(policy: PinPolicy, line_uri: str | None = None,
                 reused: Callable[[str], bool] | None = None) -> str:
    """A random PIN of max(MinPasswordLength, 6) digits that passes :func:`check_pin`.

    ``reused`` (when given) says whether a candidate repeats a PIN the history forbids; such a
    candidate is drawn again, so a generated PIN obeys PINHistoryCount like a chosen one.
    """
    length = max(policy.min_password_length, GENERATED_MIN_LENGTH)
    while True:
        pin = "".join(secrets.choice("0123456789") for _ in range(length))
        try:
            check_pin(pin, PinPolicy(min_password_length=policy.min_password_length), line_uri)
        except PinPolicyViolation:
            continue
        if reused is not None and reused(pin):
            continue
        return pin


# --- history (PINHistoryCount) ---------------------------------------------------------------

def previous_hashes(history: list[str] | None, current_hash: str | None) -> list[str]:
    """The user's PIN hashes, oldest first, ending with the current PIN's.

    ``history`` is what the store kept (``PinHistory``); a current hash missing from it (a PIN
    loaded by Import-CsDirectory) is added, so the current PIN always counts as the last one.
    """
    hashes = [h for h in history or [] if h]
    if current_hash and (not hashes or hashes[-1] != current_hash):
        hashes.append(current_hash)
    return hashes


def repeats_history(pin: str, previous: list[str], count: int) -> bool:
    """Does ``pin`` equal one of the last ``count`` PINs (``previous`` as from :func:`previous_hashes`)?"""
    return count > 0 and any(verify_pin(pin, stored) for stored in reversed(previous[-count:]))


def check_history(pin: str, previous: list[str], count: int) -> None:
    """Raise :class:`PinPolicyViolation` when ``pin`` reuses one of the last ``count`` PINs."""
    if repeats_history(pin, previous, count):
        which = "the user's last PIN" if count == 1 else f"any of the user's last {count} PINs"
        raise PinPolicyViolation(_PREFIX + f"it must not repeat {which}.", "PinHistory")


def remember(previous: list[str], new_hash: str) -> list[str]:
    """The history to store after setting a PIN: the new hash last, at most :data:`HISTORY_KEPT`."""
    return (previous + [new_hash])[-HISTORY_KEPT:]
