"""nbgrader configuration of the course "Gradients for Machine Learning".

Read by nbgrader's own commands and by ``gradlab``; paths are relative to this folder.
"""

import os

c = get_config()  # noqa: F821 -- provided by traitlets when nbgrader loads this file

c.CourseDirectory.course_id = "gradients-for-ml"

# Students' work comes from LMS downloads (`gradlab collect`), not through nbgrader's exchange. The
# exchange is this course's own exchange/ folder, so that formgrader and nbgrader do not warn that the
# shared one (/usr/local/share/nbgrader/exchange) is missing.
c.Exchange.root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "exchange")

# The assignments, in teaching order. Each is source/<id>/<id>.ipynb.
c.Gradlab.assignments = [
    "01_finite_differences",
    "02_chain_rule",
    "03_mse_gradients",
    "04_logistic_gradients",
    "05_hessians",
    "06_natural_gradient",
    "07_fgsm",
]

# What a released notebook shows where a solution was.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Only the notebook and small helper modules are course material.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", ".*"]

# Executing a submission. gradlab runs every submission in a bubblewrap sandbox (read-only system, no
# network, its own processes, nothing of the course in view) under these limits (every c.Sandbox and
# c.Gradlab option, with its default, is listed in gradlab/settings.py and the README; gradlab refuses
# a misspelt one):
c.Sandbox.cell_timeout = 30               # seconds; a cell that runs longer is interrupted and scores zero
c.Sandbox.notebook_timeout = 180          # seconds for the whole notebook, kernel start included
c.Sandbox.memory_bytes = 2 * 2**30        # per process
c.Sandbox.processes = 1024
c.Sandbox.output_bytes = 2**20            # outputs kept per cell
c.Sandbox.file_bytes = 64 * 2**20         # largest file a submission may write
c.Sandbox.scratch_bytes = 256 * 2**20     # all its files, in its working folder (held in memory)
# The same per-cell limit for nbgrader's own commands (plain `nbgrader autograde`, formgrader).
c.Execute.timeout = 30
c.Execute.startup_timeout = 60
c.Execute.interrupt_on_timeout = True

# nbgrader's own autograde (the command, formgrader's Autograde button) would run student code unsandboxed
# with your permissions: it refuses and names `gradlab grade`. Feedback, from gradlab or formgrader, shows
# of each test cell its visible checks and whether its hidden tests passed, never their code or output.
try:
    from gradlab.nbgrader_api import FEEDBACK_STEPS, REFUSING_AUTOGRADE_STEPS
except ImportError:  # a student's environment, without gradlab: nothing is graded there
    pass
else:
    c.Autograde.autograde_preprocessors = REFUSING_AUTOGRADE_STEPS
    c.GenerateFeedback.preprocessors = FEEDBACK_STEPS

# Late work. Each assignment's due date, with its time zone (an assignment not listed has none, unless one
# was set with `nbgrader db assignment add ID --duedate`). nbgrader reads when each student submitted from
# submitted/<student>/<id>/timestamp.txt (which `gradlab collect` writes) and how late that was; the plugin
# below takes 10% of the points earned per day or part of a day late, for up to 3 days; later work scores zero.
c.Gradlab.due_dates = {
    "01_finite_differences": "2026-11-02 23:59:00 Europe/Berlin",
    "02_chain_rule": "2026-11-16 23:59:00 Europe/Berlin",
    "03_mse_gradients": "2026-11-30 23:59:00 Europe/Berlin",
    "04_logistic_gradients": "2026-12-14 23:59:00 Europe/Berlin",
    "05_hessians": "2027-01-11 23:59:00 Europe/Berlin",
    "06_natural_gradient": "2027-01-25 23:59:00 Europe/Berlin",
    "07_fgsm": "2027-02-08 23:59:00 Europe/Berlin",
}
c.AssignLatePenalties.plugin_class = "gradlab.lateness.PercentPerDayLate"
c.PercentPerDayLate.percent_per_day = 10
c.PercentPerDayLate.days_accepted = 3

# What happens to the score of a submission the audit flags: "hold" keeps it out of feedback and grade
# exports (status `held`) until `gradlab release-held` after your review; "record" records it as graded,
# with its flags.
c.Gradlab.flagged_scores = "hold"

# A student who deleted a test cell gets it back (and is graded by it).
c.OverwriteCells.add_missing_cells = True

# A library warning printed to stderr must not zero a correct answer: nbgrader scores any cell
# with stderr output as zero. Warnings that matter are turned into errors inside the hidden tests.
c.IgnorePattern.enabled = True
c.IgnorePattern.pattern = r"(?m)^\S[^\n]*:\d+: \w*Warning: "

# Keep huge outputs out of the autograded notebooks and feedback.
c.LimitOutput.max_lines = 1000
c.LimitOutput.max_traceback = 100

# The kernel's own log (e.g. about its transport) is not the student's output.
c.Execute.extra_arguments = ["--IPKernelApp.log_level=ERROR"]

# `gradlab collect ARCHIVE.zip ASSIGNMENT` reads Canvas's and Moodle's own file names (see the README) and
# takes student ids from the roster (`gradlab roster import FILE.csv`). For another LMS, uncomment and set a
# pattern matched against the path inside the zip, as nbgrader's zip_collect does: it needs a student_id
# group; a timestamp group, if any, picks each student's newest notebook and becomes timestamp.txt.
# c.FileNameCollectorPlugin.named_regexp = r"(?P<student_id>[^/_]+)_[^/]*?[_/](?P<file_id>[^/]+\.ipynb)$"
