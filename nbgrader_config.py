"""nbgrader configuration of the course "Gradients for Machine Learning".

Read by nbgrader's own commands and by ``gradlab``; paths are relative to this folder.
"""

c = get_config()  # noqa: F821 -- provided by traitlets when nbgrader loads this file

c.CourseDirectory.course_id = "gradients-for-ml"

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

# Executing a submission: a cell that runs longer than this is stopped and scores zero.
c.Execute.timeout = 30
c.Execute.startup_timeout = 60
c.Execute.interrupt_on_timeout = True

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
