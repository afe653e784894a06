"""Set-CsAdminCredential (fresh-user report): -Password takes a SecureString or a string only, and a key file that is
a folder, a device or far too big says so instead of "does not exist"."""
from __future__ import annotations

from pathlib import Path

import pytest
from engine_support import error_ids

from cmdlets.adminroles import MAX_KEY_FILE_BYTES

ED25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEFYTKQ74Gt5NbPENebp0q4yU5D0PYrJfk/t13VTLMF/ me@host"


def has_account(shell: RunText) -> bool:
    return shell('Get-CsAdminAccount -Identity "Ken Myer"')[0].strip() != ""


# --- 5: -Password types -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("argument", "shown_type"), [("(Get-Date)", "System.DateTime"), ("12345678", "System.Int32"),
                                                      ("$true", "System.Boolean")])
def test_password_of_another_type_is_a_binding_error(shell, argument: str, shown_type: str) -> None:
    out, err = shell(f'Set-CsAdminCredential "Ken Myer" -Password {argument}')
    assert out == ""
    assert err.startswith(f"Set-CsAdminCredential : Cannot bind parameter 'Password'. Cannot convert the value of "
                          f'type "{shown_type}" to type "System.Security.SecureString". Give a SecureString '
                          "(Read-Host -AsSecureString) or a quoted string.\n")
    assert error_ids(err) == ["CannotConvertArgumentNoMessage"] and "ParameterBindingException" in err
    assert "12345678" not in err.splitlines()[0]            # a password typed as a number is never echoed
    assert not has_account(shell)


def test_password_array_is_refused(shell) -> None:
    _, err = shell('Set-CsAdminCredential "Ken Myer" -Password "abcdefgh1","abcdefgh2"')
    assert "Cannot convert 'System.Object[]' to the type 'System.Security.SecureString' required by parameter " \
           "'Password'." in err and error_ids(err) == ["CannotConvertArgument"]
    assert not has_account(shell)


def test_a_string_password_is_still_accepted(shell) -> None:
    assert shell('Set-CsAdminCredential "Ken Myer" -Password "correct horse"') == ("", "")
    assert shell('(Get-CsAdminAccount -Identity "Ken Myer").HasPassword') == ("True\n", "")


# --- 6: key files that are not key files --------------------------------------------------------------------

def test_a_folder_is_a_folder(shell, tmp_path: Path) -> None:
    _, err = shell(f"Set-CsAdminCredential 'Ken Myer' -SshPublicKeyFile '{tmp_path}'")
    assert f"Cannot read '{tmp_path}' because it is a folder, not a file." in err
    assert error_ids(err) == ["PathIsFolder"] and not has_account(shell)


@pytest.mark.parametrize("device", ["/dev/zero", "big"])
def test_endless_or_oversized_files_are_refused(shell, tmp_path: Path, device: str) -> None:
    if device == "big":
        path = tmp_path / "big.pub"
        path.write_text((ED25519 + "\n") * (MAX_KEY_FILE_BYTES // len(ED25519) + 2), encoding="utf-8")
        device = str(path)
    _, err = shell(f"Set-CsAdminCredential 'Ken Myer' -SshPublicKeyFile '{device}'")
    assert f"The file '{device}' is larger than 64 KB, so it is not an OpenSSH public key file" in err
    assert error_ids(err) == ["SshPublicKeyFileTooLarge"] and not has_account(shell)


def test_dev_null_holds_no_key(shell) -> None:
    _, err = shell("Set-CsAdminCredential 'Ken Myer' -SshPublicKeyFile /dev/null")
    assert "The file '/dev/null' holds no SSH public key." in err and not has_account(shell)


def test_a_small_key_file_still_works(shell, tmp_path: Path) -> None:
    (tmp_path / "ken.pub").write_text(ED25519 + "\n", encoding="utf-8")
    assert shell(f"Set-CsAdminCredential 'Ken Myer' -SshPublicKeyFile '{tmp_path / 'ken.pub'}'") == ("", "")
    assert has_account(shell)
