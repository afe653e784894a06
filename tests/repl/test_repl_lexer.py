from prompt_toolkit.document import Document

from csshell.repl.lexer import BUILTIN_STYLE, UNKNOWN_COMMAND_STYLE, ShellLexer


def styles_of(text, names):
    line = ShellLexer(lambda: names).lex_document(Document(text))(0)
    return {fragment[1].strip(): fragment[0] for fragment in line if fragment[1].strip()}


def test_known_cmdlet_keeps_builtin_colour_and_unknown_is_marked():
    styles = styles_of("Lock-CsClientPin -Identity x | Get-CsUzer", ["Lock-CsClientPin", "Get-CsUser"])
    assert styles["Lock-CsClientPin"] == BUILTIN_STYLE
    assert styles["Get-CsUzer"] == UNKNOWN_COMMAND_STYLE


def test_command_names_compare_case_insensitively():
    styles = styles_of("lock-csclientpin x", ["Lock-CsClientPin"])
    assert styles["lock-csclientpin"] == BUILTIN_STYLE


def test_strings_and_variables_are_coloured():
    styles = styles_of('$u = "Ken"', [])
    assert styles["$u"] == "class:pygments.name.variable"
    assert "string" in styles["Ken"]


def test_failing_name_source_leaves_plain_pygments_colours():
    def broken():
        raise RuntimeError("no engine")

    line = ShellLexer(broken).lex_document(Document("Get-Nothing"))(0)
    assert line[0][0] == BUILTIN_STYLE
