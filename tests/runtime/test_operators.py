"""PowerShell 5.1 operator semantics (about_Comparison_Operators, about_Arithmetic_Operators, verify-ps51 §6)."""
from __future__ import annotations

import datetime as dt

import pytest

from csshell.runtime.errors import PSError
from csshell.runtime.operators import (binary_op, compare_values, equals, match_op, split_by_predicate,
                                       split_uses_predicate, unary_op, wildcard_match,
                                       wildcard_to_regex)
from csshell.runtime.values import PSHashtable, PSObject, ScriptBlock


def error_of(fn, *args):
    with pytest.raises(PSError) as info:
        fn(*args)
    return info.value.record


# --- the right operand takes the type of the left ---------------------------------------------

@pytest.mark.parametrize("op, left, right, expected", [
    ("eq", "1.0", 1, False),
    ("eq", 1, "1.0", True),
    ("eq", True, "false", True),
    ("eq", False, "", True),
    ("eq", "abc", "ABC", True),
    ("ceq", "abc", "ABC", False),
    ("ieq", "abc", "ABC", True),
    ("ne", "a", "b", True),
    ("eq", 1, "abc", False),
    ("eq", 2, "1.5", True),              # [int]'1.5' rounds to even: 2
    ("eq", 2, 1.5, False),
    ("gt", 10, "9", True),
    ("gt", "10", 9, False),              # string comparison: "10" < "9"
    ("lt", "apple", "Banana", True),
    ("clt", "a", "A", True),             # culture order: lower case first
    ("eq", 1.0, 1, True),
])
def test_scalar_comparison_converts_right_to_left_type(op, left, right, expected):
    assert binary_op(op, left, right) is expected


def test_date_comparison_with_text_on_the_right():
    when = dt.datetime(2026, 3, 14)
    assert binary_op("eq", when, "3/14/2026") is True
    assert binary_op("lt", when, "2026-03-15") is True
    assert binary_op("gt", when, dt.datetime(2026, 1, 1)) is True


def test_incomparable_ordering_is_a_comparison_failure():
    record = error_of(binary_op, "lt", 1, "abc")
    assert record.error_id == "ComparisonFailure"
    assert record.message.startswith('Could not compare "1" to "abc".')


# --- $null (verify-ps51 §6) ---------------------------------------------------------------------

@pytest.mark.parametrize("op, right, expected", [
    ("lt", dt.datetime(2026, 1, 1), True),
    ("gt", 5, False),
    ("lt", 5, True),
    ("lt", -5, False),
    ("ge", 0, False),
    ("le", 0, True),
    ("eq", None, True),
    ("eq", 0, False),
    ("eq", "", False),
    ("ne", None, False),
])
def test_null_on_the_left(op, right, expected):
    assert binary_op(op, None, right) is expected


def test_null_left_with_empty_array_right_is_false_but_array_left_filters():
    assert binary_op("eq", None, []) is False
    assert binary_op("eq", [], None) == []
    assert binary_op("eq", [1, None, 2, None], None) == [None, None]


def test_number_on_the_left_orders_null_as_zero():
    assert binary_op("gt", 5, None) is True
    assert binary_op("lt", -5, None) is True


# --- collections on the left filter -------------------------------------------------------------

def test_collection_left_filters_equality_and_order():
    assert binary_op("eq", [1, 2, 1, 3], 1) == [1, 1]
    assert binary_op("ne", [1, 2, 3], 2) == [1, 3]
    assert binary_op("gt", [1, 5, 10], 4) == [5, 10]
    assert binary_op("eq", ["a", "B"], "b") == ["B"]
    assert binary_op("ceq", ["a", "B"], "b") == []


def test_collection_left_filters_like_and_match():
    assert binary_op("like", ["Ken Myer", "Pilar", "Kim"], "k*") == ["Ken Myer", "Kim"]
    assert binary_op("notlike", ["Ken Myer", "Pilar"], "k*") == ["Pilar"]
    result, matches = match_op(["abc", "xyz", "ABD"], "^ab", False, False)
    assert result == ["abc", "ABD"] and matches is None


@pytest.mark.parametrize("op, left, right, expected", [
    ("contains", [1, 2, "3"], 3, True),
    ("contains", ["Ken Myer"], "ken myer", True),
    ("ccontains", ["Ken Myer"], "ken myer", False),
    ("contains", "abc", "b", False),       # not a substring test
    ("notcontains", [1, 2], 3, True),
    ("in", "B", ["a", "b"], True),
    ("notin", "c", ["a", "b"], True),
    ("in", 1, "1", True),
])
def test_containment_uses_equality(op, left, right, expected):
    assert binary_op(op, left, right) is expected


# --- wildcards ------------------------------------------------------------------------------------

@pytest.mark.parametrize("pattern, text, expected", [
    ("ken*", "Ken Myer", True),
    ("k?n*", "KEN", True),
    ("[a-c]*", "beta", True),
    ("[a-c]*", "delta", False),
    ("a`*b", "a*b", True),
    ("a`*b", "axb", False),
    ("*.csv", "list.CSV", True),
    ("exact", "exactly", False),
])
def test_wildcard_match(pattern, text, expected):
    assert wildcard_match(pattern, text) is expected


def test_wildcard_case_sensitive_and_regex_anchored():
    assert wildcard_match("Ken*", "ken", case_sensitive=True) is False
    assert wildcard_to_regex("a*").pattern.startswith("^")
    assert binary_op("clike", "Ken", "K*") is True


def test_bad_wildcard_is_an_error_record():
    record = error_of(binary_op, "like", "a", "[a")
    assert "wildcard character pattern is not valid" in record.message


# --- -match and $Matches --------------------------------------------------------------------------

def test_scalar_match_returns_matches_table_in_powershell_order():
    result, matches = match_op("Ken Myer", r"(?<first>\w+) (\w+)", False, False)
    assert result is True
    assert matches["first"] == "Ken"
    assert matches[0] == "Ken Myer" and matches[1] == "Myer"
    assert list(matches.keys()) == ["first", 1, 0]


def test_unnamed_groups_are_numbered_before_named_ones_as_in_dotnet():
    assert binary_op("replace", "Ken Myer", [r"(?<f>\w+) (\w+)", "$1/${f}"]) == "Myer/Ken"


def test_failed_match_leaves_matches_unchanged_and_notmatch_negates():
    assert match_op("abc", "z", False, False) == (False, None)
    assert match_op("abc", "z", True, False) == (True, None)
    assert binary_op("match", "ABC", "b") is True
    assert binary_op("cmatch", "ABC", "b") is False
    assert binary_op("notmatch", "ABC", "b") is False


def test_invalid_regex_is_an_error_record():
    record = error_of(binary_op, "match", "a", "[")
    assert record.error_id == "InvalidRegularExpression"
    assert record.message == "The regular expression pattern [ is not valid."


# --- -replace, -split, -join ----------------------------------------------------------------------

def test_replace_with_groups_and_case_insensitivity():
    assert binary_op("replace", "Hello World", [r"(\w+) (\w+)", "$2 $1"]) == "World Hello"
    assert binary_op("replace", "Hello", "L") == "Heo"
    assert binary_op("creplace", "Hello", "L") == "Hello"
    assert binary_op("replace", "a-b", ["-", "$$"]) == "a$b"
    assert binary_op("replace", "Ken Myer", [r"(?<f>\w+) (?<l>\w+)", "${l}, ${f}"]) == "Myer, Ken"


def test_replace_maps_over_a_collection_and_rejects_three_operands():
    assert binary_op("replace", ["aa", "ba"], "a") == ["", "b"]
    record = error_of(binary_op, "replace", "x", ["a", "b", "c"])
    assert record.error_id == "BadReplaceArgument"
    assert record.message == "The -replace operator allows only two elements to follow it, not 3."


def test_split_regex_max_count_and_options():
    assert binary_op("split", "a,b,,c", ",") == ["a", "b", "", "c"]
    assert binary_op("split", "a1b2c3", [r"\d", 2]) == ["a", "b2c3"]
    assert binary_op("split", "aXbxc", "x") == ["a", "b", "c"]
    assert binary_op("csplit", "aXbxc", "x") == ["aXb", "c"]
    assert binary_op("split", "a.b", [".", 0, "SimpleMatch"]) == ["a", "b"]
    assert binary_op("split", ["a b", "c d"], " ") == ["a", "b", "c", "d"]


def test_split_negative_count_returns_every_piece_as_in_51():
    # 5.1's SplitWithPattern turns a negative limit into 0; splitting from the right is PowerShell 7
    assert binary_op("split", "a b c d", [" ", -3]) == ["a", "b", "c", "d"]
    assert binary_op("split", "a b c d", [" ", -1]) == ["a", "b", "c", "d"]


def test_split_options_map_to_regex_options():
    assert binary_op("split", "a:b", ["(:)", 0, "ExplicitCapture"]) == ["a", "b"]
    assert binary_op("split", "a:b", ["(?<c>:)", 0, "ExplicitCapture"]) == ["a", ":", "b"]
    assert binary_op("split", "a(:)b", [r"\(:\)", 0, "ExplicitCapture"]) == ["a", "b"]
    assert binary_op("split", "abc", ["B", 0, "SimpleMatch,IgnoreCase"]) == ["a", "c"]
    assert binary_op("csplit", "abc", ["B", 0, "SimpleMatch"]) == ["abc"]
    assert binary_op("split", "a12a\nb34b", ["^b", 0, "Multiline"]) == ["a12a\n", "34b"]
    assert binary_op("split", "a12a\nb34b", ["^b", 0, ""]) == ["a12a\nb34b"]
    assert binary_op("split", "x\ny", ["x.y", 0, "Singleline"]) == ["", ""]
    assert binary_op("split", "ab", ["a b", 0, "IgnorePatternWhitespace, CultureInvariant"]) == ["", ""]


def test_split_rejects_unknown_and_conflicting_options():
    record = error_of(binary_op, "split", "abc", ["B", 0, "Foo"])
    assert record.error_id == "InvalidCastFromStringToEnum"
    assert "identifier name Foo" in record.message and "ExplicitCapture" in record.message
    for options in ("RegexMatch,SimpleMatch", "SimpleMatch,Multiline", "Multiline,Singleline"):
        assert error_of(binary_op, "split", "abc", ["B", 0, options]).error_id == "InvalidSplitOptionCombination"


def test_split_by_predicate_ends_a_piece_at_each_delimiter_character():
    block = ScriptBlock('$_ -eq "b" -or $_ -eq "C"', None)
    calls: list[tuple[str, str, int]] = []

    def is_b_or_c(sb, char, text, index):
        calls.append((char, text, index))
        return char.lower() in "bc"
    assert split_by_predicate("a::b::c::d", block, is_b_or_c) == ["a::", "::", "::d"]
    assert calls[3] == ("b", "a::b::c::d", 3)
    assert split_by_predicate("a::b::c::d", [block, 2], is_b_or_c) == ["a::", "::c::d"]
    assert split_by_predicate("abc", [block, 1], is_b_or_c) == ["abc"]
    assert split_by_predicate("ab", block, is_b_or_c) == ["a", ""]
    assert split_by_predicate(["xb", "cy"], block, is_b_or_c) == ["x", "", "", "y"]
    assert split_uses_predicate([block, 2]) and not split_uses_predicate(["b", 2])
    assert error_of(split_by_predicate, "ab", [block, 0, "SimpleMatch"], is_b_or_c).error_id == \
        "InvalidSplitOptionWithPredicate"
    assert error_of(binary_op, "split", "ab", block).error_id == "BadOperatorArgument"


def test_unary_split_trims_and_splits_on_whitespace():
    assert unary_op("split", "  red  yellow blue ") == ["red", "yellow", "blue"]


def test_join_binary_and_unary():
    assert binary_op("join", [1, 2, 3], ", ") == "1, 2, 3"
    assert binary_op("join", "solo", "-") == "solo"
    assert unary_op("join", ["a", "b", "c"]) == "abc"


# --- arithmetic -----------------------------------------------------------------------------------

@pytest.mark.parametrize("op, left, right, expected", [
    ("+", 1, "2", 3),
    ("+", "1", 2, "12"),
    ("+", "a", [1, 2], "a1 2"),
    ("+", None, 5, 5),
    ("+", True, 1, 2),
    ("-", "5", 2, 3),
    ("*", "ab", 3, "ababab"),
    ("*", 2.5, 2, 5.0),
    ("/", 7, 2, 3.5),
    ("/", 6, 2, 3),
    ("%", 7, 3, 1),
    ("%", -7, 3, -1),
    ("+", 2**63 - 1, 1, 9.223372036854776e18),
])
def test_arithmetic(op, left, right, expected):
    result = binary_op(op, left, right)
    assert result == expected and type(result) is type(expected)


def test_array_addition_builds_a_new_array():
    original = [1, 2]
    assert binary_op("+", original, 3) == [1, 2, 3]
    assert binary_op("+", original, [3, 4]) == [1, 2, 3, 4]
    assert original == [1, 2]
    assert binary_op("*", [0], 3) == [0, 0, 0]


def test_hashtable_addition_merges_and_duplicate_key_fails():
    merged = binary_op("+", PSHashtable([("a", 1)]), PSHashtable([("b", 2)]))
    assert dict(merged.items()) == {"a": 1, "b": 2}
    record = error_of(binary_op, "+", PSHashtable([("a", 1)]), PSHashtable([("A", 2)]))
    assert record.message == "Item has already been added. Key in dictionary: 'a'  Key being added: 'A'"
    assert error_of(binary_op, "+", PSHashtable(), 1).error_id == "AddHashTableToNonHashTable"


def test_date_arithmetic():
    a, b = dt.datetime(2026, 3, 14, 12), dt.datetime(2026, 3, 10)
    assert binary_op("-", a, b) == dt.timedelta(days=4, hours=12)
    assert binary_op("+", b, dt.timedelta(days=1)) == dt.datetime(2026, 3, 11)
    assert binary_op("-", a, dt.timedelta(hours=12)) == dt.datetime(2026, 3, 14)
    assert error_of(binary_op, "+", a, 1).error_id == "MethodNotFound"


def test_division_by_zero_and_bad_number_text():
    record = error_of(binary_op, "/", 1, 0)
    assert (record.message, record.error_id, record.category) == ("Attempted to divide by zero.",
                                                                  "RuntimeException", "NotSpecified")
    assert error_of(binary_op, "%", 5, 0).message == "Attempted to divide by zero."
    record = error_of(binary_op, "-", "a", 1)
    assert record.message == ('Cannot convert value "a" to type "System.Int32". Error: "Input string was not '
                              'in a correct format."')
    assert record.error_id == "InvalidCastFromStringToInteger"
    assert record.category == "InvalidArgument"


def test_subtracting_from_an_array_names_the_missing_operator():
    record = error_of(binary_op, "-", [1, 2], 1)
    assert record.message == ("Method invocation failed because [System.Object[]] does not contain a method "
                              "named 'op_Subtraction'.")


# --- unary, bitwise, logical, type operators ------------------------------------------------------

def test_unary_operators():
    assert unary_op("-", 5) == -5
    assert unary_op("-", "5") == -5
    assert unary_op("!", []) is True
    assert unary_op("not", "False") is False
    assert unary_op(",", [1, 2]) == [[1, 2]]
    assert unary_op("bnot", 0) == -1


def test_bitwise_and_logical():
    assert binary_op("band", 6, 3) == 2
    assert binary_op("bor", 4, "1") == 5
    assert binary_op("bxor", 5, 1) == 4
    assert binary_op("xor", True, False) is True
    assert binary_op("shl", 1, 4) == 16


def test_type_operators():
    assert binary_op("is", 5, "int") is True
    assert binary_op("is", "x", "[string]") is True
    assert binary_op("isnot", 5, "System.String") is True
    assert binary_op("is", [1], "array") is True
    assert binary_op("is", PSObject({"a": 1}), "pscustomobject") is True
    assert binary_op("is", None, "object") is False
    assert binary_op("as", "42", "int") == 42
    assert binary_op("as", "x", "int") is None
    assert binary_op("as", "3/14/2026", "datetime") == dt.datetime(2026, 3, 14)
    record = error_of(binary_op, "is", 5, "Foo")
    assert (record.message, record.error_id) == ("Unable to find type [Foo].", "TypeNotFound")


# --- ordering and equality helpers ------------------------------------------------------------------

def test_compare_values_orders_like_sort_object():
    values = ["banana", "Apple", "cherry", None, "apple"]
    from functools import cmp_to_key
    assert sorted(values, key=cmp_to_key(compare_values)) == [None, "Apple", "apple", "banana", "cherry"]
    assert compare_values(2, 10) == -1
    assert compare_values("2", "10") == 1
    assert compare_values(dt.datetime(2026, 1, 1), dt.datetime(2025, 1, 1)) == 1
    assert compare_values("a", "A", case_sensitive=True) == -1


def test_equals_only_null_equals_null_and_objects_by_identity():
    obj = PSObject({"a": 1})
    assert equals(None, None) and not equals(None, "") and not equals("", None)
    assert equals(obj, obj) and not equals(obj, PSObject({"a": 1}))
    assert equals("ABC", "abc") and not equals("ABC", "abc", case_sensitive=True)


def test_unknown_operator_is_an_error_record():
    assert error_of(binary_op, "frob", 1, 2).error_id == "UnexpectedToken"


# --- a collection on the RIGHT of -eq (verified against PowerShell 5.1's binder) ------------------
# PSBinaryOperationBinder.BinaryEqualityComparison converts the right operand to the left's type with
# LanguagePrimitives: object[] -> Int32 has no conversion (so Object.Equals decides: False), while
# object[] -> String joins the elements with $OFS and object[] -> Boolean is the array's truthiness.

@pytest.mark.parametrize("op, left, right, expected", [
    ("eq", 1, [1], False),
    ("ne", 1, [1], True),
    ("eq", "1", [1], True),
    ("eq", "1 2", [1, 2], True),
    ("eq", True, [1], True),
    ("eq", False, [], True),
])
def test_collection_on_the_right_is_converted_to_the_left_type(op, left, right, expected):
    assert binary_op(op, left, right) is expected


def test_ordering_a_number_against_a_collection_is_a_comparison_failure():
    with pytest.raises(PSError) as info:
        binary_op("lt", 1, [2])
    assert info.value.record.error_id == "ComparisonFailure"


# --- one DateTime parser behind -eq, casts and [datetime]::Parse -----------------------------------

@pytest.mark.parametrize("text", ["Saturday, March 14, 2026", "3/14/26", "14 March 2026", "2026/03/14"])
def test_date_equality_accepts_every_form_datetime_parse_accepts(text):
    assert binary_op("eq", dt.datetime(2026, 3, 14), text) is True
