"""Passwords and OpenSSH public keys for remote administration (csshell/store/credentials.py)."""
from __future__ import annotations

import base64
import struct

import pytest

from csshell.store import credentials
from csshell.store.credentials import CredentialError, parse_public_key

# Real keys made with ssh-keygen; the fingerprints are what `ssh-keygen -lf` printed for them.
ED25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEFYTKQ74Gt5NbPENebp0q4yU5D0PYrJfk/t13VTLMF/ me@host"
ED25519_FP = "SHA256:A4D9NfByyzIbDXP2cP4HgIO0deji0JA/Dflhh2CNmQM"
ECDSA = ("ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBGkBFB480PwLnuH7Q0Sgu9h0DOFcn7sGSLGR"
         "/V9X3yy/O70yX6pylzk1HFkt0dEVZ+yKRyEMfOSo2bTUht96j18= root@vm")
ECDSA_FP = "SHA256:dnNhYxmEn+pOSDeV6ggfudK6u64qMgmxOW4TkzoEs8A"
RSA = ("ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQCxA7nE044dW5+Uo7YLWZCkWJeC645RaW6gc8lIx4hYzn0yM+/GFBCS12b6fRTHPyISkcL3w"
       "P0eSgvJD4cyuwTc4zKtLdZ8qpe8Yeh07EaBHzKCpGAby3JSKw6GrzxBjRlQSF38U3JYhpybd93/9bMGy8OYZH/hix4ZJZlmNEUmGUp0GL4N2N9"
       "bk2LKw8DcC5mw7a0uqCcFT6bkwIoS5Mb9znPE+CmrBPIg5M8HE4KxZ/f5/ct1K76Tg1On79aerEMOfley017yFj5tBPdKaBHDarGbPvDm1GLX"
       "mqbp5jWBDu1Y3sFoKgU2rchLNCndzsaE+byjmHW7Pe1MVyn10ZvX root@vm")
RSA_FP = "SHA256:hq54F4DS1Kdq/9TqVN0YXPiCWCHiyeF5jN70IYFcwcc"


def wire(*parts: bytes) -> str:
    return base64.b64encode(b"".join(struct.pack(">I", len(p)) + p for p in parts)).decode("ascii")


@pytest.mark.parametrize(("line", "key_type", "fingerprint", "comment"), [
    (ED25519, "ssh-ed25519", ED25519_FP, "me@host"), (ECDSA, "ecdsa-sha2-nistp256", ECDSA_FP, "root@vm"),
    (RSA, "ssh-rsa", RSA_FP, "root@vm")])
def test_real_keys_parse_with_ssh_keygen_fingerprints(line: str, key_type: str, fingerprint: str, comment: str) -> None:
    key = parse_public_key("  " + line + "\n")
    assert (key.key_type, key.fingerprint, key.comment) == (key_type, fingerprint, comment)
    assert key.line == line and credentials.fingerprint(line) == fingerprint


def test_a_key_without_comment_keeps_no_trailing_space() -> None:
    bare = ED25519.rsplit(" ", 1)[0]
    assert parse_public_key(bare).line == bare and parse_public_key(bare).comment == ""


@pytest.mark.parametrize(("line", "fragment"), [
    ("", "The SSH public key is empty."),
    ("   ", "The SSH public key is empty."),
    ("-----BEGIN OPENSSH PRIVATE KEY-----", "This is a private key or a PEM block."),
    ('from="10.0.0.1" ' + ED25519, "is not a supported SSH key type"),
    ("ssh-dss AAAAB3NzaC1kc3M=", '"ssh-dss" is not a supported SSH key type'),
    ("ssh-ed25519", 'no key data after "ssh-ed25519"'),
    ("ssh-ed25519 not*base64", "not valid base64"),
    ("ssh-ed25519 " + ED25519.split()[1][:-3], "not valid base64"),
    ("ssh-ed25519 AAAA=", "truncated or malformed"),
    ("ssh-ed25519 " + ED25519.split()[1][:-8], "truncated or malformed"),
    ("ssh-rsa " + ED25519.split()[1], 'does not hold a "ssh-rsa" key'),
    ("ssh-ed25519 " + wire(b"ssh-ed25519", b"short"), "must hold a 32-byte key"),
    ("ssh-ed25519 " + base64.b64encode(struct.pack(">I", 99) + b"ssh-ed25519").decode(), "truncated or malformed"),
    ("ssh-ed25519 " + base64.b64encode(b"\x00\x00").decode(), "truncated or malformed"),
    ("ssh-rsa " + wire(b"ssh-rsa", b"\x01\x00\x01", ((1 << 1023) | 1).to_bytes(129, "big")),
     "The RSA key has 1024 bits; at least 2048 are required."),
    ("ssh-rsa " + wire(b"ssh-rsa", b"\x01\x00\x01"), "must hold an exponent and a modulus"),
    ("ecdsa-sha2-nistp384 " + wire(b"ecdsa-sha2-nistp384", b"nistp256", b"\x04" + bytes(64)),
     'does not name the curve of "ecdsa-sha2-nistp384"'),
])
def test_bad_keys_are_refused_with_a_reason(line: str, fragment: str) -> None:
    with pytest.raises(CredentialError) as info:
        parse_public_key(line, "SshPublicKeyFile")
    assert fragment in info.value.message
    assert (info.value.parameter, info.value.error_id) == ("SshPublicKeyFile", "InvalidSshPublicKey")


def test_long_junk_type_is_shortened_in_the_message() -> None:
    with pytest.raises(CredentialError) as info:
        parse_public_key("x" * 200 + " AAAA")
    assert '"' + "x" * 37 + '..."' in info.value.message


@pytest.mark.parametrize(("password", "fragment"), [
    ("", "cannot be empty or blank"), ("         ", "cannot be empty or blank"),
    ("short7!", "at least 8 characters"), ("x" * 1025, "at most 1024 characters")])
def test_password_rules(password: str, fragment: str) -> None:
    with pytest.raises(CredentialError) as info:
        credentials.check_password(password)
    assert fragment in info.value.message and info.value.parameter == "Password"


def test_password_hash_is_salted_scrypt_and_verifies() -> None:
    first, second = credentials.hash_password("correct horse"), credentials.hash_password("correct horse")
    assert first.startswith("scrypt$n=16384,r=8,p=1$") and first != second and "correct" not in first
    assert credentials.password_matches("correct horse", first)
    assert not credentials.password_matches("correct horsE", first)
    assert not credentials.password_matches("correct horse", None)
    assert not credentials.password_matches("correct horse", "garbage")
