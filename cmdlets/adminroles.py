"""RBAC roles and remote-administration accounts.

Product cmdlets: ``Get-CsAdminRole`` (the built-in roles with the cmdlets each may run) and
``Get-CsAdminRoleAssignment`` (the roles a user holds, by SamAccountName, as in the product).
Emulator extensions, because the emulator has no AD groups to add people to: ``Grant-CsAdminRole``,
``Revoke-CsAdminRole``, ``Set-CsAdminCredential`` (password and SSH public keys for the remote
server) and ``Get-CsAdminAccount`` (who holds what; fingerprints, never hashes).

The roles and the matrix are data in csshell/store/roles.py, the accounts in
csshell/store/accounts.py; docs/roles.md explains both. RBAC applies to remote sessions only.
Run ``python -m cmdlets.adminroles`` to print the tables of docs/roles.md from the data.
"""
from __future__ import annotations

import os
from typing import Any

from csshell.runtime.cmdlet import Cmdlet, CommandContext, Parameter, cmdlet
from csshell.runtime.errors import INVALID_ARGUMENT, INVALID_DATA, OBJECT_NOT_FOUND, READ_ERROR
from csshell.runtime.values import PSObject, enumerate_value, to_string, type_name
from csshell.store import roles
from csshell.store.accounts import AdminAccount, AdminAccounts, CredentialChange, RoleNotAssigned
from csshell.store.credentials import CredentialError, PublicKey, parse_public_key
from csshell.store.directory import identity_text
from csshell.store.errors import AmbiguousIdentity, IdentityNotFound
from csshell.store.records import UserRecord
from csshell.store.wildcard import has_wildcard, like

from cmdlets import shipped_catalogue
from cmdlets.users import acting, directory_of, report_lookup_error

roles.use_catalogue(shipped_catalogue)      # Get-CsAdminRole's Cmdlets: the shipped cmdlets, never toy ones

ROLE_TYPE = "Microsoft.Rtc.Management.WritableConfig.Settings.Roles.Role"
ACCOUNT_TYPE = "Csshell.AdminAccount"
_EXT = "Csshell.Commands."
_USER_HELP = ("The user: SIP address, user principal name, domain\\logon, display name, distinguished name or "
              "SamAccountName. Users not enabled for Skype for Business count too.")


def accounts_of(ctx: CommandContext) -> AdminAccounts:
    return directory_of(ctx).admin_accounts


def role_object(role: roles.Role) -> PSObject:
    """The Role object Get-CsAdminRole writes; ``Cmdlets`` is the role's Cs cmdlets, sorted."""
    return PSObject([("Identity", role.identity), ("Description", role.description), ("IsStandardRole", True),
                     ("Cmdlets", roles.role_cmdlets(role.identity)), ("ConfigScopes", ["Global"]),
                     ("UserScopes", ["Global"]), ("ScriptModules", [])], type_names=[ROLE_TYPE],
                    tostring=role.identity)


def account_object(account: AdminAccount, in_directory: bool) -> PSObject:
    return PSObject([("Identity", account.logon), ("DisplayName", account.display_name or None),
                     ("UserPrincipalName", account.user_principal_name or None), ("Roles", list(account.roles)),
                     ("HasPassword", account.has_password), ("PasswordLastSet", account.password_last_set),
                     ("SshKeyFingerprints", account.fingerprints()), ("InDirectory", in_directory)],
                    type_names=[ACCOUNT_TYPE], tostring=account.logon)


def _parameter_error(ctx: CommandContext, message: str, error_id: str, parameter: str, value: Any = None) -> None:
    """A bad parameter value: terminating, before anything changes (as a binding error is)."""
    ctx.error(message, error_id, INVALID_ARGUMENT, target=value if value is not None else parameter,
              target_type="String", reason="ParameterBindingValidationException", terminating=True)


def _checked_roles(ctx: CommandContext, value: Any) -> list[str] | None:
    names = [to_string(v) for v in enumerate_value(value)]
    try:
        return [roles.canonical_role(name) for name in names]
    except roles.UnknownRole as exc:
        _parameter_error(ctx, f"Cannot validate argument on parameter 'Role'. {exc}", "RoleNotFound", "Role",
                         exc.name)
        return None


def account_users(ctx: CommandContext, identity: Any, allow_orphan: bool = False) -> list[UserRecord]:
    """The users ``identity`` names: any identity form or a SamAccountName, enabled or not.

    With ``allow_orphan``, an account whose user has left the directory is found by its logon name,
    UPN, SamAccountName or distinguished name (so its roles can still be revoked).
    """
    directory = directory_of(ctx)
    try:
        return directory.resolve_targets(identity, enabled_only=False)
    except AmbiguousIdentity as exc:
        report_lookup_error(ctx, exc)
        return []
    except IdentityNotFound as exc:
        text = identity_text(identity).strip()
        found = [] if has_wildcard(text) else directory.admin_accounts.users_with_sam(text)
        if not found and allow_orphan:
            found = _orphans(ctx, text)
        if len(found) == 1:
            return found
        report_lookup_error(ctx, AmbiguousIdentity(text, [u.logon for u in found]) if found else exc)
        return []


def _orphans(ctx: CommandContext, text: str) -> list[UserRecord]:
    """Accounts of users no longer in the directory, as stand-in user records built from their snapshot."""
    wanted = text.lower()
    directory = directory_of(ctx)
    found = []
    for account in accounts_of(ctx).all():
        names = (account.logon, account.sam_account_name, account.user_principal_name, account.distinguished_name)
        if wanted in (n.lower() for n in names if n) and not directory.resolve(account.distinguished_name, False):
            found.append(UserRecord(0, {"DistinguishedName": account.distinguished_name,
                                        "SamAccountName": account.sam_account_name, "Domain": account.domain,
                                        "UserPrincipalName": account.user_principal_name,
                                        "DisplayName": account.display_name}))
    return found


# --- Get-CsAdminRole, Get-CsAdminRoleAssignment (product cmdlets) ----------------------------------

@cmdlet("Get-CsAdminRole", default_set="Identity", outputs=ROLE_TYPE,
        class_name="Microsoft.Rtc.Management.Internal.GetAdminRoleCmdlet",
        synopsis="Returns the role-based access control (RBAC) roles and the cmdlets each may run remotely.",
        examples=(("Get-CsAdminRole", "Returns every role."),
                  ('Get-CsAdminRole -Identity "CsHelpDesk" | Select-Object -ExpandProperty Cmdlets',
                   "Lists the cmdlets of the help-desk role."),
                  ('Get-CsAdminRole | Where-Object {$_.Cmdlets -match "Lock-CsClientPin"}',
                   "The roles that may lock PINs."),
                  ('Get-CsAdminRole -Filter "*Voice*"', "The roles with Voice in their Identity.")))
class GetCsAdminRole(Cmdlet):
    Identity = Parameter("string", position=0, from_pipeline=True, sets=("Identity",),
                         help="The role, e.g. CsHelpDesk. No wildcards: use -Filter.")
    Filter = Parameter("string", sets=("Filter",), help='Wildcard match on role identities, e.g. "*Admin*".')
    LocalStore = Parameter("switch", help="Accepted: the emulator has one store.")

    def process(self, ctx: CommandContext) -> None:
        if self.Identity is not None and self.Filter is not None:
            ctx.error("Parameter set cannot be resolved using the specified named parameters.",
                      "AmbiguousParameterSet", INVALID_ARGUMENT, reason="ParameterBindingException", terminating=True)
            return
        if self.Identity is None:
            pattern = None if self.Filter is None else to_string(self.Filter)
            for role in roles.STANDARD_ROLES:
                if pattern is None or like(role.identity, pattern):
                    ctx.write_object(role_object(role))
            return
        name = to_string(self.Identity)
        if has_wildcard(name) or "?" in name:
            _parameter_error(ctx, f'Wildcard characters are not allowed in Identity "{name}". Use the Filter '
                                  "parameter instead.", "WildcardNotAllowed", "Identity", name)
            return
        role = roles.find_role(name)
        if role is None:
            ctx.error(f'Management object not found for identity "{name}".', "RoleNotFound", OBJECT_NOT_FOUND,
                      target=name, target_type="String", reason="ManagementException")
            return
        ctx.write_object(role_object(role))


@cmdlet("Get-CsAdminRoleAssignment", outputs="System.String",
        class_name="Microsoft.Rtc.Management.Internal.GetAdminRoleAssignmentCmdlet",
        synopsis="Returns the names of the RBAC roles a user holds (the user given by SamAccountName).",
        examples=(('Get-CsAdminRoleAssignment -Identity "kenmyer"', "The roles Ken Myer holds."),
                  ("Get-CsUser | ForEach-Object {$_.DisplayName; Get-CsAdminRoleAssignment -Identity "
                   "$_.SamAccountName}", "Every enabled user's roles.")))
class GetCsAdminRoleAssignment(Cmdlet):
    Identity = Parameter("string", position=0, mandatory=True, from_pipeline=True,
                         help="The user's SamAccountName (other identity forms are not accepted, as in the product).")
    Force = Parameter("switch", help="Accepted; no effect here.")
    LocalStore = Parameter("switch", help="Accepted: the emulator has one store.")

    def process(self, ctx: CommandContext) -> None:
        sam = to_string(self.Identity).strip()
        service = accounts_of(ctx)
        users = service.users_with_sam(sam)
        if len(users) != 1:
            report_lookup_error(ctx, AmbiguousIdentity(sam, [u.logon for u in users]) if users
                                else IdentityNotFound(sam))
            return
        account = service.for_user(users[0])
        for role in account.roles if account else ():
            ctx.write_object(role)


# --- Grant-, Revoke-CsAdminRole (extensions) -------------------------------------------------------

class _RoleChange(Cmdlet):
    Identity = Parameter("UserIdParameter", position=0, mandatory=True, from_pipeline=True,
                         from_pipeline_by_property=True, help=_USER_HELP)
    Role = Parameter("string[]", position=1, mandatory=True,
                     help="One or more of: " + ", ".join(roles.ROLE_NAMES) + ".")
    allow_orphan = False

    def process(self, ctx: CommandContext) -> None:
        wanted = _checked_roles(ctx, self.Role)
        if wanted is None:
            return
        actor, origin = acting(ctx)
        for user in account_users(ctx, self.Identity, self.allow_orphan):
            for role in wanted:
                if ctx.should_process(user.logon, f"{self.name} {role}"):
                    self.apply(ctx, user, role, actor, origin)

    def apply(self, ctx: CommandContext, user: UserRecord, role: str, actor: str, origin: str) -> None:
        raise NotImplementedError


@cmdlet("Grant-CsAdminRole", supports_should_process=True, extension=True,
        class_name=_EXT + "GrantCsAdminRoleCommand",
        synopsis="(csshell extension) Gives a directory user an RBAC role for remote administration.",
        description="Stands in for adding the user to the role's AD group. Granting a role the user already "
                    "holds changes nothing and writes a warning.",
        examples=(('Grant-CsAdminRole -Identity "Ken Myer" -Role CsHelpDesk', "Ken Myer may lock and unlock PINs "
                                                                              "remotely."),
                  ('Get-CsUser -OU "OU=Finance,DC=litwareinc,DC=com" | Grant-CsAdminRole -Role '
                   "CsViewOnlyAdministrator", "Every Finance user may look, not change.")))
class GrantCsAdminRole(_RoleChange):
    def apply(self, ctx: CommandContext, user: UserRecord, role: str, actor: str, origin: str) -> None:
        if not accounts_of(ctx).grant(user, role, actor, origin):
            ctx.write_warning(f"{user.logon} already holds the role {role}.")


@cmdlet("Revoke-CsAdminRole", supports_should_process=True, extension=True,
        class_name=_EXT + "RevokeCsAdminRoleCommand",
        synopsis="(csshell extension) Takes an RBAC role away from a user.",
        description="An account left with no role, password or key is deleted. A user who has left the "
                    "directory can still be named by logon name, UPN, SamAccountName or distinguished name.",
        examples=(('Revoke-CsAdminRole -Identity "Ken Myer" -Role CsHelpDesk', "Ken Myer loses the role."),))
class RevokeCsAdminRole(_RoleChange):
    allow_orphan = True

    def apply(self, ctx: CommandContext, user: UserRecord, role: str, actor: str, origin: str) -> None:
        try:
            accounts_of(ctx).revoke(user, role, actor, origin)
        except RoleNotAssigned as exc:
            ctx.error(str(exc), "RoleNotAssigned", OBJECT_NOT_FOUND, target=user.logon,
                      target_type="UserIdParameter", reason="ManagementException")


# --- Set-CsAdminCredential, Get-CsAdminAccount (extensions) ---------------------------------------

@cmdlet("Set-CsAdminCredential", supports_should_process=True, extension=True, outputs=ACCOUNT_TYPE,
        class_name=_EXT + "SetCsAdminCredentialCommand",
        synopsis="(csshell extension) Sets how a user signs in to the remote server: password and SSH keys.",
        description="The password is stored only as a salted scrypt hash. Keys are OpenSSH public keys (one "
                    "line: type, base64, optional comment) and are added to those already set; -ClearPassword "
                    "and -ClearSshPublicKeys run first. Type the password with Read-Host -AsSecureString so it "
                    "stays out of the command history.",
        examples=(('Set-CsAdminCredential -Identity "Ken Myer" -Password (Read-Host "Password" -AsSecureString)',
                   "Sets a password, typed without echo."),
                  ('Set-CsAdminCredential -Identity "Ken Myer" -SshPublicKeyFile ./kenmyer.pub',
                   "Adds the keys of an OpenSSH .pub file."),
                  ('Set-CsAdminCredential "Ken Myer" -ClearSshPublicKeys -SshPublicKey "ssh-ed25519 AAAA... ken"',
                   "Replaces all his keys by one.")))
class SetCsAdminCredential(Cmdlet):
    Identity = Parameter("UserIdParameter", position=0, mandatory=True, from_pipeline=True,
                         from_pipeline_by_property=True, help=_USER_HELP)
    Password = Parameter("object", help="A SecureString (Read-Host -AsSecureString) or a string; at least "
                                        "8 characters.")
    SshPublicKey = Parameter("string[]", help="OpenSSH public key lines to add.")
    SshPublicKeyFile = Parameter("string", help="A file of OpenSSH public keys (such as id_ed25519.pub) to add.")
    ClearPassword = Parameter("switch", help="Removes the password (key sign-in only).")
    ClearSshPublicKeys = Parameter("switch", help="Removes every SSH key before adding the given ones.")
    PassThru = Parameter("switch", help="Write the account (as Get-CsAdminAccount shows it).")

    def process(self, ctx: CommandContext) -> None:
        change = self._change(ctx)
        if change is None:
            return
        users = account_users(ctx, self.Identity, allow_orphan=True)
        if len(users) > 1:
            ctx.error(f'"{identity_text(self.Identity)}" names {len(users)} users; Set-CsAdminCredential sets the '
                      "credentials of one user at a time.", "CredentialMultipleUsers", INVALID_ARGUMENT,
                      target=identity_text(self.Identity), target_type="UserIdParameter", reason="ArgumentException")
            return
        actor, origin = acting(ctx)
        for user in users:
            if ctx.should_process(user.logon, self.name):
                account = accounts_of(ctx).set_credentials(user, change, actor, origin)
                if self.PassThru and account is not None:
                    ctx.write_object(account_object(account, bool(user.doc_id)))

    def _change(self, ctx: CommandContext) -> CredentialChange | None:
        """The checked request; a terminating error (nothing changed) when a value is refused."""
        if not _password_type_ok(ctx, self.Password):
            return None
        try:
            keys = self._keys(ctx)
            if keys is None:
                return None
            change = CredentialChange(_secret(self.Password), tuple(keys), bool(self.ClearPassword),
                                      bool(self.ClearSshPublicKeys))
            change.check()
        except CredentialError as exc:
            _parameter_error(ctx, f"Cannot validate argument on parameter '{exc.parameter}'. {exc.message}",
                             exc.error_id, exc.parameter)
            return None
        return change

    def _keys(self, ctx: CommandContext) -> list[PublicKey] | None:
        keys = [parse_public_key(to_string(line)) for line in enumerate_value(self.SshPublicKey)]
        if self.SshPublicKeyFile is None:
            return keys
        path = ctx.resolve_path(to_string(self.SshPublicKeyFile))
        text = _read_key_file(ctx, path)
        if text is None:
            return None
        lines = [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip() and not line.startswith("#")]
        if not lines:
            raise CredentialError(f"The file '{path}' holds no SSH public key.", "SshPublicKeyFile",
                                  "InvalidSshPublicKey")
        for number, line in lines:
            try:
                keys.append(parse_public_key(line, "SshPublicKeyFile", echo=False))   # never echo a file
            except CredentialError as exc:
                raise CredentialError(f"'{path}', line {number}: {exc.message}", "SshPublicKeyFile",
                                      exc.error_id) from None
        return keys


MAX_KEY_FILE_BYTES = 64 * 1024     # an OpenSSH .pub line is under 1 KB; a big file is the wrong file (or /dev/zero)
SECURE_STRING = "System.Security.SecureString"


def _read_key_file(ctx: CommandContext, path: str) -> str | None:
    """The key file's text, or a terminating error that says why it cannot be read (nothing changed)."""
    if os.path.isdir(path):
        ctx.error(f"Cannot read '{path}' because it is a folder, not a file. Give the path of an OpenSSH public "
                  "key file, such as ~/.ssh/id_ed25519.pub.", "PathIsFolder", INVALID_ARGUMENT, target=path,
                  target_type="String", reason="ArgumentException", terminating=True)
        return None
    if not os.path.exists(path):
        ctx.error(f"Cannot find path '{path}' because it does not exist.", "PathNotFound", OBJECT_NOT_FOUND,
                  target=path, target_type="String", reason="ItemNotFoundException", terminating=True)
        return None
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_KEY_FILE_BYTES + 1)     # bounded: a device such as /dev/zero never ends
        if len(data) > MAX_KEY_FILE_BYTES:
            ctx.error(f"The file '{path}' is larger than {MAX_KEY_FILE_BYTES // 1024} KB, so it is not an OpenSSH "
                      "public key file (a .pub file holds one short line per key).", "SshPublicKeyFileTooLarge",
                      INVALID_DATA, target=path, target_type="String", reason="InvalidDataException",
                      terminating=True)
            return None
        return data.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "the file is not UTF-8 text"
        ctx.error(f"Cannot read '{path}': {reason}.", "SshPublicKeyFileReadError", READ_ERROR, target=path,
                  target_type="String", reason="IOException", terminating=True)
        return None


def _password_type_ok(ctx: CommandContext, value: Any) -> bool:
    """-Password takes a SecureString, or (an emulator convenience) a string; anything else is refused as the
    binder refuses a value it cannot convert to SecureString. The value itself is never echoed: it may be a
    password typed as a number."""
    if value is None or isinstance(value, str) or callable(getattr(value, "reveal", None)):
        return True
    if isinstance(value, list):
        message = (f"Cannot convert '{type_name(value)}' to the type '{SECURE_STRING}' required by parameter "
                   "'Password'. Specified method is not supported.")
        error_id = "CannotConvertArgument"
    else:
        message = (f"Cannot bind parameter 'Password'. Cannot convert the value of type \"{type_name(value)}\" to "
                   f"type \"{SECURE_STRING}\". Give a SecureString (Read-Host -AsSecureString) or a quoted string.")
        error_id = "CannotConvertArgumentNoMessage"
    ctx.error(message, error_id, INVALID_ARGUMENT, reason="ParameterBindingException", terminating=True)
    return False


def _secret(value: Any) -> str | None:
    """A SecureString's text (Read-Host -AsSecureString) or a plain value as text."""
    if value is None:
        return None
    reveal = getattr(value, "reveal", None)
    return reveal() if callable(reveal) else to_string(value)


@cmdlet("Get-CsAdminAccount", extension=True, outputs=ACCOUNT_TYPE, class_name=_EXT + "GetCsAdminAccountCommand",
        synopsis="(csshell extension) Lists the remote-administration accounts: roles, password set, SSH key "
                 "fingerprints.",
        description="Never shows a password or its hash. InDirectory is False for an account whose user has left "
                    "the directory; such an account cannot sign in.",
        examples=(("Get-CsAdminAccount", "Every account."),
                  ('Get-CsAdminAccount -Identity "Ken Myer" | Select-Object -ExpandProperty SshKeyFingerprints',
                   "Ken Myer's key fingerprints, as ssh-keygen -l prints them.")))
class GetCsAdminAccount(Cmdlet):
    Identity = Parameter("UserIdParameter", position=0, from_pipeline=True, from_pipeline_by_property=True,
                         help=_USER_HELP)

    def process(self, ctx: CommandContext) -> None:
        service = accounts_of(ctx)
        directory = directory_of(ctx)
        if self.Identity is None:
            for account in service.all():
                ctx.write_object(account_object(account, bool(directory.resolve(account.distinguished_name,
                                                                                 False))))
            return
        for user in account_users(ctx, self.Identity, allow_orphan=True):
            account = service.for_user(user)
            if account is not None:
                ctx.write_object(account_object(account, bool(user.doc_id)))


def docs_tables() -> str:
    """The generated part of docs/roles.md (between its ``roles-matrix`` markers)."""
    return "\n\n".join((roles.roles_markdown(), roles.rules_markdown(), roles.matrix_markdown(),
                        roles.common_markdown()))


def rewrite_docs(path: str) -> None:
    """Replace the generated block of docs/roles.md (between its ``roles-matrix`` markers) with :func:`docs_tables`."""
    begin, end = "<!-- roles-matrix:begin -->\n", "\n<!-- roles-matrix:end -->"
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    head, rest = text.split(begin, 1)
    tail = rest.split(end, 1)[1]
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(head + begin + docs_tables() + end + tail)


if __name__ == "__main__":      # python -m cmdlets.adminroles: refresh docs/roles.md from the data
    rewrite_docs(os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "docs", "roles.md"))
