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

import hashlib
import hmac
import importlib
import json
import linecache
import os
import sys
import threading
import types

import seccomp
from protocol import FAILED, PASSED, TAMPERED

ARM_SOURCE = "'gradlab: arm the guard'"
RESTORE_SOURCE = "'gradlab: restore before a test cell'"
RUN_FUNCTION = "__gradlab_run__"
# Frames of these modules are looked through when deciding who asked for a frame.
INTROSPECTION_MODULES = frozenset({"inspect", "traceback", "linecache", "dis", "pdb", "bdb", "cgitb",
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


class HiddenTestFailure(Exception):
    """A hidden test failed; the message is the first line of its own, and the hidden line's number."""


def install(*, key: bytes, report_fd: int, parts: dict[str, str], guarded: tuple[str, ...]) -> None:
    """Install the hook. ``parts`` maps part ids ("<cell>:visible", "<cell>:hidden") to their code;
    ``guarded`` names the modules whose contents are put back before each part."""
    wrappers = {wrapper_source(part): part for part in parts}
    modules_dict = sys.modules
    state = {"armed": False, "pending": None, "sequence": 0, "students": set()}
    inside = threading.local()
    real_audit, real_compile, real_exec = sys.audit, compile, exec

    def report(part: str, status: str, message: str = "") -> None:
        state["sequence"] += 1
        body = json.dumps({"sequence": state["sequence"], "part": part, "status": status, "message": message})
        signature = hmac.new(key, body.encode(), hashlib.sha256).hexdigest()
        try:
            os.write(report_fd, f"{signature} {body}\n".encode())
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
        seccomp.load()
        state["armed"] = True

    def changed() -> list[str]:
        """What was rebound or deleted in the guarded modules, and whether the shell's hooks changed, since
        they were recorded (names added, such as lazily imported submodules, do not count)."""
        found = [f"{owner}.{name}" for owner, live, contents, _ in state["pristine"]
                 for name, value in contents.items() if live.get(name, changed) is not value]
        if any(list(hook) != contents for hook, contents in state["hooks"]):
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
        """Run one test-cell part and report how it went. A visible part's exception goes on to IPython as
        it is; a hidden part's is replaced by one that names the hidden line and quotes no code."""
        __tracebackhide__ = True  # noqa: F841
        visible = part.endswith(":visible")
        namespace = state["user_ns"] if visible else dict(state["user_ns"])
        filename = f"<test cell {part}>"
        code = real_compile(parts[part], filename, "exec")
        if visible:  # students see their visible checks' lines in tracebacks; never a hidden line
            linecache.cache[filename] = (len(parts[part]), None, parts[part].splitlines(True), filename)
        try:
            inside.busy = False
            try:
                real_exec(code, namespace)
            finally:
                inside.busy = True
        except BaseException as error:
            inside.busy = False
            try:
                message = describe(error)
            finally:
                inside.busy = True
            tampered = changed()
            report(part, TAMPERED if tampered else FAILED, _tamper_message(tampered) if tampered else message)
            if visible or isinstance(error, KeyboardInterrupt):
                raise
            raise HiddenTestFailure(f"{message} (hidden tests, line {_line_in(error.__traceback__, filename)})") from None
        tampered = changed()
        if tampered:
            report(part, TAMPERED, _tamper_message(tampered))
            raise RuntimeError(f"{_tamper_message(tampered)}; this test cell scores zero")
        report(part, PASSED)

    def asked_by_student() -> bool:
        frame = sys._getframe(2)
        while frame is not None and frame.f_globals.get("__name__", "").split(".")[0] in INTROSPECTION_MODULES:
            frame = frame.f_back
        return frame is not None and frame.f_code.co_filename in state["students"]

    def on_compile(source, filename) -> None:
        text = source.decode(errors="replace") if isinstance(source, bytes) else source
        if not isinstance(text, str):
            return
        stripped = text.strip()
        if stripped == ARM_SOURCE and not state["armed"]:
            arm()
        elif stripped == RESTORE_SOURCE and state["armed"]:
            restore()
        elif stripped in wrappers and state["armed"]:
            restore()
            state["pending"] = wrappers[stripped]
        elif isinstance(filename, str) and "ipykernel_" in filename:
            state["students"].add(filename)

    def refused(event: str, args: tuple) -> bool:
        if event in REFUSED_ALWAYS or (event == "open" and _is_process_memory(args[0])):
            return True
        return (event.startswith("ctypes.") or event in REFUSED_FROM_STUDENT
                or (event == "object.__getattr__" and args[1] in FRAME_ATTRIBUTES)
                or (event in ("object.__setattr__", "object.__delattr__") and args[1] in ("__code__", "__globals__"))
                or (event == "open" and str(args[0]).startswith("/proc"))) and asked_by_student()

    def hook(event: str, args: tuple) -> None:
        __tracebackhide__ = True  # noqa: F841 (read by IPython, which leaves this frame out of tracebacks)
        if getattr(inside, "busy", False):
            return
        inside.busy = True
        try:
            if event == "gradlab.run":
                part, state["pending"] = state["pending"], None
                if part is not None and args and args[0] == part:
                    run(part)
                return
            if state["armed"] and refused(event, args):
                raise PermissionError(f"graded code may not use {_what(event, args)}")
            if event == "compile":
                on_compile(*args[:2])
        finally:
            inside.busy = False

    sys.addaudithook(hook)


def wrapper_source(part: str) -> str:
    """The cell the runner sends to run one part: a call of the name the guard binds to ``sys.audit``."""
    return f"{RUN_FUNCTION}('gradlab.run', {part!r})"


def describe(error: BaseException) -> str:
    """The error's type and the first line of its message: what a student may read of a hidden test."""
    lines = str(error).strip().splitlines()
    text = f"{type(error).__name__}: {lines[0]}" if lines else type(error).__name__
    return text[:MESSAGE_CHARACTERS]


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


def _is_process_memory(path) -> bool:
    parts = str(path).split("/")
    return len(parts) == 4 and parts[1] == "proc" and parts[3] in ("mem", "pagemap")


def _what(event: str, args: tuple) -> str:
    if event == "object.__getattr__" or event.startswith("object."):
        return f"the {args[1]} attribute"
    return event
