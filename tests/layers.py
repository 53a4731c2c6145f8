"""Which app may import which: the layers of the project, and a checker that finds breaches.

The apps are stacked bottom to top. A module may import from its own package and from any lower
layer, never from a higher one, and two packages side by side in one layer never import each
other. When something low needs to let something high know what happened, it sends a Django
signal: the lower layer announces the event, and the higher layers subscribe in their own
`AppConfig.ready()`. So each app can be read, tested and changed knowing only what lies below it.

Every import counts: the ones at module level, the lazy ones inside functions, relative ones,
`importlib.import_module("...")` with a literal name, and `apps.get_model("label", ...)`,
which is an import under another name. The checker only reads source (with `ast`); it imports
nothing, so it needs neither Django set up nor a database.
"""

import ast
from dataclasses import dataclass
from pathlib import Path

# Bottom to top. The packages in one tuple are siblings at the same level.
LAYERS = [
    ("minilateral",),
    ("networks",),
    ("lessons",),
    ("discussion",),
    ("search",),
    ("moderation",),
    ("notifications",),
    ("questions",),
    ("insights",),
    ("home",),
    ("demo",),
]

# The composition root wires every app together (INSTALLED_APPS, the URL confs of the apps, the
# server entry points), so it must be allowed to name all of them.
EXEMPT = frozenset(
    {"minilateral.settings", "minilateral.urls", "minilateral.asgi", "minilateral.wsgi"}
)


def is_exempt(module, exempt=EXEMPT):
    # Migrations are history: a migration written before code moved refers to functions by the
    # path they had, and rewriting old migrations to follow the layers would change the past.
    return module in exempt or "migrations" in module.split(".")


@dataclass(frozen=True)
class Violation:
    path: str
    line: int
    importer: str
    imported: str
    reason: str

    def __str__(self):
        return f"{self.path}:{self.line} {self.importer} imports {self.imported} ({self.reason})"


def module_name(root, path):
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(tree, module, is_package):
    """Yield (line, dotted name) for every import the module makes, wherever it is written."""
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: climb level - 1 packages up from the module's own package
                base = package.rsplit(".", node.level - 1)[0]
                if node.module:
                    yield node.lineno, f"{base}.{node.module}"
                else:
                    for alias in node.names:
                        yield node.lineno, f"{base}.{alias.name}"
            else:
                yield node.lineno, node.module
        elif isinstance(node, ast.Call) and node.args:
            name = getattr(node.func, "attr", getattr(node.func, "id", None))
            first = node.args[0]
            if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                continue
            if name == "import_module" and not first.value.startswith("."):
                yield node.lineno, first.value
            elif name == "get_model":  # the app label of every app here is its package name
                yield node.lineno, first.value.split(".")[0]


def find_violations(root: Path, layers=LAYERS, exempt=EXEMPT) -> list[Violation]:
    root = Path(root)
    level = {package: i for i, siblings in enumerate(layers) for package in siblings}
    violations = []
    for package in level:
        if not (root / package).is_dir():
            continue  # an app that does not exist yet
        for path in sorted((root / package).rglob("*.py")):
            module = module_name(root, path)
            if is_exempt(module, exempt):
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for line, imported in sorted(imports_of(tree, module, path.name == "__init__.py")):
                other = imported.split(".")[0]
                if other == package or other not in level or level[other] < level[package]:
                    continue
                if level[other] > level[package]:
                    reason = f"{other} is above {package}"
                else:
                    reason = f"{other} and {package} are siblings in one layer"
                rel = path.relative_to(root).as_posix()
                violations.append(Violation(rel, line, module, imported, reason))
    return violations
