"""The interactive prompt (prompt_toolkit front end). Entry point: :func:`run_repl`."""
from csshell.repl.app import ReplEngine, build_prompt_session, run_repl
from csshell.repl.history import default_history_path, mask_pins

__all__ = ["ReplEngine", "build_prompt_session", "default_history_path", "mask_pins", "run_repl"]
