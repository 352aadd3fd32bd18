"""Every audit action is in the registry, and nothing else can be recorded."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from audit import services as audit
from audit.actions import Action
from stats.models import ExportJob

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
PRODUCT_APPS = ("accounts", "advisor", "api", "audit", "cases", "content", "ops", "portal", "stats")


def product_files():
    for app in PRODUCT_APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path


def strings_in(node: ast.AST) -> set[str]:
    """Plain string constants in an expression (`"a" if x else "b"` gives both); f-strings
    are left to their own test."""
    if isinstance(node, ast.JoinedStr):
        return set()
    if isinstance(node, ast.Constant):
        return {node.value} if isinstance(node.value, str) else set()
    return set().union(*(strings_in(child) for child in ast.iter_child_nodes(node)))


def actions_written_as_strings(path: Path) -> set[str]:
    """String constants passed as `action=` to a call (audit.record and friends)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Call):
            for keyword in node.keywords:
                if keyword.arg == "action":
                    found |= strings_in(keyword.value)
    return found


def test_every_action_used_in_product_code_is_registered():
    # argparse's add_argument(action="store_true") is the only other `action=` in the code.
    argparse_actions = {"store_true", "store_false", "append", "count"}
    unknown = {
        f"{path.relative_to(ROOT)}: {value}"
        for path in product_files()
        for value in actions_written_as_strings(path) - argparse_actions
        if value not in Action.values
    }
    assert not unknown


def test_export_actions_follow_the_export_kinds():
    # stats.services records f"export.{kind}".
    assert {f"export.{kind}" for kind in ExportJob.Kind.values} <= set(Action.values)


def test_record_refuses_an_unknown_action():
    with pytest.raises(ValueError):
        audit.record(actor=None, action="case.viewed")


def test_record_stores_the_value():
    assert audit.record(actor=None, action=Action.CASE_VIEW).action == "case.view"
    assert audit.record(actor=None, action="case.view").action == "case.view"
