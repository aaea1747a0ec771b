"""python/kontingent/_core.pyi against the built module: the stub is hand-written, so this test is
what keeps it true.

Both ways, for the module as users see it (after ``import kontingent``, which attaches _model.py's
methods): every public name of ``kontingent._core`` is in the stub and every name of the stub is in
the module; every class has the same bases, public methods, properties and protocol methods
(``__init__``, ``__len__``, ``__getitem__``, …), with the same kind (method, staticmethod,
read-only or writable property); and every function and method takes the same parameters — names,
order, positional-only / keyword-only, which have defaults, and the default itself where both sides
spell it as a literal. pybind11 functions are read from their docstring signature lines (a set of
``1. name(...)`` lines for overloads, compared with the stub's ``@overload`` set), Python functions
with ``inspect.signature``.

Type aliases exist in the stub only, so they must be private (``_MoneyLike``): a public alias would
let a type checker accept ``from kontingent._core import MoneyLike``, which fails at runtime.
"""

from __future__ import annotations

import ast
import inspect
import re
import types
from dataclasses import dataclass, field

import pytest

import kontingent  # noqa: F401  (attaches _model.py's methods to the _core classes)
from conftest import SOURCE
from kontingent import _core

STUB = SOURCE / "python" / "kontingent" / "_core.pyi"

# Dunder methods that change what a type checker allows (len(x), x[i], for … in x, x(…), with x):
# when the module defines one, the stub must declare it. __eq__, __repr__, __copy__, pickling and
# the like exist on every object as far as a type checker knows, and are left out.
PROTOCOL = frozenset({
    "__init__", "__len__", "__getitem__", "__setitem__", "__delitem__", "__iter__", "__next__",
    "__reversed__", "__contains__", "__call__", "__enter__", "__exit__", "__bool__", "__int__",
    "__float__", "__index__", "__lt__", "__le__", "__gt__", "__ge__", "__add__", "__sub__",
})


class _Unknown:
    """A default neither side spells as a literal (``...`` in a stub, an object repr in pybind11)."""

    def __repr__(self) -> str:
        return "…"


UNKNOWN = _Unknown()
NO_DEFAULT = object()


@dataclass(frozen=True)
class Param:
    name: str
    kind: str  # positional_only, positional, var_positional, keyword_only, var_keyword
    default: object = NO_DEFAULT

    def shape(self) -> str:
        prefix = {"var_positional": "*", "var_keyword": "**"}.get(self.kind, "")
        return prefix + self.name + ("" if self.default is NO_DEFAULT else "=")


@dataclass(frozen=True)
class Signature:
    params: tuple[Param, ...]
    bound: bool = False  # a method's: the first parameter is the instance

    def as_method(self) -> Signature:
        """The instance is passed by position only and its name is nobody's business (_model.py's
        functions call it ``book``, ``owner``, ``r``): it becomes positional-only, so that the key
        leaves its name out."""
        if not self.params or self.params[0].kind not in ("positional", "positional_only"):
            return Signature(self.params, bound=True)
        return Signature((Param(self.params[0].name, "positional_only"), *self.params[1:]), bound=True)

    def key(self) -> tuple:
        """What callers see and must agree: kinds, order, names (except positional-only ones, which
        no caller can name), which have defaults."""
        return tuple((p.kind, "" if p.kind == "positional_only" else p.name, p.default is NO_DEFAULT)
                     for p in self.params)

    def shape(self) -> str:
        """``(self, a, /, b=, *, c=, **kw)``: the key, for people."""
        parts = []
        kinds = [p.kind for p in self.params]
        for i, p in enumerate(self.params):
            if p.kind == "keyword_only" and "var_positional" not in kinds and (i == 0 or kinds[i - 1] != "keyword_only"):
                parts.append("*")
            parts.append(p.shape())
            last_positional_only = p.kind == "positional_only" and (i + 1 == len(kinds) or kinds[i + 1] != "positional_only")
            if last_positional_only and not (self.bound and i == 0):
                parts.append("/")
        return "(" + ", ".join(parts) + ")"


@dataclass
class Member:
    kind: str  # method, staticmethod, classmethod, property, attribute, unknown
    writable: bool = False  # properties and attributes
    signatures: list[Signature] | None = None  # None: not readable (reported separately)
    problem: str = ""  # why the signatures could not be read


@dataclass
class Item:
    kind: str  # class, function, constant, alias
    bases: tuple[str, ...] = ()
    members: dict[str, Member] = field(default_factory=dict)
    signatures: list[Signature] | None = None
    problem: str = ""


# ---- the stub -------------------------------------------------------------------------------------

def _literal(node: ast.expr | None):
    if node is None:
        return NO_DEFAULT
    if isinstance(node, ast.Constant) and node.value is Ellipsis:
        return UNKNOWN
    try:
        return ast.literal_eval(node)
    except ValueError:
        return UNKNOWN


def _stub_signature(fn: ast.FunctionDef) -> Signature:
    a = fn.args
    positional = [*a.posonlyargs, *a.args]
    defaults = [None] * (len(positional) - len(a.defaults)) + list(a.defaults)
    params = [Param(arg.arg, "positional_only" if i < len(a.posonlyargs) else "positional", _literal(d))
              for i, (arg, d) in enumerate(zip(positional, defaults))]
    if a.vararg:
        params.append(Param(a.vararg.arg, "var_positional"))
    params += [Param(arg.arg, "keyword_only", _literal(d)) for arg, d in zip(a.kwonlyargs, a.kw_defaults)]
    if a.kwarg:
        params.append(Param(a.kwarg.arg, "var_keyword"))
    return Signature(tuple(params))


def _decorators(fn: ast.FunctionDef) -> list[str]:
    return [ast.unparse(d) for d in fn.decorator_list]


def _stub_class(node: ast.ClassDef, problems: list[str]) -> Item:
    item = Item("class", bases=tuple(ast.unparse(b) for b in node.bases))
    defs: dict[str, list[ast.FunctionDef]] = {}
    for stmt in node.body:
        if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            item.members[stmt.target.id] = Member("attribute", writable=True)
        elif isinstance(stmt, ast.Assign):
            for target in stmt.targets:
                if isinstance(target, ast.Name):
                    item.members[target.id] = Member("attribute", writable=True)
        elif isinstance(stmt, ast.FunctionDef):
            defs.setdefault(stmt.name, []).append(stmt)
    for name, fns in defs.items():
        where = f"{node.name}.{name}"
        decorators = [_decorators(fn) for fn in fns]
        if any("property" in d for d in decorators):
            setters = [d for d in decorators if f"{name}.setter" in d]
            item.members[name] = Member("property", writable=bool(setters))
            if len(fns) > 1 + len(setters):
                problems.append(f"{where}: declared {len(fns)} times in the stub (one property, one setter at most)")
            continue
        overloads = [fn for fn, d in zip(fns, decorators) if "overload" in d]
        if len(fns) > 1 and len(overloads) != len(fns):
            problems.append(f"{where}: defined {len(fns)} times in the stub without @overload on each "
                            "(only the last one counts)")
        if len(overloads) == 1:
            problems.append(f"{where}: a single @overload in the stub (overloads come at least in pairs)")
        kind = ("staticmethod" if "staticmethod" in decorators[-1] else
                "classmethod" if "classmethod" in decorators[-1] else "method")
        chosen = overloads if len(overloads) == len(fns) else fns[-1:]
        signatures = [_stub_signature(fn) for fn in chosen]
        if kind == "method":
            signatures = [s.as_method() for s in signatures]
        item.members[name] = Member(kind, signatures=signatures)
    return item


def stub_api(text: str) -> tuple[dict[str, Item], list[str]]:
    """The names a stub declares at module level, and what is wrong with the stub on its own."""
    api: dict[str, Item] = {}
    problems: list[str] = []
    functions: dict[str, list[ast.FunctionDef]] = {}
    for node in ast.parse(text).body:
        if isinstance(node, ast.ClassDef):
            api[node.name] = _stub_class(node, problems)
        elif isinstance(node, ast.FunctionDef):
            functions.setdefault(node.name, []).append(node)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            is_alias = isinstance(node.annotation, ast.Name) and node.annotation.id == "TypeAlias"
            api[node.target.id] = Item("alias" if is_alias else "constant")
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    api[target.id] = Item("alias")
    for name, fns in functions.items():
        overloads = [fn for fn in fns if "overload" in _decorators(fn)]
        if len(fns) > 1 and len(overloads) != len(fns):
            problems.append(f"{name}: defined {len(fns)} times in the stub without @overload on each")
        chosen = overloads if len(overloads) == len(fns) else fns[-1:]
        api[name] = Item("function", signatures=[_stub_signature(fn) for fn in chosen])
    return api, problems


# ---- the module -----------------------------------------------------------------------------------

def _split_top_level(text: str) -> list[str]:
    """``a: int, b: Dict[str, int] = {'x': 1}`` → the two parameters (commas inside brackets and
    quotes do not split)."""
    parts, depth, quote, start = [], 0, "", 0
    for i, c in enumerate(text):
        if quote:
            if c == quote and text[i - 1] != "\\":
                quote = ""
        elif c in "'\"":
            quote = c
        elif c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif c == "," and depth == 0:
            parts.append(text[start:i].strip())
            start = i + 1
    if text[start:].strip():
        parts.append(text[start:].strip())
    return parts


def _matching_paren(text: str, open_at: int) -> int:
    depth, quote = 0, ""
    for i in range(open_at, len(text)):
        c = text[i]
        if quote:
            if c == quote and text[i - 1] != "\\":
                quote = ""
        elif c in "'\"":
            quote = c
        elif c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
            if depth == 0:
                return i
    raise ValueError(f"unbalanced parentheses in {text!r}")


def _parse_pybind_signature(line: str) -> Signature:
    """``name(self: kontingent._core.X, *, a: int, b: str = 'up') -> None`` → its parameters."""
    open_at = line.index("(")
    inside = line[open_at + 1:_matching_paren(line, open_at)]
    params: list[Param] = []
    kind = "positional"
    for part in _split_top_level(inside):
        if part == "/":
            params = [Param(p.name, "positional_only", p.default) for p in params]
            continue
        if part == "*":
            kind = "keyword_only"
            continue
        if part.startswith("**"):
            params.append(Param(re.split(r"[:=]", part[2:])[0].strip(), "var_keyword"))
            continue
        if part.startswith("*"):
            params.append(Param(re.split(r"[:=]", part[1:])[0].strip(), "var_positional"))
            kind = "keyword_only"
            continue
        head, equals, default_text = part.partition("=")
        name = head.split(":")[0].strip()
        default = NO_DEFAULT
        if equals:
            try:
                default = ast.literal_eval(default_text.strip())
            except (ValueError, SyntaxError):
                default = UNKNOWN
        # pybind11 names arguments it was given no py::arg for arg0, arg1…: no keyword reaches them.
        params.append(Param(name, "positional_only" if re.fullmatch(r"arg\d+", name) else kind, default))
    return Signature(tuple(params))


_SIGNATURE_LINE = re.compile(r"^[A-Za-z_]\w*\(.*\)( -> .*)?$")
_OVERLOAD_LINE = re.compile(r"^\d+\. ([A-Za-z_]\w*\(.*\)( -> .*)?)$")


def pybind_signatures(doc: str | None) -> list[Signature]:
    """The signatures pybind11 writes at the top of a function's docstring: one line, or after
    "Overloaded function." one ``N. name(...)`` line per overload."""
    lines = (doc or "").splitlines()
    if len(lines) > 1 and lines[1].strip() == "Overloaded function.":
        found = [m.group(1) for line in lines[2:] if (m := _OVERLOAD_LINE.match(line.strip()))]
        if found:
            return [_parse_pybind_signature(s) for s in found]
    elif lines and _SIGNATURE_LINE.match(lines[0].strip()):
        return [_parse_pybind_signature(lines[0].strip())]
    raise ValueError(f"no pybind11 signature line in the docstring {(doc or '')[:80]!r}")


def _python_signature(fn) -> Signature:
    kinds = {inspect.Parameter.POSITIONAL_ONLY: "positional_only",
             inspect.Parameter.POSITIONAL_OR_KEYWORD: "positional",
             inspect.Parameter.VAR_POSITIONAL: "var_positional",
             inspect.Parameter.KEYWORD_ONLY: "keyword_only",
             inspect.Parameter.VAR_KEYWORD: "var_keyword"}
    return Signature(tuple(
        Param(p.name, kinds[p.kind], NO_DEFAULT if p.default is inspect.Parameter.empty else p.default)
        for p in inspect.signature(fn).parameters.values()))


def callable_signatures(fn) -> tuple[list[Signature] | None, str]:
    """The signatures of a pybind11 builtin (from its docstring) or a Python function."""
    fn = getattr(fn, "__func__", fn)  # instancemethod, staticmethod, classmethod
    try:
        if inspect.isfunction(fn):
            return [_python_signature(fn)], ""
        return pybind_signatures(fn.__doc__), ""
    except ValueError as error:
        return None, str(error)


def _module_member(raw) -> Member:
    if isinstance(raw, property):
        return Member("property", writable=raw.fset is not None)
    kind = ("staticmethod" if isinstance(raw, staticmethod) else
            "classmethod" if isinstance(raw, classmethod) else
            "method" if callable(raw) else "attribute")
    if kind == "attribute":
        return Member("attribute", writable=True)
    signatures, problem = callable_signatures(raw)
    if kind == "method" and signatures is not None:
        signatures = [s.as_method() for s in signatures]
    return Member(kind, signatures=signatures, problem=problem)


def _is_ours(cls: type) -> bool:
    return cls.__module__.split(".")[0] == "kontingent"


def _module_class(cls: type) -> Item:
    # Bases as the stub can name them: ours and builtins (not object, not pybind11_object).
    bases = [b for b in cls.__bases__ if b is not object and (_is_ours(b) or b.__module__ == "builtins")]
    item = Item("class", bases=tuple(b.__name__ for b in bases))
    for klass in reversed([c for c in cls.__mro__ if _is_ours(c)]):  # the nearest definition wins
        for name, raw in vars(klass).items():
            if name in ("__module__", "__doc__", "__dict__", "__weakref__", "__qualname__"):
                continue
            if isinstance(raw, types.WrapperDescriptorType):
                continue  # a C slot, not a definition (pybind11's "No constructor defined!" __init__)
            item.members[name] = _module_member(raw)
    if issubclass(cls, BaseException):  # their attributes are set by __init__, on the instance
        try:
            instance = cls("message")
        except Exception:  # noqa: BLE001 - a constructor that needs more: nothing to add
            instance = None
        for name in vars(instance or object()):
            item.members.setdefault(name, Member("attribute", writable=True))
    return item


def module_api(module) -> dict[str, Item]:
    api: dict[str, Item] = {}
    for name, value in vars(module).items():
        if isinstance(value, type):
            api[name] = _module_class(value)
        elif callable(value):
            signatures, problem = callable_signatures(value)
            api[name] = Item("function", signatures=signatures, problem=problem)
        elif not inspect.ismodule(value):
            api[name] = Item("constant")
    return api


# ---- the comparison -------------------------------------------------------------------------------

def _shapes(signatures: list[Signature]) -> str:
    return " | ".join(sorted(s.shape() for s in signatures))


def _compare_signatures(where: str, stub: list[Signature], module: list[Signature]) -> list[str]:
    stub_shapes = {s.key(): s for s in stub}
    module_shapes = {s.key(): s for s in module}
    if set(stub_shapes) != set(module_shapes):
        if len(stub) == 1 and len(module) == 1:
            return [f"{where}: stub has parameters {stub[0].shape()}, module has {module[0].shape()}"]
        return [f"{where}: stub has overloads {_shapes(stub)}, module has {_shapes(module)}"]
    out = []
    for shape, s in stub_shapes.items():
        for a, b in zip(s.params, module_shapes[shape].params):
            if (a.default is not NO_DEFAULT and a.default is not UNKNOWN and b.default is not UNKNOWN
                    and (type(a.default), a.default) != (type(b.default), b.default)):
                out.append(f"{where}: default of {a.name} is {a.default!r} in the stub, {b.default!r} in the module")
    return out


def _describe(m: Member) -> str:
    if m.kind in ("property", "attribute"):
        return "a writable attribute" if m.writable else "a read-only property"
    return {"method": "a method", "staticmethod": "a staticmethod", "classmethod": "a classmethod"}.get(m.kind, m.kind)


def _compare_member(where: str, stub: Member, module: Member) -> list[str]:
    data = ("property", "attribute")
    if (stub.kind in data) != (module.kind in data) or (stub.kind not in data and stub.kind != module.kind):
        return [f"{where}: stub has {_describe(stub)}, module has {_describe(module)}"]
    if stub.kind in data:
        if stub.writable != module.writable:
            return [f"{where}: stub has {_describe(stub)}, module has {_describe(module)}"]
        return []
    if module.signatures is None:
        return [f"{where}: cannot read the module's signature ({module.problem})"]
    return _compare_signatures(where, stub.signatures or [], module.signatures)


def _compare_class(name: str, stub: Item, module: Item, cls: type | None) -> list[str]:
    out = []
    if set(stub.bases) != set(module.bases):
        out.append(f"{name}: stub has bases ({', '.join(stub.bases)}), module has ({', '.join(module.bases)})")
    for member in sorted(set(stub.members) - set(module.members)):
        if cls is None or not hasattr(cls, member):
            out.append(f"{name}.{member}: in the stub, not in the module")
    for member in sorted(set(module.members) - set(stub.members)):
        if not member.startswith("_") or member in PROTOCOL:
            out.append(f"{name}.{member}: in the module ({_describe(module.members[member])}), not in the stub")
    for member in sorted(set(stub.members) & set(module.members)):
        out += _compare_member(f"{name}.{member}", stub.members[member], module.members[member])
    return out


def compare(stub_text: str, module) -> list[str]:
    """Every disagreement between a stub's text and a module, one readable line each."""
    stub, out = stub_api(stub_text)
    actual = module_api(module)
    for name in sorted(set(stub) - set(actual)):
        if stub[name].kind == "alias":
            if not name.startswith("_"):
                out.append(f"{name}: a type alias of the stub only, so it must be private (_{name}): "
                           f"`from {module.__name__} import {name}` would type-check and fail at runtime")
        else:
            out.append(f"{name}: in the stub ({stub[name].kind}), not in the module")
    for name in sorted(set(actual) - set(stub)):
        if not name.startswith("_"):
            out.append(f"{name}: in the module ({actual[name].kind}), not in the stub")
    for name in sorted(set(stub) & set(actual)):
        s, m = stub[name], actual[name]
        if s.kind == "alias":
            out.append(f"{name}: a type alias in the stub, but the module has a {m.kind} of that name")
        elif s.kind != m.kind:
            out.append(f"{name}: stub has a {s.kind}, module has a {m.kind}")
        elif s.kind == "class":
            out += _compare_class(name, s, m, getattr(module, name))
        elif s.kind == "function":
            if m.signatures is None:
                out.append(f"{name}: cannot read the module's signature ({m.problem})")
            else:
                out += _compare_signatures(name, s.signatures or [], m.signatures)
    return out


def _report(mismatches: list[str]) -> str:
    return f"{len(mismatches)} difference(s) between _core.pyi and kontingent._core:\n  " + "\n  ".join(mismatches)


# ---- the tests ------------------------------------------------------------------------------------

def test_the_stub_matches_the_module():
    mismatches = compare(STUB.read_text(), _core)
    assert not mismatches, _report(mismatches)


# The checker itself: a method added to the module but not to the stub, a parameter renamed, a
# default dropped, an overload missing — each must be reported, by name.

def test_pybind_docstrings_are_read():
    doc = ("__getitem__(*args, **kwargs)\nOverloaded function.\n\n"
           "1. __getitem__(self: kontingent._core.Entries, i: int) -> kontingent._core.Entry\n\nThe i-th entry.\n\n"
           "2. __getitem__(self: kontingent._core.Entries, s: slice) -> List[kontingent._core.Entry]\n")
    assert [s.shape() for s in pybind_signatures(doc)] == ["(self, i)", "(self, s)"]
    one = pybind_signatures("f(self: X, /, a: Dict[str, int], *, b: str = 'x, y', c: Optional[int] = None, "
                            "**kwargs) -> None\n\nText (with parentheses).")
    assert one[0].shape() == "(self, /, a, *, b=, c=, **kwargs)"
    assert [p.default for p in one[0].params[2:4]] == ["x, y", None]
    assert pybind_signatures("g(*args, **kwargs) -> object")[0].shape() == "(*args, **kwargs)"
    with pytest.raises(ValueError, match="no pybind11 signature line"):
        pybind_signatures("Just prose.")


def test_the_checker_reports_a_method_the_stub_lacks(monkeypatch):
    monkeypatch.setattr(_core.Book, "frobnicate", lambda self, level=1: None, raising=False)
    mismatches = compare(STUB.read_text(), _core)
    assert "Book.frobnicate: in the module (a method), not in the stub" in mismatches
    # ... and a pybind11 builtin under a new name is read from its docstring like any other.
    monkeypatch.setattr(_core.Report, "to_words", _core.Report.__dict__["to_text"], raising=False)
    assert "Report.to_words: in the module (a method), not in the stub" in compare(STUB.read_text(), _core)


SYNTHETIC_STUB = '''
from typing import overload
Size = int
_Shape = tuple[int, int]
LIMIT: int
class Box:
    def __init__(self, *, width: int, height: int = 1) -> None: ...
    @property
    def area(self) -> int: ...
    name: str
    def grow(self, by: int) -> Box: ...
    def empty(self) -> bool: ...
    @overload
    def __getitem__(self, i: int) -> int: ...
    @overload
    def __getitem__(self, s: slice) -> list[int]: ...
    def fold(self) -> None: ...
    def fold(self, twice: bool) -> None: ...
class Gone: ...
def make(size: Size = 3) -> Box: ...
'''


class _Box:
    """A stand-in for a module's class: Python functions, read with inspect."""

    def __init__(self, *, width, height=2):
        pass

    @property
    def area(self):
        return 0

    @property
    def name(self):  # read-only here, writable in the stub
        return ""

    def grow(box, amount):  # noqa: N805
        return box

    def empty(box):  # noqa: N805 - the instance's name does not matter: not reported
        return False

    def __getitem__(self, i):
        return 0

    def shrink(self):
        pass

    def fold(self, twice):
        pass


_Box.__name__ = "Box"
_Box.__module__ = "kontingent.synthetic"


def test_the_checker_on_a_synthetic_stub():
    module = types.ModuleType("kontingent.synthetic")
    module.Box = _Box
    module.make = lambda size=3: None
    module.LIMIT = 10
    module.EXTRA = 1
    mismatches = compare(SYNTHETIC_STUB, module)
    assert sorted(mismatches) == sorted([
        "Box.fold: defined 2 times in the stub without @overload on each (only the last one counts)",
        "Size: a type alias of the stub only, so it must be private (_Size): "
        "`from kontingent.synthetic import Size` would type-check and fail at runtime",
        "Gone: in the stub (class), not in the module",
        "EXTRA: in the module (constant), not in the stub",
        "Box.shrink: in the module (a method), not in the stub",
        "Box.__getitem__: stub has overloads (self, i) | (self, s), module has (self, i)",
        "Box.__init__: default of height is 1 in the stub, 2 in the module",
        "Box.grow: stub has parameters (self, by), module has (box, amount)",
        "Box.name: stub has a writable attribute, module has a read-only property",
    ]), _report(mismatches)
