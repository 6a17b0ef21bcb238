"""The kernel of a run: the guard is installed before IPython starts, so no student code ever runs
without it. Forked by the run's init from the template, which has already imported the notebook's
libraries, IPython and ipykernel; the guard's key and the test-cell parts arrive in memory, never as a file.
"""

import os
import sys

import guard
from ipykernel.kernelapp import IPKernelApp

HERE = os.path.dirname(os.path.abspath(__file__))
OWN_MODULES = ("guard", "seccomp", "protocol", "isolation", "kernel", "runner", "template")
# What ipykernel and IPython import while a kernel starts: the template imports them, so no run does.
STARTUP_MODULES = ("ipykernel.debugger", "IPython.core.debugger", "IPython.core.completerlib",
                   "IPython.extensions.storemagic", "sqlite3", "tornado.queues", "tornado.platform.asyncio",
                   "zmq.utils.garbage", "faulthandler")


def start(plan: dict, report_fd: int, connection_file: str, arguments: list[str]) -> int:
    """Install the guard with ``plan`` (key, parts, guarded modules), then serve ``connection_file``."""
    quiet = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(quiet, fd)
    os.close(quiet)
    guard.install(key=bytes.fromhex(plan["key"]), report_fd=report_fd, parts=plan["parts"],
                  guarded=tuple(plan["guarded"]))
    while HERE in sys.path:
        sys.path.remove(HERE)
    for name in OWN_MODULES:
        sys.modules.pop(name, None)
    IPKernelApp.launch_instance(["-f", connection_file, "--HistoryManager.hist_file=:memory:", *arguments])
    return 0
