"""The in-kernel guard: a PEP 578 audit hook, installed before IPython starts, that student code cannot
remove, reach or switch off.

Once armed (before the first cell) it
- refuses, when student code asks: frames (``sys._getframe``, ``tb_frame``, ``gi_frame``, ...), tracing
  and profiling, the garbage collector's object lists, ctypes, new code objects, ``exec``/``eval``/
  ``compile``, ``/proc`` and new audit hooks; and a seccomp filter stops every thread from starting
  threads or processes, setting signal handlers or timers;
- runs each part of a test cell itself (``gradlab.run`` events, which only a test-cell wrapper the runner
  sent can trigger): it first puts back what student code rebound in the guarded modules and in the
  IPython shell, runs a visible part in the notebook's namespace and a hidden part in a copy of it (so
  student functions never see the names the hidden tests define), then checks that nothing it guards
  changed while the part ran;
- reports each part's outcome (passed, failed with its message, or tampered) to the runner over a pipe,
  signed with a key only the hook holds, so student code can neither forge nor suppress a pass.

Standard library only: it is loaded by ``kernel.py`` inside the sandbox.
"""

import importlib
import linecache
import sys
import threading
# Everything the hook uses while student code cannot run is bound here, when the guard is imported and no
# student code has run: builtins and C functions, never looked up later through names or attributes
# that student code could rebind.
from _ast import Module, PyCF_ONLY_AST
from _hashlib import hmac_digest
from builtins import (BaseException, KeyboardInterrupt, PermissionError, RuntimeError, any, bytes, compile, dict,
                      exec, getattr, issubclass, len, repr, set, str, tuple, type, zip)
from posix import O_PATH, close, readlink, write
from posix import open as open_path

import seccomp
from protocol import FAILED, PASSED, TAMPERED

_getframe, real_audit, modules_dict = sys._getframe, sys.audit, sys.modules
traceback_of = BaseException.__traceback__.__get__
lines_cache = linecache.cache

ARM_SOURCE = "'gradlab: arm the guard'"
RESTORE_SOURCE = "'gradlab: restore before a test cell'"
RUN_FUNCTION = "__gradlab_run__"
# Modules that do on their caller's behalf what the guard refuses (hand out frames, load C functions):
# their frames are looked through when deciding who asked.
LOOKED_THROUGH = frozenset({"inspect", "traceback", "linecache", "dis", "pdb", "bdb", "cgitb", "logging", "ctypes",
                            "stack_data", "executing", "pure_eval", "asttokens"})
REFUSED_FROM_STUDENT = frozenset({
    "sys._getframe", "sys._current_frames", "sys.settrace", "sys.setprofile", "gc.get_objects",
    "gc.get_referrers", "gc.get_referents", "code.__new__", "function.__new__", "compile", "exec",
    "marshal.loads", "marshal.load", "builtins.breakpoint"})
FRAME_ATTRIBUTES = frozenset({"tb_frame", "gi_frame", "cr_frame", "ag_frame", "f_code", "gi_code", "cr_code", "ag_code"})
REFUSED_ALWAYS = frozenset({"sys.addaudithook", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork",
                            "os.forkpty", "subprocess.Popen", "pty.spawn"})
MESSAGE_CHARACTERS = 300
# The shell's attributes through which student code could change how a cell is run or its errors shown.
SHELL_HOOKS = ("input_transformers_cleanup", "input_transformers_post", "input_transformer_manager",
               "ast_transformers", "events", "CustomTB", "custom_exceptions", "showtraceback", "_showtraceback",
               "showsyntaxerror", "run_cell", "run_cell_async", "run_ast_nodes", "run_code", "transform_cell",
               "transform_ast", "compile", "user_expressions", "InteractiveTB", "SyntaxTB", "displayhook")
MODULE_ALIASES = (("np", "numpy"), ("numpy", "numpy"), ("math", "math"), ("torch", "torch"))


class TamperingFound(Exception):
    """The code under test changed what the guard keeps genuine; the test cell scores zero."""


class HiddenTestFailure(Exception):
    """A hidden test failed; the message is the first line of its own, and the hidden line's number."""


def install(*, key: bytes, report_fd: int, parts: dict[str, str], guarded: tuple[str, ...]) -> None:
    """Install the hook. ``parts`` maps part ids ("<cell>:visible", "<cell>:hidden") to their code;
    ``guarded`` names the modules whose contents are put back before each part."""
    wrappers = {wrapper_source(part): part for part in parts}
    state = {"armed": False, "pending": None, "sequence": 0, "students": set()}
    inside = threading.local()

    def report(part: str, status: str, message: str = "") -> None:
        """One signed line: sequence, part, status and message, separated by a character none contains."""
        state["sequence"] += 1
        body = REPORT_SEPARATOR.join((repr(state["sequence"]), part, status, str.replace(message, REPORT_SEPARATOR, " ")))
        signature = bytes.hex(hmac_digest(key, str.encode(body), "sha256"))
        try:
            write(report_fd, str.encode(f"{signature} {body}\n"))
        except OSError:
            pass  # the runner counts a missing report as a failed part

    def arm() -> None:
        """Record what is genuine (IPython has started, no student code has run yet), then close the doors.
        Every object recorded here is used directly later, never looked up again through attributes that
        student code could have replaced."""
        from IPython import get_ipython
        shell = get_ipython()
        modules = [importlib.import_module(name) for name in guarded]
        classes = [sys.modules["torch"].Tensor] if "torch" in sys.modules else []
        state.update(
            modules=modules, user_ns=shell.user_ns, shell_dict=vars(shell),
            pristine=[(owner.__name__, vars(owner), dict(vars(owner)), owner if owner in classes else None)
                      for owner in modules + classes],
            shell_pristine={name: value for name, value in vars(shell).items() if name in SHELL_HOOKS},
            hooks=[(hook, list(hook)) for hook in (shell.input_transformers_cleanup, shell.input_transformers_post,
                                                   shell.ast_transformers, *shell.events.callbacks.values())])
        _start_lazy_threads()
        seccomp.load()
        state["armed"] = True

    def changed() -> list[str]:
        """What was rebound or deleted in the guarded modules, and whether the shell's hooks changed, since
        they were recorded (names added, such as lazily imported submodules, do not count)."""
        found = [f"{owner}.{name}" for owner, live, contents, _ in state["pristine"]
                 for name, value in contents.items() if live.get(name, changed) is not value]
        if any(len(hook) != len(contents) or any(now is not then for now, then in zip(hook, contents))
               for hook, contents in state["hooks"]):
            found.append("the IPython shell's hooks")
        return found

    def restore() -> None:
        """Put back the guarded modules' contents, sys.modules, the shell's hooks and the usual aliases."""
        for _, live, contents, cls in state["pristine"]:
            for name, value in contents.items():
                if live.get(name, restore) is not value:
                    if cls is None:
                        live[name] = value
                    else:
                        type.__setattr__(cls, name, value)
        vars(sys)["modules"] = modules_dict
        for module in state["modules"]:
            modules_dict[module.__name__] = module
        for hook, contents in state["hooks"]:
            hook[:] = contents
        shell_dict = state["shell_dict"]
        for name in SHELL_HOOKS:
            if name in state["shell_pristine"]:
                shell_dict[name] = state["shell_pristine"][name]
            else:
                shell_dict.pop(name, None)  # an instance attribute shadowing one of the shell's methods
        namespace = state["user_ns"]
        for alias, module in MODULE_ALIASES:
            if alias in namespace and module in modules_dict:
                namespace[alias] = modules_dict[module]
        namespace[RUN_FUNCTION] = real_audit

    def run(part: str) -> None:
        """Run one test-cell part statement by statement, checking after each that the code under test
        changed nothing guarded, and report how it went. A visible part's exception goes on to IPython as
        it is; a hidden part's is replaced by one that names the hidden line and quotes no code."""
        __tracebackhide__ = True  # noqa: F841
        visible = part.endswith(":visible")
        namespace = state["user_ns"] if visible else dict(state["user_ns"])
        filename = f"<test cell {part}>"
        statements = [compile(Module([node], []), filename, "exec")
                      for node in compile(parts[part], filename, "exec", PyCF_ONLY_AST).body]
        if visible:  # students see their visible checks' lines in tracebacks; never a hidden line
            lines_cache[filename] = (len(parts[part]), None, str.splitlines(parts[part], True), filename)
        try:
            for statement in statements:
                inside.busy = False
                try:
                    exec(statement, namespace)
                finally:
                    inside.busy = True
                if tampered := changed():
                    raise TamperingFound(_tamper_message(tampered))
        except BaseException as error:
            inside.busy = False
            try:
                message = describe(error)
            finally:
                inside.busy = True
            tampered = changed()
            report(part, TAMPERED if tampered or issubclass(type(error), TamperingFound) else FAILED,
                   _tamper_message(tampered) if tampered else message)
            if visible or issubclass(type(error), KeyboardInterrupt):
                raise
            raise HiddenTestFailure(f"{message} (hidden tests, line {_line_in(traceback_of(error), filename)})") from None
        report(part, PASSED)

    def asked_by_student() -> bool:
        """Whether the code that raised the event, looked through the guard itself and through wrappers
        such as ``inspect``, is student code (code of a cell the guard did not recognise)."""
        frame = _caller()
        while frame is not None and _module_of(frame) in LOOKED_THROUGH:
            frame = frame.f_back
        if frame is None:
            return False
        filename = frame.f_code.co_filename
        return type(filename) is not str or filename in state["students"]

    def on_compile(source, filename) -> None:
        """Arm, restore or expect a test part when the runner's own cells are compiled; note student cells."""
        if type(source) is bytes:
            source = bytes.decode(source, errors="replace")
        if type(source) is not str:
            return
        stripped = str.strip(source)
        if (stripped in RUNNER_SOURCES or stripped in wrappers) and _module_of(_caller()) != "IPython":
            return  # the runner's cells are compiled by IPython; anything else is an imitation
        if stripped == ARM_SOURCE and not state["armed"]:
            arm()
        elif stripped == RESTORE_SOURCE and state["armed"]:
            restore()
        elif stripped in wrappers and state["armed"]:
            restore()
            state["pending"] = wrappers[stripped]
        elif type(filename) is str and "ipykernel_" in filename:
            state["students"].add(filename)

    def refused(event: str, args: tuple) -> bool:
        if event in REFUSED_ALWAYS or (event == "open" and len(args) > 1 and _opens_process_memory(args[0])):
            return True
        attribute = args[1] if len(args) > 1 and type(args[1]) is str else ""
        return (str.startswith(event, "ctypes.") or event in REFUSED_FROM_STUDENT
                or (event == "object.__getattr__" and attribute in FRAME_ATTRIBUTES)
                or (event in ("object.__setattr__", "object.__delattr__") and attribute in ("__code__", "__globals__"))
                or (event == "open" and (args[1] is None or type(args[0]) not in (str, bytes, int)))
                ) and asked_by_student()

    def hook(event: str, args: tuple) -> None:
        __tracebackhide__ = True  # noqa: F841 (read by IPython, which leaves this frame out of tracebacks)
        if type(event) is not str or getattr(inside, "busy", False):
            return  # (student code can raise events named by str subclasses; none of the guard's own)
        inside.busy = True
        try:
            if event == "gradlab.run":
                part, state["pending"] = state["pending"], None
                if part is not None and args and type(args[0]) is str and args[0] == part:
                    run(part)
                return
            if state["armed"] and refused(event, args):
                if event == "sys.addaudithook":
                    raise RuntimeError("no new audit hooks")  # Python then adds none, and says nothing
                raise PermissionError(f"graded code may not use {_what(event, args)}")
            if event == "compile":
                on_compile(*args[:2])
        finally:
            inside.busy = False

    sys.addaudithook(hook)


GUARD_GLOBALS = globals()
RUNNER_SOURCES = frozenset({ARM_SOURCE, RESTORE_SOURCE})  # with each part's wrapper
REPORT_SEPARATOR = "\x1f"


def wrapper_source(part: str) -> str:
    """The cell the runner sends to run one part: a call of the name the guard binds to ``sys.audit``."""
    return f"{RUN_FUNCTION}('gradlab.run', {part!r})"


def describe(error: BaseException) -> str:
    """The error's type and the first line of its message: what a student may read of a hidden test.
    (Called while the guard watches: the error's ``__str__`` may be student code.)"""
    lines = str.splitlines(str.strip(str(error)))
    text = f"{type(error).__name__}: {lines[0]}" if lines else type(error).__name__
    return text[:MESSAGE_CHARACTERS]


def _start_lazy_threads() -> None:
    """Start now the threads the kernel would otherwise start on first need, after no thread may start:
    pyzmq's garbage collector, which sends every output over 64 kB."""
    from zmq.utils.garbage import gc
    if not gc.is_alive():
        gc.start()
    gc._push_socket  # noqa: B018 (its context's I/O thread starts with the socket)


def _tamper_message(names: list[str]) -> str:
    return f"the code under test changed {', '.join(names)}"


def _line_in(traceback, filename: str) -> int | str:
    """The line of ``filename`` where the traceback left it last."""
    line = "?"
    while traceback is not None:
        if traceback.tb_frame.f_code.co_filename == filename:
            line = traceback.tb_lineno
        traceback = traceback.tb_next
    return line


def _caller():
    """The frame of the code that raised the event the guard is handling."""
    frame = _getframe(1)
    while frame is not None and frame.f_globals is GUARD_GLOBALS:
        frame = frame.f_back
    return frame


def _module_of(frame) -> str:
    """The top-level package of the code running in ``frame`` ("" when its globals do not say)."""
    if frame is None or type(frame.f_globals) is not dict:
        return ""
    name = dict.get(frame.f_globals, "__name__")
    return str.partition(name, ".")[0] if type(name) is str else ""


def _opens_process_memory(path) -> bool:
    """Whether ``path`` is, once the kernel resolved links and "..", a process's memory under /proc
    (writing there would rewrite the interpreter itself)."""
    if type(path) not in (str, bytes):
        return False
    try:
        descriptor = open_path(path, O_PATH)
    except OSError:
        return False  # it does not exist, and /proc makes no new files
    try:
        real = readlink(f"/proc/self/fd/{descriptor}")
    finally:
        close(descriptor)
    return str.startswith(real, "/proc/") and str.endswith(real, ("/mem", "/pagemap"))


def _what(event: str, args: tuple) -> str:
    """The refused operation, in words that quote nothing student code could have made."""
    if str.startswith(event, "object.") and len(args) > 1 and type(args[1]) is str:
        return f"the {args[1]} attribute"
    if event == "open":
        return "os.open, a path that is not text, or a process's memory"
    return event
