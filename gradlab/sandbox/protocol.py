"""What crosses the sandbox boundary: one request in, one result out, both plain JSON.

Imported by the host (as ``gradlab.sandbox.protocol``) and by the runner inside the sandbox (as a sibling
module, with nothing of gradlab installed there), so it uses the standard library alone.
"""

import json
import os
import struct
from dataclasses import asdict, dataclass, field

HIDDEN_BEGIN, HIDDEN_END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
VISIBLE, HIDDEN = "visible", "hidden"
# The outcome of one part of a test cell, as the guard reports it.
PASSED, FAILED, TAMPERED, MISSING_REPORT, NOT_RUN = "passed", "failed", "tampered", "no report", "not run"


FRAME_HEADER = struct.Struct(">Q")


@dataclass(frozen=True)
class Request:
    """One notebook to execute in a fork of the template, and how: its files (base64) and limits."""

    notebook: str                  # the sanitized submission's JSON
    files: dict[str, str]          # released files beside it: relative path -> base64 content
    cell_timeout: int
    startup_timeout: int
    notebook_timeout: int
    output_bytes: int
    processes: int
    scratch_bytes: int
    rlimits: dict[str, int]        # resource module names (RLIMIT_AS, ...) -> value
    isolated: bool                 # its own namespaces inside the template's sandbox
    uid: int | None = None         # the throw-away user it runs as, when the grader is root
    scratch: str = ""              # where its files go when not isolated (a fresh folder of the host's)
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
    kernel_seconds: float = 0.0    # from the runner's start until the kernel answered

    def dumps(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def loads(cls, text: str) -> "Result":
        return cls(**json.loads(text))


def write_all(fd: int, data: bytes) -> None:
    """Write all of ``data`` to a pipe, however many writes it takes."""
    while data:
        data = data[os.write(fd, data):]


def write_frame(fd: int, payload: bytes) -> None:
    """Send one length-prefixed message over a pipe."""
    write_all(fd, FRAME_HEADER.pack(len(payload)) + payload)


def read_frame(fd: int) -> bytes | None:
    """Receive one length-prefixed message; None when the pipe closed first."""
    header = _read_exactly(fd, FRAME_HEADER.size)
    return None if header is None else _read_exactly(fd, FRAME_HEADER.unpack(header)[0])


def _read_exactly(fd: int, size: int) -> bytes | None:
    chunks, left = [], size
    while left:
        chunk = os.read(fd, min(left, 2**20))
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


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
