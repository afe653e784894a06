"""Parse errors with PowerShell's own error ids and messages (ParserStrings.resx).

The grammar raises :class:`ParseFatal` (a pyparsing fatal exception, so no alternative is tried after
it) at the point where PowerShell's parser would report the error. ``incomplete`` is PowerShell's
``IncompleteInput`` flag: the error was found at the end of the text, so an interactive prompt asks
for another line (``>>``) instead of reporting it.
"""
from __future__ import annotations

from dataclasses import dataclass

import pyparsing as pp

from csshell.language.ast import Extent

MESSAGES = {
    "MissingEndCurlyBrace": "Missing closing '}' in statement block or type definition.",
    "MissingEndParenthesisInExpression": "Missing closing ')' in expression.",
    "MissingEndParenthesisInSubexpression": "Missing closing ')' in subexpression.",
    "MissingEndParenthesisInMethodCall": "Missing ')' in method call.",
    "MissingEndSquareBracket": "Missing ']' after array index expression.",
    "MissingArrayIndexExpression": "Array index expression is missing or not valid.",
    "EmptyPipeElement": "An empty pipe element is not allowed.",
    "MissingStatementBlockAfterElse": "Missing statement block after 'else' keyword.",
    "MissingCatchOrFinally": "The Try statement is missing its Catch or Finally block.",
    "MissingEqualsInHashLiteral": "Missing '=' operator after key in hash literal.",
    "IncompleteHashLiteral": "The hash literal was incomplete.",
    "MissingVariableNameAfterForeach": "Missing variable name after foreach.",
    "MissingInInForeach": "Missing 'in' after variable in foreach loop.",
    "MissingForeachStatement": "Missing statement body in foreach loop.",
    "MissingWhileStatement": "Missing statement body in while loop.",
    "MissingForStatement": "Missing statement body in for loop.",
    "MissingTryStatementBlock": "Missing statement block after 'try'.",
    "MissingCatchHandlerBlock": "Missing statement block in catch block.",
    "MissingTrapStatement": "Missing statement block in trap statement.",
    "MissingFinallyStatementBlock": "Missing statement block after 'finally'.",
    "MissingFunctionBody": "Missing function body in function declaration.",
    "MissingNameAfterKeyword": "Missing name after 'function' keyword.",
    "ExpressionsMustBeFirstInPipeline": "Expressions are only allowed as the first element of a pipeline.",
    "InvalidLeftHandSide": ("The assignment expression is not valid. The input to an assignment operator must be "
                            "an object that is able to accept assignments, such as a variable or a property."),
    "InvalidVariableReferenceWithDrive": ("Variable reference is not valid. ':' was not followed by a valid "
                                          "variable name character. Consider using ${} to delimit the name."),
    "UnexpectedCharactersAfterHereStringHeader": ("No characters are allowed after a here-string header but "
                                                  "before the end of the line."),
    "WhitespaceBeforeHereStringFooter": "White space is not allowed before the string terminator.",
    "MissingTerminatorMultiLineComment": "The terminator '#>' is missing from the multiline comment.",
    "MissingWhileOrUntilInDoWhile": "Missing while or until keyword in do loop.",
    "MissingSwitchStatementClause": "Missing statement block in switch statement clause.",
    "MissingCurlyBraceInSwitchStatement": "Missing opening '{' after switch statement.",
    "MissingEndParenthesisInFunctionParameterList": "Missing ')' in function parameter list.",
    "MissingEndSquareBracketInAttribute": "Missing ']' at end of attribute or type literal.",
    "MissingParameterListForAttribute": "Missing argument list for attribute.",
    "SplattingNotPermitted": ("The splatting operator '@' cannot be used to reference variables in an expression. "
                              "'@{0}' can be used only as an argument to a command. To reference variables in an "
                              "expression use '${0}'."),
    "UnexpectedToken": "Unexpected token '{0}' in expression or statement.",
    "ExpectedValueExpression": "You must provide a value expression following the '{0}' operator.",
    "MissingExpressionAfterOperator": "Missing expression after unary operator '{0}'.",
    "MissingExpressionAfterToken": "Missing expression after '{0}'.",
    "MissingOpenParenthesisInIfStatement": "Missing '(' after '{0}' in if statement.",
    "IfStatementMissingCondition": "Missing condition in if statement after '{0} ('.",
    "MissingExpressionAfterKeyword": "Missing expression after keyword '{0}'.",
    "MissingEndParenthesisAfterStatement": "Missing closing ')' after expression in '{0}' statement.",
    "MissingStatementBlock": "Missing statement block after {0} ( condition ).",
    "MissingOpenParenthesisAfterKeyword": "Missing opening '(' after keyword '{0}'.",
    "MissingForeachExpression": "Missing expression after 'in' in foreach loop.",
    "MissingEndParenthesisAfterForeach": "Missing closing ')' after expression in 'foreach' statement.",
    "MissingArgument": "Missing argument in parameter list.",
    "ControlLeavingFinally": "Control cannot leave a finally block.",
    "MissingPropertyName": "Missing property name after reference operator.",
    "MissingLoopStatement": "Missing statement body in {0} loop.",
    "MissingExpressionInRedirection": "Missing file specification after redirection operator.",
    "MissingExpression": "An expression was expected after '('.",
    "SplattingNotPermittedInArgumentList": ("Splatted variables like '@{0}' cannot be part of a comma-separated "
                                            "list of arguments."),
    "ParameterRequiresArgument": "Parameter {0} requires an argument.",
    "InvalidEndOfLine": "The token '{0}' is not a valid statement separator in this version.",
}


class ParseFatal(pp.ParseFatalException):
    """Raised by the grammar; carries the PowerShell error id and the marker span.

    Everything lives in ``args`` because pyparsing's packrat cache re-creates exceptions from them.
    """

    def __init__(self, s: str, loc: int = 0, error_id: str = "UnexpectedToken", message: str = "",
                 start: int = 0, end: int = 0, incomplete: bool = False) -> None:
        super().__init__(s, loc, message)
        self.args = (s, loc, error_id, message, start, end, incomplete)
        self.error_id = error_id
        self.ps_message = message
        self.span = (start, max(end, start))
        self.incomplete = incomplete


def fatal(s: str, loc: int, error_id: str, *fmt: str, start: int | None = None,
          end: int | None = None, incomplete: bool | None = None) -> ParseFatal:
    """Build a ParseFatal for ``error_id`` (message from :data:`MESSAGES`, ``{0}`` filled by ``fmt``)."""
    message = MESSAGES.get(error_id, error_id)
    if fmt:
        message = message.format(*fmt)
    start = loc if start is None else start
    end = (start + 1 if end is None else end)
    if incomplete is None:
        incomplete = _at_end(s, loc)
    return ParseFatal(s, loc, error_id, message, start, end, incomplete)


def _at_end(s: str, loc: int) -> bool:
    return s[loc:].strip() == ""


@dataclass
class ParseError:
    """One reported parse error."""
    error_id: str
    message: str
    extent: Extent
    incomplete: bool = False


class ParseErrors(Exception):
    """The parse failed; ``errors`` lists what PowerShell would list (we report the first)."""

    def __init__(self, errors: list[ParseError]) -> None:
        super().__init__(errors[0].message)
        self.errors = errors

    @property
    def incomplete(self) -> bool:
        return any(e.incomplete for e in self.errors)
