"""The warm template that forks every run, tried as a hostile submission would: nothing one run leaves
behind reaches the next, a run sees no other run's files or processes, and the template itself stays a
single-threaded interpreter that is safe to fork."""

import concurrent.futures
import os
import textwrap

import nbformat

from gradlab.sandbox import host

LEAVE_TRACES = textwrap.dedent("""
    import errno, json, os, sys
    for path in ("/home/student/work/left.txt", "/tmp/left.txt", "/dev/shm/left.txt"):
        open(path, "w").write("from the run before")
    os.environ["LEFT"] = "from the run before"
    json.LEFT = "from the run before"
    sys.modules["left_behind"] = json
    for folder in ("/opt/gradlab/sandbox", sys.prefix):
        try:
            open(os.path.join(folder, "left.txt"), "w")
        except OSError as error:
            print(errno.errorcode[error.errno])
""")
LOOK_FOR_TRACES = textwrap.dedent("""
    import json, os, sys
    print([path for path in ("/home/student/work/left.txt", "/tmp/left.txt", "/dev/shm/left.txt",
                             "/opt/gradlab/sandbox/left.txt") if os.path.exists(path)],
          os.environ.get("LEFT"), getattr(json, "LEFT", None), "left_behind" in sys.modules)
""")
LOOK_AROUND = textwrap.dedent("""
    import os, time
    open("marker-" + NAME, "w").close()
    time.sleep(SLEEP)
    found = [os.path.join(folder, name) for folder in ("/home/student/work", "/tmp", "/dev/shm")
             for name in os.listdir(folder) if name.startswith("marker-")]
    print(sorted(int(pid) for pid in os.listdir("/proc") if pid.isdigit()), os.getuid() != 0, sorted(found))
""")


def _executed(cells: list[str]):
    """Execute code cells in a sandboxed run; the executed notebook's cells."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in cells])
    executed = host.execute(host.Job("student", "isolation", nbformat.writes(nb)))
    assert executed.failure == ""
    return nbformat.reads(executed.notebook, as_version=4).cells


def _stdout(cells: list[str]) -> list[str]:
    """Each cell's standard output, executed in a sandboxed run."""
    return ["".join(o.get("text", "") for o in cell.outputs).strip() for cell in _executed(cells)]


def test_nothing_a_run_leaves_behind_reaches_the_next_run_of_the_same_template():
    assert _stdout([LEAVE_TRACES]) == ["EROFS\nEROFS"]  # the package and the interpreter are read-only
    assert _stdout([LOOK_FOR_TRACES]) == ["[] None None False"]


def test_concurrent_runs_see_only_their_own_processes_and_files():
    sources = [f"NAME, SLEEP = {name!r}, {sleep}\n" + LOOK_AROUND for name, sleep in (("first", 4), ("second", 1))]
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        first, second = pool.map(lambda source: _stdout([source]), sources)
    # Each run's processes are its init (1), its kernel (2) and its runner (3), as a user who is not root.
    assert first == ["[1, 2, 3] True ['/home/student/work/marker-first']"]
    assert second == ["[1, 2, 3] True ['/home/student/work/marker-second']"]


def test_the_template_is_a_single_threaded_interpreter_after_importing_torch():
    template = host.Template(("numpy", "torch", "matplotlib.pyplot"), sandboxed=False)
    try:
        assert os.listdir(f"/proc/{template.process.pid}/task") == [str(template.process.pid)]
    finally:
        template.close()


def test_runs_draw_figures_as_the_graders_environment_says_whichever_template_ran_before(monkeypatch):
    plot = "import matplotlib.pyplot as plt\nplt.plot([1, 2, 3])\nplt.show()"
    monkeypatch.delenv("MPLBACKEND", raising=False)
    assert [sorted(o.get("data", {})) for o in _executed([plot])[0].outputs] == [["image/png", "text/plain"]]
    monkeypatch.setenv("MPLBACKEND", "agg")  # as the mutation suite sets it: no figure drawn
    assert [o.output_type for o in _executed([plot])[0].outputs] == []
    monkeypatch.delenv("MPLBACKEND")
    assert [sorted(o.get("data", {})) for o in _executed([plot])[0].outputs] == [["image/png", "text/plain"]]
