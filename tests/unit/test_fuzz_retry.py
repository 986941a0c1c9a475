"""scripts/fuzz runs a pass again only when the tool crashed on the CPython parser bug."""

from scripts.fuzz import CPYTHON_PARSER_BUG, only_the_parser_bug


def test_a_crash_on_the_parser_bug_alone_is_run_again() -> None:
    output = f"Runtime Error\n\n{CPYTHON_PARSER_BUG} (before=66, after=60)\n  🚫 Runtime Error: 1\n"
    assert only_the_parser_bug(output)


def test_a_failed_check_is_never_run_again() -> None:
    output = f"{CPYTHON_PARSER_BUG}\n  ❌ ST202 Schema-valid request rejected: 1\n"
    assert not only_the_parser_bug(output)


def test_another_runtime_error_is_never_run_again() -> None:
    assert not only_the_parser_bug("Runtime Error\n  🚫 Runtime Error: 1\n")
