"""The kernel of a sandboxed run: the guard is installed and the notebook's libraries imported before
IPython starts, so no student code ever runs without the guard.

``python kernel.py SETUP.json -f CONNECTION_FILE``: the runner writes the setup (the guard's key, the
test-cell parts, the report pipe, what to import) and this script deletes it once read.
"""

import importlib
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def main() -> None:
    setup_path = sys.argv.pop(1)
    with open(setup_path) as file:
        setup = json.load(file)
    os.unlink(setup_path)
    report_fd = os.open(setup["report_pipe"], os.O_WRONLY)
    os.unlink(setup["report_pipe"])
    # What ipykernel would set at its start, set before matplotlib is imported here (it reads it on import):
    # figures are drawn inline unless the grader's environment names another backend.
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    for name in setup["preload"]:
        try:
            importlib.import_module(name)
        except Exception:  # the notebook's own import will say what is wrong, in its cell
            pass
    sys.path.insert(0, HERE)
    import guard
    guard.install(key=bytes.fromhex(setup["key"]), report_fd=report_fd, parts=setup["parts"],
                  guarded=tuple(setup["guarded"]))
    sys.path.remove(HERE)
    for name in ("guard", "seccomp", "protocol"):
        del sys.modules[name]
    from ipykernel import kernelapp
    kernelapp.launch_new_instance()


if __name__ == "__main__":
    main()
