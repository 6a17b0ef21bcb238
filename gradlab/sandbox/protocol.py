"""What crosses the sandbox boundary: one request in, one result out, both plain JSON.

Imported by the host (as ``gradlab.sandbox.protocol``) and by the runner inside the sandbox (as a sibling
module, with nothing of gradlab installed there), so it uses the standard library alone.
"""

import json
from dataclasses import asdict, dataclass, field

HIDDEN_BEGIN, HIDDEN_END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
VISIBLE, HIDDEN = "visible", "hidden"
# The outcome of one part of a test cell, as the guard reports it.
PASSED, FAILED, TAMPERED, MISSING_REPORT, NOT_RUN = "passed", "failed", "tampered", "no report", "not run"


@dataclass(frozen=True)
class Request:
    """One notebook to execute inside the sandbox, and how."""

    notebook: str                  # path of the sanitized submission inside the sandbox
    cell_timeout: int
    startup_timeout: int
    output_bytes: int
    processes: int
    sandboxed: bool
    extra_arguments: list[str] = field(default_factory=list)

    def dumps(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def loads(cls, text: str) -> "Request":
        return cls(**json.loads(text))


@dataclass(frozen=True)
class Result:
    """The executed notebook's JSON, and what the runner saw happen."""

    notebook: str
    kernel_died_in_cell: int | None = None
    seconds: float = 0.0

    def dumps(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def loads(cls, text: str) -> "Result":
        return cls(**json.loads(text))


def split_test_source(source: str) -> tuple[str, str]:
    """A test cell's visible part and its hidden part (marker lines dropped; "" when it has none).
    Lines after the hidden block belong to the hidden part, which runs last."""
    visible, hidden, seen_hidden, inside = [], [], False, False
    for line in source.splitlines():
        stripped = line.strip()
        if stripped in (HIDDEN_BEGIN, HIDDEN_END):
            inside = stripped == HIDDEN_BEGIN
            seen_hidden = True
            continue
        (hidden if inside or seen_hidden else visible).append(line)
    return "\n".join(visible), "\n".join(hidden)
