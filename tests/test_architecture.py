"""The rooms of the house and the direction of their imports (see README, "Layout")."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# room → (its folder, the folders inside it that are other rooms, what it must never import)
ROOMS = {
    "articles": ("articles", ["articles/takedown"], {"takedown", "search", "trending", "juredian"}),
    "takedown": ("articles/takedown", [], {"search", "trending", "juredian"}),
    "search": ("search", [], {"trending", "juredian"}),
    "trending": ("trending", [], {"search", "juredian"}),
}


def imported_rooms(source: str, package: tuple[str, ...]) -> set[str]:
    """The rooms a module imports (`articles.takedown…` counts as takedown), relative imports
    resolved against the module's own package."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = list(package[: len(package) - node.level + 1]) if node.level else []
            module = [*base, *(node.module or "").split(".")] if node.module else base
            names = [".".join(module)] + [".".join([*module, a.name]) for a in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            found.add("takedown" if parts[:2] == ["articles", "takedown"] else parts[0])
    return found


def modules_of(room: str):
    """(path, the rooms it imports) of each module of a room, migrations aside."""
    folder, others, _ = ROOMS[room]
    for path in sorted((ROOT / folder).rglob("*.py")):
        relative = path.relative_to(ROOT)
        if "migrations" in relative.parts or any(
            relative.as_posix().startswith(other + "/") for other in others
        ):
            continue
        package = relative.with_suffix("").parts[:-1]
        yield relative.as_posix(), imported_rooms(path.read_text(), package)


@pytest.mark.parametrize("room", ROOMS)
def test_imports_run_one_way(room):
    forbidden = ROOMS[room][2]
    wrong = {
        path: sorted(rooms & forbidden) for path, rooms in modules_of(room) if rooms & forbidden
    }
    assert not wrong, f"{room} imports what it must not: {wrong}"


def test_the_rule_sees_relative_imports():
    """`from ..takedown import x` inside articles/admin/ would be a takedown import."""
    package = ("articles", "admin")
    assert "takedown" in imported_rooms("from ..takedown import services", package)
    assert "takedown" in imported_rooms("from .. import takedown", package)
    assert "takedown" in imported_rooms("import articles.takedown.models", package)
    assert imported_rooms("from ..models import Article", package) == {"articles"}


def test_no_background_work_starts_from_templates_or_receivers():
    places = [
        *ROOT.glob("*/templatetags/*.py"),
        *ROOT.glob("*/receivers.py"),
        *ROOT.glob("templates/**/*.html"),
    ]
    for path in places:
        text = path.read_text()
        assert "ensure_background_worker" not in text and "threading" not in text, path
