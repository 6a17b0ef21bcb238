"""Execute one notebook inside the sandbox and print the executed notebook as JSON on stdout.

Runs as a plain script (``python kernel_runner.py REQUEST.json``) with only the sandbox's read-only
system and its scratch folder in view, so it imports nothing from gradlab. The kernel it starts gets
/dev/null for stdout and stderr and cannot reach this process: its result travels through a pipe the
kernel never holds, and this process is made undumpable so the kernel cannot open it via /proc.
"""

import ctypes
import json
import os
import signal
import sys
import threading
import time

# jsonschema, which nbformat imports, builds the grammar of an optional URI format checker when imported:
# two seconds of every run, for a format no notebook schema uses. Without the module it skips that checker.
sys.modules.setdefault("rfc3987_syntax", None)

import nbformat  # noqa: E402 (after the line above)
from nbclient import NotebookClient  # noqa: E402
from nbclient.exceptions import DeadKernelError  # noqa: E402

PR_SET_DUMPABLE = 4
ERROR_CHARACTERS = 2000  # of an error's message and of each traceback line, when its output is too big
TIMEOUT_ERROR = {"ename": "CellTimeoutError", "evalue": "",
                 "traceback": ["\x1b[0;31mCellTimeoutError\x1b[0m: No reply from kernel before timeout"]}

# Installed silently before the first cell: remembers the genuine contents of the modules tests rely on
# and the shell's hooks (input and AST transformers, event callbacks, custom exception handlers).
GUARD_SETUP = '''
def _gradlab_guard(watched):
    import importlib, sys, types
    shell = get_ipython()
    modules = [importlib.import_module(name) for name in watched]
    classes = [sys.modules["torch"].Tensor] if "torch" in sys.modules else []
    pristine = [(owner, dict(vars(owner))) for owner in modules + classes]
    hooks = [shell.input_transformers_cleanup, shell.input_transformers_post, shell.ast_transformers,
             *shell.events.callbacks.values()]
    pristine_hooks = [(hook, list(hook)) for hook in hooks]
    aliases = {"np": "numpy", "numpy": "numpy", "torch": "torch", "math": "math"}
    def restore():
        for owner, contents in pristine:
            current = vars(owner)
            for name, value in contents.items():
                if current.get(name, restore) is not value:
                    try:
                        setattr(owner, name, value)
                    except (TypeError, AttributeError):
                        pass
        for hook, contents in pristine_hooks:
            hook[:] = contents
        shell.set_custom_exc((), None)
        sys.settrace(None)
        for module in modules:
            sys.modules[module.__name__] = module
        for alias, name in aliases.items():
            if alias in shell.user_ns and name in sys.modules and not isinstance(shell.user_ns[alias], types.ModuleType):
                shell.user_ns[alias] = sys.modules[name]
    module = types.ModuleType("_gradlab_guard")
    module.restore = restore
    sys.modules["_gradlab_guard"] = module
_gradlab_guard(%r)
del _gradlab_guard
'''
# Evaluated before every test cell as a user expression, which no input or AST transformer sees:
# puts back whatever student code rebound in those modules and hooks.
GUARD_RESTORE = "__import__('_gradlab_guard').restore()"
GUARDED_MODULES = ("builtins", "math", "cmath", "operator", "numpy", "numpy.testing", "numpy.linalg")


def _is_test_cell(cell) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return cell.cell_type == "code" and bool(meta.get("grade")) and not meta.get("solution")


class SandboxedClient(NotebookClient):
    """nbclient with nbgrader's handling of errors, the test-cell guard, and stray processes reaped."""

    def __init__(self, nb, guarded_modules, own_process_namespace: bool, **kwargs):
        super().__init__(nb, on_cell_execute=self._before_cell, on_cell_executed=self._after_cell, **kwargs)
        self.guarded_modules = guarded_modules
        self.own_process_namespace = own_process_namespace
        self.guard_installed = False
        self.current_cell = None

    def keep_alive(self) -> set[int]:
        """This process and the kernel: everything else in the sandbox is a stray."""
        return {os.getpid(), self.km.provisioner.process.pid}

    async def _silently(self, code, **expressions):
        await self.async_wait_for_reply(
            self.kc.execute(code, silent=True, store_history=False, user_expressions=expressions))

    async def _before_cell(self, cell, cell_index):
        self.current_cell = cell_index
        if not self.guard_installed:
            await self._silently(GUARD_SETUP % (self.guarded_modules,))
            self.guard_installed = True
        if _is_test_cell(cell):
            await self._silently("", restored=GUARD_RESTORE)

    async def _after_cell(self, cell, cell_index, execute_reply):
        """Record an error the kernel replied with but never displayed (a timeout), as nbgrader does."""
        if self.own_process_namespace:
            reap_strays(self.keep_alive())
        content = execute_reply["content"]
        if content["status"] == "error" and not any(
                o.output_type == "error" and o.ename == content["ename"] for o in cell.outputs):
            cell.outputs.append(nbformat.v4.new_output(
                "error", ename=content["ename"], evalue=content["evalue"],
                traceback=content["traceback"] or ["ERROR: An error occurred while showtraceback was disabled"]))


def reap_strays(keep) -> None:
    """Stop, then kill, every process in the sandbox but this one, the kernel and the sandbox's init."""
    stopped = set()
    while True:
        strays = {pid for pid in _pids() if pid not in keep and pid != 1} - stopped
        if not strays:
            break
        for pid in strays:
            _signal(pid, signal.SIGSTOP)
        stopped |= strays
    for pid in stopped:
        _signal(pid, signal.SIGKILL)


def watch_process_count(client: SandboxedClient, limit: int) -> None:
    """Reap strays as soon as the sandbox nears its process limit: a fork bomb must not starve the kernel."""
    while True:
        time.sleep(0.2)
        if client.current_cell is not None and sum(1 for _ in _pids()) >= limit - 8:
            reap_strays(client.keep_alive())


def _pids():
    return (int(name) for name in os.listdir("/proc") if name.isdigit())


def _signal(pid, signum):
    try:
        os.kill(pid, signum)
    except (ProcessLookupError, PermissionError):
        pass


def truncate_outputs(nb, max_bytes: int) -> None:
    """Cut outputs so that no cell's outputs exceed ``max_bytes`` in all; an error stays an error."""
    for cell in nb.cells:
        budget = max_bytes
        for index, output in enumerate(cell.get("outputs", [])):
            size = len(json.dumps(output))
            if size > budget:
                cell.outputs[index] = output = _shrunk(output, budget, size)
            budget -= len(json.dumps(output))


def _shrunk(output, budget: int, size: int):
    note = f"[output cut: {size} bytes, over this cell's output limit]"
    if output.output_type == "stream":
        return nbformat.v4.new_output("stream", name=output.name, text=output.text[:max(budget, 0)] + "\n" + note + "\n")
    if output.output_type == "error":  # dropping it would let a failing test cell score
        return nbformat.v4.new_output("error", ename=output.ename, evalue=output.evalue[:ERROR_CHARACTERS],
                                      traceback=[line[:ERROR_CHARACTERS] for line in output.traceback[-20:]] + [note])
    return nbformat.v4.new_output("stream", name="stdout", text=note + "\n")


def main(request_path: str) -> int:
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
    with open(request_path) as file:
        request = json.load(file)
    nb = nbformat.read(request["notebook"], as_version=4)
    guarded = GUARDED_MODULES + (("torch",) if any("torch" in c.source for c in nb.cells) else ())
    client = SandboxedClient(
        nb, guarded, request["sandboxed"], timeout=request["cell_timeout"], startup_timeout=request["startup_timeout"],
        interrupt_on_timeout=True, error_on_timeout=TIMEOUT_ERROR, allow_errors=True, kernel_name="python3",
        shutdown_kernel="immediate",
        extra_arguments=request["extra_arguments"], resources={"metadata": {"path": os.getcwd()}})
    if request["sandboxed"]:  # outside a sandbox, every process of the machine would look like a stray
        threading.Thread(target=watch_process_count, args=(client, request["processes"]), daemon=True).start()
    started = time.monotonic()
    died_in = None
    try:
        client.execute(stdout=open(os.devnull, "w"), stderr=open(os.devnull, "w"))
    except DeadKernelError:
        died_in = client.current_cell
    truncate_outputs(nb, request["output_bytes"])
    nb.metadata["gradlab"] = {"kernel_died_in_cell": died_in, "seconds": round(time.monotonic() - started, 3)}
    sys.stdout.write(nbformat.writes(nb))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
