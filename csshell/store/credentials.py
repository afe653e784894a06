"""Remote-administration credentials: password hashes and OpenSSH public keys.

A password is stored only as a salted scrypt hash in the self-describing format of PIN hashes
(``scrypt$n=...,r=8,p=1$<salt>$<hash>``, see pins.py), so the cost can rise later. A public key is
kept as its OpenSSH one-line text (``type base64 [comment]``) after checking that the type is one
OpenSSH accepts, that the base64 decodes, and that the decoded blob names the same type (a pasted
private key or an ``authorized_keys`` options prefix is refused with a message saying so). A key's
fingerprint is what ``ssh-keygen -l`` prints: ``SHA256:`` and the unpadded base64 of the SHA-256 of
the blob.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import struct
from dataclasses import dataclass

from csshell.store import pins

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 1024
MIN_RSA_BITS = 2048
KEY_TYPES = ("ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
             "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com")
_CURVES = {"ecdsa-sha2-nistp256": b"nistp256", "ecdsa-sha2-nistp384": b"nistp384",
           "ecdsa-sha2-nistp521": b"nistp521", "sk-ecdsa-sha2-nistp256@openssh.com": b"nistp256"}


class CredentialError(ValueError):
    """A password or key that cannot be accepted; ``parameter`` names the cmdlet parameter to blame."""

    def __init__(self, message: str, parameter: str, error_id: str) -> None:
        super().__init__(message)
        self.message = message
        self.parameter = parameter
        self.error_id = error_id


# --- passwords ---------------------------------------------------------------------------------

def check_password(password: str) -> None:
    """Refuse passwords too short, too long or blank (length counts characters)."""
    if not password.strip():
        raise CredentialError("The password cannot be empty or blank.", "Password", "InvalidPassword")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise CredentialError(f"The password must be at least {MIN_PASSWORD_LENGTH} characters long.",
                              "Password", "InvalidPassword")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise CredentialError(f"The password must be at most {MAX_PASSWORD_LENGTH} characters long.",
                              "Password", "InvalidPassword")


def hash_password(password: str) -> str:
    """A new salted scrypt hash (the plaintext is never stored)."""
    return pins.hash_pin(password)


def password_matches(password: str, stored: str | None) -> bool:
    """Constant-time check of ``password`` against a stored hash; False when there is none."""
    return pins.verify_pin(password, stored)


# --- SSH public keys ---------------------------------------------------------------------------

@dataclass(frozen=True)
class PublicKey:
    """One validated OpenSSH public key."""
    key_type: str
    blob: bytes
    comment: str

    @property
    def fingerprint(self) -> str:
        digest = hashlib.sha256(self.blob).digest()
        return "SHA256:" + base64.b64encode(digest).decode("ascii").rstrip("=")

    @property
    def line(self) -> str:
        """The key as an ``authorized_keys`` line."""
        text = f"{self.key_type} {base64.b64encode(self.blob).decode('ascii')}"
        return f"{text} {self.comment}" if self.comment else text


def parse_public_key(text: str, parameter: str = "SshPublicKey", *, echo: bool = True) -> PublicKey:
    """Validate one OpenSSH public key line; :class:`CredentialError` says what is wrong.

    ``echo=False`` (a line read from a file, which may be any file: /etc/shadow) keeps the line's text
    out of the message; only a key type csshell itself knows is ever named.
    """
    line = text.strip()
    if not line:
        raise _key_error("The SSH public key is empty.", parameter)
    if line.startswith("-----BEGIN"):
        raise _key_error("This is a private key or a PEM block. Give the public key: the one line in the "
                         ".pub file, such as \"ssh-ed25519 AAAAC3Nza... user@host\".", parameter)
    parts = line.split(None, 2)
    key_type = parts[0]
    if key_type not in KEY_TYPES:
        subject = f'"{_short(key_type)}" is not a supported SSH key type.' if echo else \
            "The line is not a supported SSH public key."
        raise _key_error(f'{subject} The key must start with one of: '
                         f'{", ".join(KEY_TYPES)} (authorized_keys options are not accepted).', parameter)
    if len(parts) < 2:
        raise _key_error(f"The SSH public key has no key data after \"{key_type}\".", parameter)
    blob = _decode(parts[1], parameter)
    _check_blob(key_type, blob, parameter)
    return PublicKey(key_type, blob, parts[2].strip() if len(parts) > 2 else "")


def fingerprint(line: str) -> str:
    """The SHA256 fingerprint of a stored key line."""
    return parse_public_key(line).fingerprint


def _decode(data: str, parameter: str) -> bytes:
    try:
        return base64.b64decode(data.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise _key_error("The SSH public key data is not valid base64.", parameter) from None


def _check_blob(key_type: str, blob: bytes, parameter: str) -> None:
    """The blob must be SSH wire strings naming ``key_type``, with the key material that type needs."""
    try:
        fields = _wire_strings(blob)
    except ValueError:
        raise _key_error("The SSH public key data is truncated or malformed.", parameter) from None
    if not fields or fields[0] != key_type.encode("ascii"):
        raise _key_error(f'The SSH public key data does not hold a "{key_type}" key.', parameter)
    if key_type in ("ssh-ed25519", "sk-ssh-ed25519@openssh.com"):
        if len(fields) < 2 or len(fields[1]) != 32:
            raise _key_error("The ed25519 key data must hold a 32-byte key.", parameter)
    elif key_type == "ssh-rsa":
        if len(fields) != 3:
            raise _key_error("The RSA key data must hold an exponent and a modulus.", parameter)
        bits = int.from_bytes(fields[2], "big").bit_length()
        if bits < MIN_RSA_BITS:
            raise _key_error(f"The RSA key has {bits} bits; at least {MIN_RSA_BITS} are required.", parameter)
    elif len(fields) < 3 or fields[1] != _CURVES[key_type]:
        raise _key_error(f'The ECDSA key data does not name the curve of "{key_type}".', parameter)


def _wire_strings(blob: bytes) -> list[bytes]:
    """Split SSH wire-format strings (4-byte big-endian length, then the bytes); all bytes must be used."""
    fields, offset = [], 0
    while offset < len(blob):
        if offset + 4 > len(blob):
            raise ValueError("short length")
        (length,) = struct.unpack(">I", blob[offset:offset + 4])
        offset += 4
        if offset + length > len(blob):
            raise ValueError("short string")
        fields.append(blob[offset:offset + length])
        offset += length
    return fields


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "..."


def _key_error(message: str, parameter: str) -> CredentialError:
    return CredentialError(message, parameter, "InvalidSshPublicKey")
