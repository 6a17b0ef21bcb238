"""The course settings of gradlab, set in nbgrader_config.py as ``c.Gradlab.*`` and ``c.Sandbox.*``.

They are traitlets options, typed and documented as nbgrader's own are; ``check`` reports a misspelt
name or a value of the wrong type instead of letting it be ignored.
"""

import difflib

from traitlets import Dict, Enum, Int, List, TraitError, Unicode
from traitlets.config import Config, Configurable

from gradlab.sandbox import Limits


class Gradlab(Configurable):
    """What gradlab grades and how it treats what the tamper audit flags."""

    assignments = List(Unicode(), help="The assignments, in teaching order; each is source/<id>/<id>.ipynb.",
                       ).tag(config=True)
    flagged_scores = Enum(("hold", "record"), "hold", help=(
        'What becomes of a score the audit flags: "hold" keeps it out of feedback and grades until '
        '`gradlab release-held` after review; "record" records it as graded, with its flags.')).tag(config=True)
    due_dates = Dict(value_trait=Unicode(), help=(
        'Each assignment\'s due date with its time zone, e.g. {"01_finite_differences": "2026-11-02 23:59:00 '
        'Europe/Berlin"}; later submissions lose points by c.AssignLatePenalties.plugin_class.')).tag(config=True)
    canvas_assignment_ids = Dict(help=(
        "Each assignment's id in Canvas, by which `gradlab export --lms canvas` names its column so that "
        "Canvas's grade import finds it whatever its title there.")).tag(config=True)


class Sandbox(Configurable):
    """The limits of one submission's run in the bubblewrap sandbox."""

    cell_timeout = Int(Limits.cell_timeout, min=1, help="Seconds a cell may run; "
                       "a cell that runs longer is interrupted and scores zero.").tag(config=True)
    notebook_timeout = Int(Limits.notebook_timeout, min=1,
                           help="Seconds for the whole notebook, kernel start included.").tag(config=True)
    startup_timeout = Int(Limits.startup_timeout, min=1, help="Seconds the kernel may take to start.").tag(config=True)
    memory_bytes = Int(Limits.memory_bytes, min=1, help="Address space of each process, in bytes.").tag(config=True)
    processes = Int(Limits.processes, min=1,
                    help="Processes and threads the submission may run at once.").tag(config=True)
    output_bytes = Int(Limits.output_bytes, min=1, help="Bytes of output kept per cell.").tag(config=True)
    file_bytes = Int(Limits.file_bytes, min=1, help="Largest file the submission may write, in bytes.").tag(config=True)
    scratch_bytes = Int(Limits.scratch_bytes, min=1,
                        help="All the files the submission may write in its working folder, in bytes.").tag(config=True)


SECTIONS = (Gradlab, Sandbox)


class SettingError(ValueError):
    """A ``c.Gradlab.*`` or ``c.Sandbox.*`` line that gradlab cannot use."""


def check(config: Config) -> None:
    """Raise ``SettingError`` for the first option of ``config``'s gradlab sections that is not one of
    theirs or whose value has the wrong type, or for a section named almost as one of them."""
    names = [section.__name__ for section in SECTIONS]
    for name in config:
        close = difflib.get_close_matches(name, names, n=1, cutoff=0.8)
        if close and name not in names:
            raise SettingError(f"c.{name} is not a section gradlab reads (did you mean c.{close[0]}?)")
    for section in SECTIONS:
        section_name = section.__name__
        options = section.class_trait_names(config=True)
        defaults = section()
        for name, value in config[section_name].items():
            if name not in options:
                close = difflib.get_close_matches(name, options, n=1)
                raise SettingError(f"c.{section_name}.{name} is not an option"
                                   + (f" (did you mean c.{section_name}.{close[0]}?)" if close else "")
                                   + f"; the options of c.{section_name} are {', '.join(sorted(options))}")
            try:
                setattr(defaults, name, value)
            except TraitError:
                trait = section.class_traits()[name]
                raise SettingError(f"c.{section_name}.{name} is {value!r}; it must be {_expected(trait, value)}") \
                    from None


def _expected(trait, value) -> str:
    """What a trait accepts, in the words of its type and, for a number below its minimum, that minimum."""
    if isinstance(trait, Int) and isinstance(value, int) and trait.min is not None and value < trait.min:
        return f"an int of at least {trait.min}"
    if isinstance(trait, List):
        return f"a list whose items are each {trait._trait.info()}"
    if isinstance(trait, Enum):
        return f"one of {', '.join(map(repr, trait.values))}"
    return trait.info()
