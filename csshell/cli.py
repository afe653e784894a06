"""The ``csshell`` command line, after ``pwsh``.

    csshell [--store PATH] [-NoProfile] [-NonInteractive]            interactive prompt
    csshell [--store PATH] -Command TEXT | -c TEXT | -Command -      run text (``-`` reads stdin)
    csshell [--store PATH] -File SCRIPT [args...] | SCRIPT.ps1 [args] run a script

Exit codes as pwsh: ``-File`` → 0, ``N`` on ``exit N``, 1 on a parse error or an uncaught
terminating error; ``-Command`` → 0 when the last statement succeeded, else 1. Output goes to stdout,
error records to stderr. Parameter names are case-insensitive and may be abbreviated, as in pwsh.
The store is ``--store``, else ``$CSSHELL_STORE``, else one in the user's data folder, created from
the bundled example directory on first use. Any other store path that does not exist yet becomes a
new, empty store when a command first uses it, with one notice line on stderr (a mistyped path
would otherwise look like a store without users). ``csshell [--store PATH] serve ...`` starts the
SSH server (csshell/remote/command.py); a usage error exits 64 there too.
"""
from __future__ import annotations

import contextlib
import gc
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

USAGE = """Usage: csshell [--store PATH] [-NoProfile] [-NonInteractive]
               [-Command TEXT | -c TEXT | -Command - | -File SCRIPT [ARGS...] | SCRIPT.ps1 [ARGS...]]
       csshell [--store PATH] serve [--listen ADDR:PORT] [...]   (csshell serve --help for its options)

  -Command, -c TEXT   run TEXT (the rest of the command line) and exit; '-' reads it from stdin
  -File, -f SCRIPT    run a .ps1 script; later arguments are the script's parameters
  -NoProfile          accepted for pwsh compatibility (csshell has no profile script)
  -NonInteractive     never prompt (missing mandatory parameters are errors)
  --store PATH        the directory store file (default: $CSSHELL_STORE, else the user data folder)
  -Help, -?           this text
"""

_OPTIONS = {"command": "command", "c": "command", "file": "file", "f": "file", "noprofile": "noprofile",
            "nop": "noprofile", "noninteractive": "noninteractive", "noni": "noninteractive",
            "nologo": "nologo", "help": "help", "?": "help", "h": "help", "executionpolicy": "executionpolicy",
            "ep": "executionpolicy", "store": "store", "version": "version"}


@dataclass
class Options:
    command: str | None = None
    file: str | None = None
    script_args: list[str] = field(default_factory=list)
    store: str | None = None
    no_profile: bool = False
    non_interactive: bool = False
    help: bool = False
    version: bool = False


class UsageError(Exception):
    pass


def _option_name(arg: str) -> str | None:
    if not arg.startswith(("-", "/")) or arg in ("-", "--"):
        return None
    name = arg.lstrip("-/").lower()
    if name.startswith("store="):
        return "store"
    if name in _OPTIONS:
        return _OPTIONS[name]
    matches = {v for k, v in _OPTIONS.items() if k.startswith(name)}
    if len(matches) == 1:
        return matches.pop()
    raise UsageError(f"The argument '{arg}' is not recognized as the name of a command line parameter."
                     if not matches else f"The argument '{arg}' is ambiguous.")


def parse_args(argv: list[str]) -> Options:
    opts = Options()
    i = 0
    while i < len(argv):
        arg = argv[i]
        name = _option_name(arg)
        if name is None:
            if arg.lower().endswith(".ps1"):
                opts.file, opts.script_args = arg, argv[i + 1:]
                return opts
            opts.command = " ".join(argv[i:])
            return opts
        if name == "store" and "=" in arg:           # --store=PATH
            opts.store = _store_argument(arg, arg.split("=", 1)[1])
            i += 1
            continue
        if name in ("command", "file", "store", "executionpolicy"):
            if i + 1 >= len(argv):
                raise UsageError(f"Missing argument for parameter {arg}.")
            if name == "command":
                opts.command = " ".join(argv[i + 1:])
                return opts
            if name == "file":
                opts.file, opts.script_args = argv[i + 1], argv[i + 2:]
                return opts
            if name == "store":
                opts.store = _store_argument(arg, argv[i + 1])
            i += 2
            continue
        setattr(opts, name.replace("nologo", "no_profile").replace("noprofile", "no_profile")
                .replace("noninteractive", "non_interactive"), True)
        i += 1
    return opts


def _store_argument(option: str, path: str) -> str:
    """An empty ``--store`` is a mistake (an unset variable in a scheduled task's command line), never
    a request for the default store in the user's data folder."""
    if not path.strip():
        raise UsageError(f"The argument for parameter {option.split('=', 1)[0]} is empty: give the store file's path.")
    return path


def serve_arguments(argv: list[str]) -> list[str] | None:
    """The ``csshell serve`` arguments when ``serve`` is the subcommand, else ``None``.

    ``serve`` may follow the global options (``csshell --store X serve --listen ...``): a ``--store``
    given there is passed on (a ``--store`` after ``serve`` still wins), ``-NoProfile`` and
    ``-NonInteractive`` mean nothing to a server and are dropped. Anything else before ``serve``
    (``-c``, ``-File``, an unknown option) leaves the line to the shell's own parser.
    """
    forwarded: list[str] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "serve":
            return forwarded + argv[i + 1:]
        try:
            name = _option_name(arg)
        except UsageError:
            return None
        if name == "store" and "=" in arg:
            forwarded += ["--store", arg.split("=", 1)[1]]
            i += 1
        elif name == "store" and i + 1 < len(argv):
            forwarded += ["--store", argv[i + 1]]
            i += 2
        elif name in ("noprofile", "noninteractive", "nologo"):
            i += 1
        elif name == "executionpolicy" and i + 1 < len(argv):
            i += 2
        else:
            return None
    return None


def default_store_path() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "csshell" / "store.json"


def example_directory() -> Path:
    return Path(__file__).resolve().parent.parent / "examples" / "directory.csv"


def resolve_store(opts: Options) -> tuple[str, bool]:
    """The store path, and whether it must be seeded from the bundled example directory."""
    explicit = opts.store or os.environ.get("CSSHELL_STORE")
    if explicit:
        return explicit, False
    path = default_store_path()
    return str(path), not path.exists()


def _seed(path: str) -> None:
    """First use of the default store: create it from examples/directory.csv, with a one-line notice."""
    from csshell.store import open_store
    source = example_directory()
    store = open_store(path)
    try:
        with store.statement():
            if source.exists():
                store.directory.import_file(str(source))
    finally:
        store.close()
    sys.stderr.write(f"csshell: created a new store at {path} from {source}\n")


def _never_fail_on_encoding() -> None:
    """Text we cannot encode (a lone surrogate from ``[char]0xD800``, undecodable argv bytes) prints as ``?``."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="replace")
            except (ValueError, OSError):
                pass


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    _never_fail_on_encoding()
    serve_argv = serve_arguments(argv)
    if serve_argv is not None:
        from csshell.remote.command import main as serve_main  # asyncssh is imported only by the server
        return serve_main(serve_argv)
    try:
        opts = parse_args(argv)
    except UsageError as err:
        sys.stderr.write(f"{err}\n\n{USAGE}")
        return 64
    if opts.help:
        sys.stdout.write(USAGE)
        return 0
    if opts.version:
        from importlib.metadata import version
        sys.stdout.write(f"csshell {version('csshell')}\n")
        return 0
    store_path, needs_seed = resolve_store(opts)
    if needs_seed:
        try:
            _seed(store_path)
        except Exception as exc:  # report, never a traceback; the shell still starts
            sys.stderr.write(f"csshell: cannot create the store at {store_path}: {exc}\n")
    try:
        return _run(opts, store_path)
    except KeyboardInterrupt:
        return 130


def may_prompt(opts: Options, stdin) -> bool:
    """Whether a ``-File``/``-Command`` run may ask questions (mandatory parameters, ``-Confirm``).

    As pwsh: only when a person is at the terminal (stdin is a tty), never under ``-NonInteractive``
    and never when the command text itself comes from stdin (``-Command -``).
    """
    if opts.non_interactive or opts.command == "-" or (opts.file is None and opts.command is None):
        return False
    try:
        return stdin.isatty()
    except (AttributeError, ValueError):
        return False


def new_store_notice(path: str, made_folder: bool) -> str:
    """The one stderr line saying that a store file was created empty (a mistyped --store shows here)."""
    where = f"'{os.path.abspath(path)}'" + (" (and its folder)" if made_folder else "")
    return f"csshell: created a new, empty store at {where}; load users with Import-CsDirectory.\n"


def settle_heap() -> None:
    """Take what is alive now (the loaded store: 100,000 documents) out of the cyclic GC's reach.

    Python's full collections walk every tracked object; with the store loaded, one walk costs tens of
    milliseconds, and a bulk command that makes 100,000 records triggers several (measured: the bulk
    unlock at 100,000 users 0.70 s -> 0.55 s). The documents hold no reference cycles, so they are freed
    by reference counting all the same. Only this one-session process does it: a server's sessions come
    and go, and frozen cycles of an ended session would never be collected.
    """
    gc.freeze()


def store_opener(store_path: str):
    """Opens the store when a command first touches it, with a notice if that created the file.

    Without the notice a mistyped ``--store`` path looks like a store with no users: ``(Get-CsUser).Count``
    prints 0 and exits 0. The notice goes to stderr, so output and exit codes stay as they were; a
    command that never touches the store creates nothing and says nothing.
    """
    def opener():
        from csshell.store import open_store  # imported when a command first touches the store
        existed = os.path.exists(store_path)
        folder_existed = os.path.isdir(os.path.dirname(os.path.abspath(store_path)))
        store = open_store(store_path)
        if not existed:
            sys.stderr.write(new_store_notice(store_path, made_folder=not folder_existed))
            sys.stderr.flush()
        settle_heap()
        return store
    opener.store_path = os.path.abspath(store_path)      # type: ignore[attr-defined]  (read by the Engine)
    return opener


def _create_before_prompting(opener) -> None:
    """The interactive shell creates a missing store before the first prompt, so that the notice
    is not printed in the middle of the line being edited (completion may open the store)."""
    with contextlib.suppress(Exception):   # an unusable store is reported by the engine, as a record, when used
        opener().close()


def _run(opts: Options, store_path: str) -> int:
    from csshell.runtime.host import ConsoleHost

    opener = store_opener(store_path)
    if opts.file is None and opts.command is None and sys.stdin.isatty() and not opts.non_interactive:
        from csshell.engine import Engine
        from csshell.repl.app import default_history_path, run_repl
        if not os.path.exists(store_path):
            _create_before_prompting(opener)
        return run_repl(lambda host: Engine(host, opener), history_path=default_history_path())
    from csshell.engine import Engine
    host = ConsoleHost(interactive=may_prompt(opts, sys.stdin))
    engine = Engine(host, opener, origin="script" if opts.file else "command")
    try:
        if opts.file is not None:
            if not opts.file.lower().endswith(".ps1"):
                sys.stderr.write(f"Processing -File '{opts.file}' failed because the file does not have a '.ps1' "
                                 "extension. Specify a valid Windows PowerShell script file name, and then try "
                                 "again.\n")
                return 64
            if not os.path.isfile(opts.file):
                sys.stderr.write(f"The argument '{opts.file}' to the -File parameter does not exist. Provide the path "
                                 "to an existing '.ps1' file as an argument to the -File parameter.\n")
                return 64
            engine.session.origin = f"script {os.path.abspath(opts.file)}"
            return engine.run_file(opts.file, opts.script_args)
        text = read_stdin(sys.stdin) if opts.command in (None, "-") else opts.command
        ok = engine.run_command_text(text)
        if engine.exit_code is not None:
            return engine.exit_code
        return 0 if ok else 1
    finally:
        engine.close()


def read_stdin(stdin) -> str:
    """``-Command -`` text: decoded like a script file (BOM, UTF-8, Windows-1252), so any bytes are accepted."""
    from csshell.runtime.script_text import decode_text
    buffer = getattr(stdin, "buffer", None)
    return decode_text(buffer.read()) if buffer is not None else stdin.read()
