"""Static tamper audit, default-deny: the code cells of a submitted notebook (all but the autograder
tests) may use only what a gradients course needs, and everything else is flagged for a reviewer as
"<cell> line N: <reason>". Flags never change a score."""

import ast
import builtins
import functools
import importlib.machinery
import re
from dataclasses import dataclass, field

import nbformat
from IPython.core.inputtransformer2 import TransformerManager

from gradlab import notebooks as nbs

# ---- What honest code may use ----------------------------------------------------------------------
# Modules it may import, with all their public names but the DENIED ones: the course's libraries (with
# matplotlib's 3-D axes), plain-Python helpers for numbers and data, `time` to measure code and
# `warnings` to silence an expected warning. Nothing here reaches files, processes, threads, frames or
# the network but through a DENIED name.
ALLOWED_MODULES = frozenset({
    "numpy", "scipy", "torch", "matplotlib", "mpl_toolkits",
    "math", "cmath", "statistics", "fractions", "numbers", "random",
    "functools", "itertools", "collections", "dataclasses", "typing", "copy", "__future__", "time", "warnings"})
# Modules it may import for a few names only: the course's own recursion-limit check imports sys, and
# timeit times a function (its statement must be a lambda or a function of the notebook, not a string).
RESTRICTED_MODULES = {"sys": frozenset({"getrecursionlimit", "setrecursionlimit", "float_info", "maxsize"}),
                      "timeit": frozenset({"default_timer", "timeit", "repeat", "Timer"})}
# Builtins for computing and for classes, and every exception class.
ALLOWED_BUILTINS = frozenset({
    "abs", "all", "any", "bin", "bool", "bytearray", "bytes", "callable", "chr", "classmethod", "complex", "dict",
    "divmod", "enumerate", "filter", "float", "format", "frozenset", "hash", "hex", "id", "int", "isinstance",
    "issubclass", "iter", "len", "list", "map", "max", "min", "next", "object", "oct", "ord", "pow", "print",
    "property", "range", "repr", "reversed", "round", "set", "slice", "sorted", "staticmethod", "str", "sum",
    "super", "tuple", "zip", "NotImplemented", "Ellipsis", "__name__",
}) | {name for name, value in vars(builtins).items() if isinstance(value, type) and issubclass(value, Exception)}
# Builtins allowed only when called by name, with a literal attribute name and not on a module (the
# getattr family), with one argument (type), or on an object (dir).
ATTRIBUTE_FUNCTIONS = frozenset({"getattr", "setattr", "delattr", "hasattr"})
CHECKED_CALLS = ATTRIBUTE_FUNCTIONS | {"type", "dir"}
# Special methods a class may define, and code may read or call: building, showing, arithmetic and
# containers. Comparisons, truth, conversions, hashing, attribute hooks and numpy/torch protocols are
# what a trick object overrides to pass a test, so defining them is flagged.
SPECIAL_METHODS = frozenset({
    "__init__", "__post_init__", "__repr__", "__str__", "__call__", "__len__", "__getitem__", "__iter__", "__next__",
    "__neg__", "__pos__", "__abs__", "__add__", "__radd__", "__iadd__", "__sub__", "__rsub__", "__isub__",
    "__mul__", "__rmul__", "__imul__", "__matmul__", "__rmatmul__", "__truediv__", "__rtruediv__", "__itruediv__",
    "__floordiv__", "__rfloordiv__", "__mod__", "__rmod__", "__pow__", "__rpow__", "__slots__"})
READABLE_SPECIAL_ATTRIBUTES = frozenset({"__name__", "__doc__"})
# IPython's display hooks decide how an object is shown, running code or putting script into a page.
DISPLAY_HOOKS = re.compile(r"_repr_\w+_|_ipython_\w+_")
# Decorators by their dotted names; a function or property of the notebook's own may decorate too.
ALLOWED_DECORATORS = re.compile(r"staticmethod|classmethod|property|functools\.\w+|dataclasses\.dataclass"
                                r"|typing\.(overload|final)|numpy\.vectorize"
                                r"|torch\.(no_grad|enable_grad|inference_mode)")
OWN_DECORATOR = re.compile(r"\w+(\.(setter|getter|deleter))?")
# IPython magics: drawing inline, timing a statement (the statement is audited), and figure settings
# (%config evaluates its value in the notebook, so only a literal is allowed).
ALLOWED_MAGICS = {"matplotlib": re.compile(r".*"), "time": re.compile(r"(?P<code>.*)"),
                  "timeit": re.compile(r"(\s*-[nrp]\s*\d+|\s*-[tcqo])*\s*(?P<code>.*)"),
                  "config": re.compile(r"InlineBackend\.\w+\s*=\s*(?P<literal>.+)")}

# ---- What is flagged ---------------------------------------------------------------------------------
# Names by a full match on the dotted name the notebook's imports and aliases make of them (`xp.load`
# is `numpy.load` after `import numpy as xp`); the first match gives the reason, {name} that name.
DENIED = tuple((re.compile(pattern), reason) for pattern, reason in (
    (r"sys\.(_getframe|_current_frames|settrace|setprofile)|threading\.(settrace|setprofile)"
     r"|inspect\.(currentframe|stack|trace|getouterframes|getinnerframes)", "inspects frames ({name})"),
    (r"(traceback|linecache|inspect|dis)\.\w+", "reads source code or tracebacks ({name})"),
    (r"gc\.\w+", "uses {name}"),
    (r"(_?thread|threading|concurrent|asyncio)(\.\w+)+", "starts threads ({name})"),
    (r"open|io\.open|os\.(open|fdopen)|matplotlib\.pyplot\.imread"
     r"|(numpy|torch)\.(load|loadtxt|genfromtxt|fromfile|memmap|save|savez|savez_compressed|savetxt|from_file)"
     r"|numpy\.(DataSource|lib\.(format|npyio)\.\w+)",
     "opens a file"),
    (r"os\.(listdir|scandir|walk)|glob\.\w+", "lists a directory"),
    (r"os\.(remove|unlink|rename|replace|rmdir|mkdir|makedirs)|(shutil|pathlib|tempfile)\.\w+",
     "touches files ({name})"),
    (r"os\.(system|popen|fork|exec\w*|spawn\w*|posix_spawn\w*)"
     r"|(subprocess|multiprocessing|torch\.multiprocessing)(\.\w+)+",
     "runs a subprocess"),
    (r"(socket|urllib|http|requests|ftplib|smtplib|scipy\.datasets|torch\.(hub|distributed|utils\.model_zoo))(\.\w+)+",
     "network access ({name})"),
    (r"exit|quit|sys\.exit|os\.(_exit|kill|killpg|abort)", "kills or exits the process"),
    (r"exec|eval", "exec/eval"),
    (r"compile", "compiles code"),
    (r"__import__|importlib(\.\w+)*", "imports dynamically ({name})"),
    (r"(\w+\.)*get_ipython", "touches the IPython shell (get_ipython)"),
    (r"globals|locals|vars", "reads a namespace ({name}())"),
    (r"builtins(\.\w+)*", "reaches the builtins module"),
    (r"input|breakpoint|help|pdb(\.\w+)*", "waits for the user ({name})"),
    (r"(ctypes|numpy\.ctypeslib)(\.\w+)*|scipy\.LowLevelCallable", "calls native code ({name})"),
    (r"numpy\.(seterrcall|f2py(\.\w+)*)|torch\.(compile|jit|library|ops|classes|overrides|utils\.cpp_extension)(\.\w+)*"
     r"|torch\.nn\.modules\.module\.register_module_\w+", "changes how numpy or torch run ({name})"),
    (r"numpy\.seterr", "changes numpy's error handling for every later cell (numpy.seterr)"),
    (r"dataclasses\.make_dataclass|typing\.get_type_hints|numpy\.testing\.measure|torch\.utils\.benchmark(\.\w+)*",
     "builds code from strings ({name})"),
    (r"(numbers|collections\.abc)\.\w+\.register", "makes isinstance lie ({name})"),
))
HISTORY = re.compile(r"In|Out|_[io]h|_dh|_i{1,3}|_i?\d+|_{1,3}")  # IPython's input and output history
FRAME_ATTRIBUTES = frozenset({"f_back", "f_globals", "f_locals", "f_builtins", "f_code", "f_trace", "tb_frame",
                              "tb_next", "gi_frame", "cr_frame", "ag_frame"})
FORMAT_SPECIAL_FIELD = re.compile(r"\{[^{}:!]*\.__\w+__")  # "{0.__class__}".format(x)
NAMESPACE_MUTATORS = frozenset({"update", "setdefault", "pop", "popitem", "clear", "__setitem__", "__delitem__"})
WELL_KNOWN = {"__builtins__": "builtins"}  # what every notebook has without an import


def audit_notebook(nb: nbformat.NotebookNode) -> tuple[str, ...]:
    """Flags for the code cells of a submitted notebook that are not autograder tests, in cell order."""
    cells = [(nbs.grade_id(cell) or f"cell {index}", *_parse(cell.source))
             for index, cell in enumerate(nb.cells) if cell.cell_type == "code" and not nbs.is_test_cell(cell)]
    names = _Names.of([tree for _, tree, _ in cells if isinstance(tree, ast.AST)])
    flags = []
    for label, tree, found in cells:
        if isinstance(tree, str):
            flags.append(f"{label}: does not parse as Python ({tree})")
            continue
        auditor = _Auditor(names, found)
        try:
            auditor.visit(tree)
        except RecursionError:
            flags.append(f"{label}: nested too deeply to scan")
        flags += [f"{label} line {line}: {what}" for line, what in sorted(auditor.found)]
    return tuple(dict.fromkeys(flags))


# ---- Reading a cell as the kernel runs it ------------------------------------------------------------

@functools.lru_cache(maxsize=4096)  # the cells every submission shares are read once
def _parse(source: str) -> tuple[ast.AST | str, frozenset[tuple[int, str]]]:
    """The cell's syntax tree, or why it does not parse; and the flags of its IPython lines."""
    try:
        code, found = _python_source(source)
        return ast.parse(code), frozenset(found)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
        return getattr(error, "msg", None) or str(error) or type(error).__name__, frozenset()


def _python_source(source: str) -> tuple[str, set[tuple[int, str]]]:
    """The cell as IPython runs it, line for line: an allowed magic (%time, %timeit, %matplotlib, also as
    a cell magic) replaced by the code it runs, any other magic, shell escape or help request by `pass`
    and flagged; autocall escapes (`/f x`) become the calls they are."""
    lines, found = source.splitlines(), set()
    blank = next((index for index, line in enumerate(lines) if line.strip()), len(lines))
    if lines[blank:] and lines[blank].startswith("%%"):
        name, _, argument = lines[blank][2:].partition(" ")
        if (code := _magic_code(name, argument)) is None:
            return "", {(blank + 1, _ipython_reason(lines[blank]))}
        lines[blank] = code
    transformed = [""] * blank + TransformerManager().transform_cell("\n".join(lines[blank:])).splitlines()
    if len(transformed) != len(lines):
        return "\n".join(transformed), found
    for index, (line, python) in enumerate(zip(lines, transformed)):
        magic = re.search(r"get_ipython\(\)\.run_line_magic\('(\w+)', (.*)\)$", python)
        if line == python or (not magic and "get_ipython()" not in python):
            continue
        code = _magic_code(magic[1], ast.literal_eval(magic[2])) if magic else None
        if code is None:
            found.add((index + 1, _ipython_reason(line)))
        transformed[index] = python[:len(python) - len(python.lstrip())] + (code or "pass")
    return "\n".join(transformed), found


def _magic_code(name: str, argument: str) -> str | None:
    """The Python an allowed magic runs (the statement after %time or %timeit), "pass" for one that runs
    none; None if the magic is not allowed."""
    match = ALLOWED_MAGICS[name].fullmatch(argument.strip()) if name in ALLOWED_MAGICS else None
    if not match or (match.groupdict().get("literal") and not _is_literal(match["literal"])):
        return None
    return match.groupdict().get("code") or "pass"


def _is_literal(text: str) -> bool:
    try:
        ast.literal_eval(text)
        return True
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return False


def _ipython_reason(line: str) -> str:
    text = line.strip()
    return f"runs an IPython command ({text if len(text) <= 60 else text[:57] + '...'})"


# ---- Names the notebook binds ------------------------------------------------------------------------

@dataclass
class _Names:
    """What the notebook's names stand for, across all its non-test cells."""
    aliases: dict[str, str]  # imported or assigned name -> the dotted name it stands for
    imported: set[str]  # names `import` binds (rebinding them at top level is flagged)
    assigned: set[str]  # names that are aliases through a plain assignment (`n = np`)
    module_level: set[str]  # names bound at top level by any cell, or declared global
    functions: set[str]  # names of the functions the notebook defines

    @classmethod
    def of(cls, trees: list[ast.AST]) -> "_Names":
        names, assignments = cls(dict(WELL_KNOWN), set(), set(), set(), set()), []
        for tree in trees:
            names.module_level |= _bindings(tree.body)[0]
            nodes = list(ast.walk(tree))
            in_classes = {id(statement) for node in nodes if isinstance(node, ast.ClassDef) for statement in node.body}
            for node in nodes:
                if isinstance(node, (ast.Import, ast.ImportFrom)):
                    names.add_import(node)
                elif isinstance(node, ast.Global):
                    names.module_level.update(node.names)
                elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    names.functions.add(node.name)
                elif id(node) not in in_classes:  # an assignment in a class body makes an attribute, not a name
                    assignments += _alias_pairs(node)
        for _ in assignments:  # until every alias of an alias is resolved
            new = {name: resolved for name, value in assignments
                   if (resolved := names.resolve(value)) and names.aliases.get(name) != resolved}
            if not new:
                break
            names.aliases |= new
            names.assigned |= set(new)
        return names

    def add_import(self, node: ast.Import | ast.ImportFrom) -> None:
        for alias in node.names:
            if isinstance(node, ast.Import):
                bound = alias.asname or alias.name.split(".")[0]
                self.aliases[bound] = alias.name if alias.asname else bound
                self.imported.add(bound)
            elif alias.name != "*":
                self.aliases[alias.asname or alias.name] = f"{'.' * node.level}{node.module or ''}.{alias.name}"

    def resolve(self, node: ast.AST) -> str:
        """The dotted name an attribute chain on an alias stands for (`xp.linalg` -> numpy.linalg), or ""."""
        head, dot, rest = (_dotted(node) or "").partition(".")
        return self.aliases[head] + dot + rest if head in self.aliases else ""


def _dotted(node: ast.AST) -> str | None:
    """`a.b.c` for a chain of attributes on a plain name, else None."""
    if isinstance(node, ast.Name):
        return node.id
    base = _dotted(node.value) if isinstance(node, ast.Attribute) else None
    return base and f"{base}.{node.attr}"


def _alias_pairs(node: ast.AST):
    """(name, value) for each plain name a plain assignment binds to a plain value: `n = np`, `a, b = x, y`."""
    targets = (node.targets if isinstance(node, ast.Assign) else [node.target]
               if isinstance(node, (ast.AnnAssign, ast.NamedExpr)) and node.value else [])
    for target in targets:
        if isinstance(target, ast.Name):
            yield target.id, node.value
        elif isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple):
            yield from ((name.id, value) for name, value in zip(target.elts, node.value.elts)
                        if isinstance(name, ast.Name))


def _arguments(arguments: ast.arguments) -> list[ast.arg]:
    every = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs, arguments.vararg, arguments.kwarg]
    return [argument for argument in every if argument]


COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


def _bindings(body: list[ast.AST]) -> tuple[set[str], set[str], set[str]]:
    """The names a block of statements binds in its own scope, those of them it binds by `import`, and the
    names it declares global."""
    bound, imported, declared_global, declared_nonlocal, stack = set(), set(), set(), set(), list(body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            bound.add(node.id)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            (declared_global if isinstance(node, ast.Global) else declared_nonlocal).update(node.names)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            imported |= {alias.asname or alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, (ast.ExceptHandler, ast.MatchAs, ast.MatchStar)) and node.name:
            bound.add(node.name)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
            stack += _outside_parts(node)
        elif isinstance(node, ast.Lambda):
            stack += _outside_parts(node)
        elif isinstance(node, COMPREHENSIONS):  # its targets are its own; a walrus in it binds here
            stack += [child for child in ast.walk(node) if isinstance(child, ast.NamedExpr)]
            stack.append(node.generators[0].iter)
        else:
            stack += ast.iter_child_nodes(node)
    declared = declared_global | declared_nonlocal
    return (bound | imported) - declared, imported - declared, declared_global


def _outside_parts(node: ast.AST) -> list[ast.AST]:
    """The parts of a function, lambda or class that run in the enclosing scope."""
    parts = [*getattr(node, "decorator_list", ()), *getattr(node, "bases", ()), *getattr(node, "keywords", ())]
    arguments = getattr(node, "args", None)
    if isinstance(arguments, ast.arguments):
        parts += [*arguments.defaults, *filter(None, arguments.kw_defaults)]
        annotations = [getattr(node, "returns", None), *(argument.annotation for argument in _arguments(arguments))]
        parts += filter(None, annotations)
    return parts


@functools.cache
def _module_spec(dotted: str) -> importlib.machinery.ModuleSpec | None:
    """The spec of the installed module `dotted`, found without importing anything; None if there is none."""
    head, _, _ = dotted.rpartition(".")
    if not head:
        return (importlib.machinery.BuiltinImporter.find_spec(dotted)
                or importlib.machinery.PathFinder.find_spec(dotted))
    locations = getattr(_module_spec(head), "submodule_search_locations", None)
    return importlib.machinery.PathFinder.find_spec(dotted, locations) if locations else None


def _denied(name: str) -> str | None:
    """Why reading the dotted name `name` is flagged, if it is: a DENIED name, a private part of a module,
    or a name a RESTRICTED_MODULES module does not allow."""
    if reason := next((reason.format(name=name) for pattern, reason in DENIED if pattern.fullmatch(name)), None):
        return reason
    parts = name.split(".")
    for depth, part in enumerate(parts[1:], 1):
        if part.startswith("_") and not _is_special(part):
            return f"uses a private part of {parts[0]} ({'.'.join(parts[:depth + 1])})"
    if parts[0] in RESTRICTED_MODULES and len(parts) > 1 and parts[1] not in RESTRICTED_MODULES[parts[0]]:
        return f"uses {parts[0]}.{parts[1]}"
    return None


def _is_special(name: str) -> bool:
    return name.startswith("__") and name.endswith("__") and len(name) > 4


def _undefinable(name: str) -> bool:
    """Whether defining `name` is flagged: a special method outside SPECIAL_METHODS, or a display hook."""
    return (_is_special(name) and name not in SPECIAL_METHODS) or bool(DISPLAY_HOOKS.fullmatch(name))


@dataclass
class _Scope:
    kind: str  # "module", "function" (lambdas and comprehensions too) or "class"
    bound: set[str]
    parameters: set[str] = field(default_factory=set)  # never aliases, though an assignment elsewhere is
    imported: set[str] = field(default_factory=set)
    declared_global: set[str] = field(default_factory=set)


# ---- The audit of one cell ---------------------------------------------------------------------------

class _Auditor(ast.NodeVisitor):
    """Collects the (line, reason) findings of one cell in `found`."""

    def __init__(self, names: _Names, found: frozenset[tuple[int, str]]):
        self.names, self.found = names, set(found)
        self.scopes = [_Scope("module", names.module_level)]
        self.called, self.used_as_module = set(), set()  # ids of nodes called, of modules used by attribute

    def flag(self, node: ast.AST, what: str) -> None:
        self.found.add((node.lineno, what))

    # -- names and scopes

    def is_local(self, name: str) -> bool:
        """Whether `name`, where it is read, is a variable of the notebook's own, not an import or an alias."""
        for depth, scope in enumerate(reversed(self.scopes)):
            if name in scope.declared_global:
                break
            if scope.kind != "module" and (scope.kind != "class" or depth == 0) and name in scope.bound:
                return name in scope.parameters or (name not in scope.imported and name not in self.names.assigned)
        return name not in self.names.aliases and name in self.scopes[0].bound

    def resolve(self, node: ast.AST) -> str:
        """The dotted name `node` stands for: through aliases, or a builtin's; "" for the notebook's own objects."""
        head = (_dotted(node) or "").partition(".")[0]
        return "" if not head or self.is_local(head) else self.names.resolve(node) or _dotted(node)

    def is_module_rooted(self, node: ast.AST) -> bool:
        """Whether `node` is an imported name or alias, or an attribute chain on one."""
        head = (_dotted(node) or "").partition(".")[0]
        return head in self.names.aliases and not self.is_local(head)

    def at_top_level(self, name: str) -> bool:
        return self.scopes[-1].kind == "module" or name in self.scopes[-1].declared_global

    def in_scope(self, kind: str, body: list[ast.AST], parameters: set[str] = frozenset()) -> None:
        own, imported, declared = _bindings(body)
        self.scopes.append(_Scope(kind, own | parameters, set(parameters), imported, declared))
        for statement in body:
            self.visit(statement)
        self.scopes.pop()

    # -- references

    def check_reference(self, node: ast.Name | ast.Attribute) -> None:
        """Flag a read of a denied, private, restricted or unknown name, or of a module used as a value."""
        name = self.resolve(node)
        if not name:
            return
        if reason := _denied(name):
            self.flag(node, reason)
        elif not self.is_module_rooted(node):
            if isinstance(node, ast.Name):
                self.check_free_name(node)
        elif id(node) not in self.used_as_module and _module_spec(name):
            self.flag(node, f"uses the module {name} as a value")

    def check_free_name(self, node: ast.Name) -> None:
        """A name the notebook never binds is a builtin, or something only tests or IPython define."""
        name = node.id
        if name in CHECKED_CALLS and id(node) not in self.called:
            self.flag(node, f"uses {name} other than by calling it")
        elif HISTORY.fullmatch(name):
            self.flag(node, f"reads the IPython history ({name})")
        elif _is_special(name) and name not in ALLOWED_BUILTINS:
            self.flag(node, f"reads {name}")
        elif name in ALLOWED_BUILTINS | CHECKED_CALLS:
            return
        elif hasattr(builtins, name):
            self.flag(node, f"uses the builtin {name}")
        else:
            self.flag(node, f"uses {name}, which no cell outside the tests defines")

    def visit_Name(self, node: ast.Name) -> None:
        if isinstance(node.ctx, ast.Load):
            self.check_reference(node)
        elif _undefinable(node.id):
            self.flag(node, f"defines {node.id}")
        elif node.id in self.names.imported and self.at_top_level(node.id):
            self.flag(node, f"{_verb(node)} {node.id}")
        else:
            self.check_shadowing(node, node.id)

    def check_shadowing(self, node: ast.AST, name: str) -> None:
        """Flag a top-level name that hides a builtin the tests may call: they run in the same namespace."""
        if name in ALLOWED_BUILTINS | CHECKED_CALLS and self.at_top_level(name):
            self.flag(node, f"rebinds the builtin {name}")

    def visit_Attribute(self, node: ast.Attribute) -> None:
        self.used_as_module.add(id(node.value))
        if not isinstance(node.ctx, ast.Load):
            if self.is_module_rooted(node.value):
                self.flag(node, f"{_verb(node)} {self.described(node)}")
            elif _undefinable(node.attr):
                self.flag(node, f"{'defines' if isinstance(node.ctx, ast.Store) else 'deletes'} {node.attr}")
        elif _is_special(node.attr) and node.attr not in SPECIAL_METHODS | READABLE_SPECIAL_ATTRIBUTES:
            self.flag(node, f"reads {node.attr}")
        else:
            if node.attr in FRAME_ATTRIBUTES:
                self.flag(node, f"inspects frames (.{node.attr})")
            self.check_reference(node)
        self.generic_visit(node)

    def described(self, node: ast.AST) -> str:
        """The source of `node`, with what it stands for when it starts with an alias by assignment."""
        source = ast.unparse(node)
        head = (_dotted(node) or "").partition(".")[0]
        return f"{source} ({self.names.resolve(node)})" if head in self.names.assigned else source

    def visit_Subscript(self, node: ast.Subscript) -> None:
        if not isinstance(node.ctx, ast.Load) and self.is_namespace(node.value):
            self.flag(node, f"{_verb(node)} {ast.unparse(node)}")
        self.generic_visit(node)

    def is_namespace(self, node: ast.AST) -> bool:
        """Whether `node` is a dict of global names: builtins, sys.modules, `x.__dict__`, globals(), vars()."""
        if isinstance(node, ast.Call):
            return self.resolve(node.func) in ("globals", "locals", "vars")
        if isinstance(node, ast.Attribute) and node.attr == "__dict__":
            return True
        return self.resolve(node) in ("builtins", "sys.modules")

    # -- calls

    def visit_Call(self, node: ast.Call) -> None:
        self.called.add(id(node.func))
        function = self.resolve(node.func)
        if reason := self.call_reason(function, node):
            self.flag(node, reason)
            self.used_as_module.update(id(argument) for argument in node.args[:1])  # the flag covers it
        if (isinstance(node.func, ast.Attribute) and node.func.attr in NAMESPACE_MUTATORS
                and self.is_namespace(node.func.value)):
            self.flag(node, f"rebinds entries of {ast.unparse(node.func.value)}")
        if (isinstance(node.func, ast.Attribute) and node.func.attr in ("format", "format_map")
                and isinstance(node.func.value, ast.Constant)
                and FORMAT_SPECIAL_FIELD.search(str(node.func.value.value))):
            self.flag(node, "reads special attributes through a format string")
        self.generic_visit(node)

    def call_reason(self, function: str, call: ast.Call) -> str | None:
        """Why a call of a checked builtin or of timeit is flagged, if it is."""
        args = call.args
        if function in ATTRIBUTE_FUNCTIONS and args:
            if self.is_module_rooted(args[0]):
                return f"{function} on a module"
            if len(args) < 2 or not (isinstance(args[1], ast.Constant) and isinstance(args[1].value, str)):
                return f"{function} with a computed attribute name"
            name = args[1].value
            if function == "setattr" and _undefinable(name):
                return f"defines {name}"
            if _is_special(name) and name not in SPECIAL_METHODS | READABLE_SPECIAL_ATTRIBUTES:
                return f"{'deletes' if function == 'delattr' else 'reads'} {name}"
        if function == "type" and len(args) != 1:
            return "builds a class with type(name, bases, namespace)"
        if function == "dir" and (not args or self.is_module_rooted(args[0])):
            return "lists the names of a namespace (dir)"
        if function.startswith("timeit.") and not all(map(self.is_own_code, self.timed_statements(call))):
            return f"builds code from strings ({function})"
        return None

    def timed_statements(self, call: ast.Call) -> list[ast.AST]:
        """What timeit runs: its first two arguments, `stmt` and `setup`."""
        return call.args[:2] + [keyword.value for keyword in call.keywords if keyword.arg in ("stmt", "setup")]

    def is_own_code(self, node: ast.AST) -> bool:
        """Whether `node` is a lambda or a function the notebook defines, not a string of code."""
        return isinstance(node, ast.Lambda) or (isinstance(node, ast.Name) and node.id in self.names.functions)

    # -- definitions

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> None:
        if not isinstance(node, ast.Lambda):
            self.check_definition(node)
        for part in _outside_parts(node):
            self.visit(part)
        body = node.body if isinstance(node.body, list) else [node.body]
        self.in_scope("function", body, {argument.arg for argument in _arguments(node.args)})

    visit_AsyncFunctionDef = visit_Lambda = visit_FunctionDef

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.check_definition(node)
        if node.keywords:
            self.flag(node, "creates a class with a metaclass or class keywords")
        for part in _outside_parts(node):
            self.visit(part)
        self.in_scope("class", node.body)

    def check_definition(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> None:
        if _undefinable(node.name):
            self.flag(node, f"defines {node.name}")
        self.check_shadowing(node, node.name)
        for decorator in node.decorator_list:
            function = decorator.func if isinstance(decorator, ast.Call) else decorator
            name = _dotted(function) or ""
            allowed = (ALLOWED_DECORATORS.fullmatch(self.resolve(function))
                       or (self.is_local(name.partition(".")[0]) and OWN_DECORATOR.fullmatch(name)))
            if not allowed:
                self.flag(decorator, f"decorates with {ast.unparse(decorator)}")

    def visit_ListComp(self, node: ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp) -> None:
        self.visit(node.generators[0].iter)
        targets = {name.id for comprehension in node.generators for name in ast.walk(comprehension.target)
                   if isinstance(name, ast.Name)}
        parts = [node.generators[0].target, *node.generators[0].ifs, *node.generators[1:]]
        parts += [node.key, node.value] if isinstance(node, ast.DictComp) else [node.elt]
        self.scopes.append(_Scope("function", targets, targets))
        for part in parts:
            self.visit(part)
        self.scopes.pop()

    visit_SetComp = visit_DictComp = visit_GeneratorExp = visit_ListComp

    def visit_Assign(self, node: ast.Assign | ast.AnnAssign | ast.NamedExpr) -> None:
        if self.scopes[-1].kind != "class":
            self.used_as_module.update(id(value) for _, value in _alias_pairs(node))
        self.generic_visit(node)

    visit_AnnAssign = visit_NamedExpr = visit_Assign

    def visit_Import(self, node: ast.Import | ast.ImportFrom) -> None:
        if isinstance(node, ast.Import):
            imported = [alias.name for alias in node.names]
        else:
            module = "." * node.level + (node.module or "")
            imported = [f"{module}.{alias.name}" for alias in node.names if alias.name != "*"]
            if len(imported) < len(node.names):
                self.flag(node, f"imports * from {module}")
        modules = imported if isinstance(node, ast.Import) else [module]
        for root in sorted({name.split(".")[0] or "." for name in modules}):
            if root not in ALLOWED_MODULES | RESTRICTED_MODULES.keys():
                self.flag(node, f"imports {root}")
        for name in imported:
            if reason := _denied(name):
                self.flag(node, reason)
        if self.scopes[-1].kind == "class":
            self.flag(node, "imports inside a class body")
        for alias in node.names:
            self.check_shadowing(node, alias.asname or alias.name.split(".")[0])

    visit_ImportFrom = visit_Import


def _verb(node: ast.AST) -> str:
    return "deletes" if isinstance(node.ctx, ast.Del) else "rebinds"

