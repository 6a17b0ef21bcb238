"""Static tamper audit: flags student code in a submitted notebook that a human reviewer should look at."""

import ast
import re

import nbformat

from gradlab import notebooks as nbs

WELL_KNOWN_MODULES = {"np": "numpy", "__builtins__": "builtins"} | {
    name: name for name in ("numpy", "torch", "math", "builtins", "sys", "os", "random", "scipy", "operator",
                            "functools", "nbgrader", "IPython")}
TRICK_METHODS = frozenset({"__eq__", "__ne__", "__bool__", "__float__", "__array__", "__array_ufunc__",
                           "__array_function__", "__instancecheck__", "__getattr__", "__getattribute__",
                           "__hash__"})
FRAME_ATTRIBUTES = frozenset({"f_back", "f_globals", "f_locals", "f_builtins", "tb_frame", "gi_frame", "cr_frame"})
RISKY_IMPORTS = frozenset({"socket", "urllib", "http", "requests", "ftplib", "smtplib", "ctypes", "subprocess",
                           "multiprocessing", "importlib", "pickle", "marshal", "signal", "resource"})
NAMESPACE_MUTATORS = frozenset({"update", "setdefault", "pop", "popitem", "clear", "__setitem__", "__delitem__"})
# What a reference to a name means, by a full match on the name as the notebook's imports resolve it
# (`xp.load` is `numpy.load` after `import numpy as xp`); {name} is that resolved name.
REFERENCE_RULES = tuple((re.compile(pattern), what) for pattern, what in (
    (r"sys\.(_getframe|settrace|setprofile)|inspect\.(currentframe|stack|trace|getouterframes|getsource)",
     "inspects frames ({name})"),
    (r"gc\.(get_objects|get_referrers|get_referents)", "uses {name}"),
    (r"open|io\.open|os\.(open|fdopen)|(numpy|torch)\.(load|loadtxt|fromfile|save|savez|savetxt)", "opens a file"),
    (r"os\.(listdir|scandir|walk)|glob\.\w+", "lists a directory"),
    (r"os\.(remove|unlink|rename|replace|rmdir|mkdir|makedirs)|(shutil|pathlib|tempfile)\.\w+", "touches files ({name})"),
    (r"os\.(system|popen|fork|exec\w*|spawn\w*|posix_spawn\w*)|(subprocess|multiprocessing)\.\w+", "runs a subprocess"),
    (r"(socket|urllib|http|requests|ftplib|smtplib)\.\w+", "network access ({name})"),
    (r"exit|quit|sys\.exit|os\.(_exit|kill|killpg|abort)", "kills or exits the process"),
    (r"exec|eval", "exec/eval"),
    (r"compile", "compiles code"),
    (r"__import__", "imports dynamically (__import__)"),
    (r"(\w+\.)*get_ipython", "touches the IPython shell (get_ipython)"),
))
MAGIC_LINE = re.compile(r"^([ \t]*)[%!](?!=).*$", re.MULTILINE)


def audit_notebook(nb: nbformat.NotebookNode) -> tuple[str, ...]:
    """Flags for the student-written code cells of a submitted notebook, in cell order."""
    cells = [(nbs.grade_id(cell) or f"cell {index}", _parse(cell.source))
             for index, cell in enumerate(nb.cells) if cell.cell_type == "code" and not nbs.is_test_cell(cell)]
    aliases, module_names = _imports(tree for _, tree in cells if isinstance(tree, ast.AST))
    flags = []
    for label, tree in cells:
        if isinstance(tree, str):
            flags.append(f"{label}: does not parse as Python ({tree})")
            continue
        auditor = _Auditor(aliases, module_names)
        try:
            auditor.visit(tree)
        except RecursionError:
            flags.append(f"{label}: nested too deeply to scan")
        flags += [f"{label} line {line}: {what}" for line, what in sorted(auditor.found)]
    return tuple(dict.fromkeys(flags))


def _parse(source: str) -> ast.AST | str:
    """The cell's syntax tree, IPython magic and shell lines read as `pass`; or why it does not parse."""
    try:
        return ast.parse(MAGIC_LINE.sub(r"\1pass", source))
    except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
        return getattr(error, "msg", None) or str(error) or type(error).__name__


def _imports(trees) -> tuple[dict[str, str], set[str]]:
    """Well-known and imported names -> the dotted name each stands for; and the names `import` binds."""
    aliases, module_names = dict(WELL_KNOWN_MODULES), {"__builtins__"}
    for node in (node for tree in trees for node in ast.walk(tree)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                bound = alias.asname or alias.name.split(".")[0]
                aliases[bound] = alias.name if alias.asname else bound
                module_names.add(bound)
        elif isinstance(node, ast.ImportFrom):
            aliases |= {alias.asname or alias.name: f"{node.module or ''}.{alias.name}"
                        for alias in node.names if alias.name != "*"}
    return aliases, module_names


def _dotted(node: ast.AST) -> str | None:
    """`a.b.c` for a chain of attributes on a plain name, else None."""
    if isinstance(node, ast.Name):
        return node.id
    base = _dotted(node.value) if isinstance(node, ast.Attribute) else None
    return base and f"{base}.{node.attr}"


def _verb(node: ast.AST) -> str:
    return "deletes" if isinstance(node.ctx, ast.Del) else "rebinds"


class _Auditor(ast.NodeVisitor):
    """Collects the (line, what) findings of one cell in `found`."""

    def __init__(self, aliases: dict[str, str], module_names: set[str]):
        self.aliases, self.module_names, self.found, self.in_function = aliases, module_names, set(), False

    def flag(self, node: ast.AST, what: str) -> None:
        self.found.add((node.lineno, what))

    def resolve(self, node: ast.AST) -> str:
        """The dotted name `node` stands for through the imports, builtins unprefixed; "" if not a name."""
        head, dot, rest = (_dotted(node) or "").partition(".")
        return (self.aliases.get(head, head) + dot + rest).removeprefix("builtins.")

    def is_module(self, node: ast.AST) -> bool:
        """Whether `node` is an imported or well-known name, or an attribute chain on one."""
        return (_dotted(node) or "").partition(".")[0] in self.aliases

    def is_namespace(self, node: ast.AST) -> bool:
        """Whether `node` is a dict of global names: builtins, sys.modules, `module.__dict__`, globals(), vars()."""
        if isinstance(node, ast.Call):
            function = self.resolve(node.func)
            return function == "globals" or (function == "vars" and (not node.args or self.is_module(node.args[0])))
        if isinstance(node, ast.Attribute) and node.attr == "__dict__":
            return self.is_module(node.value)
        return self.resolve(node) in ("builtins", "sys.modules")

    def check_reference(self, node: ast.AST) -> None:
        name = self.resolve(node)
        for pattern, what in REFERENCE_RULES:
            if pattern.fullmatch(name):
                self.flag(node, what.format(name=name))

    def visit_Name(self, node: ast.Name) -> None:
        if isinstance(node.ctx, ast.Load):
            self.check_reference(node)
        elif node.id in TRICK_METHODS:
            self.flag(node, f"defines {node.id}")
        elif node.id in self.module_names and not self.in_function:
            self.flag(node, f"{_verb(node)} {node.id}")

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if isinstance(node.ctx, ast.Load):
            self.check_reference(node)
            if node.attr in FRAME_ATTRIBUTES:
                self.flag(node, f"inspects frames (.{node.attr})")
        elif self.is_module(node.value):
            self.flag(node, f"{_verb(node)} {ast.unparse(node)}")
        elif isinstance(node.ctx, ast.Store) and node.attr in TRICK_METHODS:
            self.flag(node, f"defines {node.attr}")
        self.generic_visit(node)

    def visit_Subscript(self, node: ast.Subscript) -> None:
        if not isinstance(node.ctx, ast.Load) and self.is_namespace(node.value):
            self.flag(node, f"{_verb(node)} {ast.unparse(node)}")
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        function = self.resolve(node.func)
        if function in ("setattr", "delattr") and node.args and self.is_module(node.args[0]):
            self.flag(node, f"{function} on a module")
        if (isinstance(node.func, ast.Attribute) and node.func.attr in NAMESPACE_MUTATORS
                and self.is_namespace(node.func.value)):
            self.flag(node, f"rebinds entries of {ast.unparse(node.func.value)}")
        self.generic_visit(node)

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        if node.name in TRICK_METHODS:
            self.flag(node, f"defines {node.name}")
        outer, self.in_function = self.in_function, True
        self.generic_visit(node)
        self.in_function = outer

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Import(self, node: ast.Import | ast.ImportFrom) -> None:
        modules = [alias.name for alias in node.names] if isinstance(node, ast.Import) else [node.module or ""]
        for root in {module.split(".")[0] for module in modules} & RISKY_IMPORTS:
            self.flag(node, f"imports {root}")

    visit_ImportFrom = visit_Import
