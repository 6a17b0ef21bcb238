"""The bridge to nbgrader: a kernel that never started is retried, anything else is not."""

import pytest

from gradlab import nbgrader_api
from gradlab.nbgrader_api import NbgraderStepFailed


def _failing(messages):
    calls = []

    def run(*args, **kwargs):
        calls.append(kwargs["student_id"])
        if len(calls) <= len(messages):
            raise NbgraderStepFailed(messages[len(calls) - 1])
    return run, calls


def test_a_kernel_that_never_started_is_started_again(monkeypatch, mini_course):
    run, calls = _failing(["RuntimeError: Kernel died before replying to kernel_info",
                           "RuntimeError: Kernel didn't respond in 60 seconds"])
    monkeypatch.setattr(nbgrader_api, "_run", run)
    nbgrader_api.autograde(mini_course, "00_mini", "ada")
    assert calls == ["ada", "ada", "ada"]


def test_the_kernel_is_started_three_times_at_most(monkeypatch, mini_course):
    run, calls = _failing(["Kernel died before replying to kernel_info"] * 3)
    monkeypatch.setattr(nbgrader_api, "_run", run)
    with pytest.raises(NbgraderStepFailed, match="kernel_info"):
        nbgrader_api.autograde(mini_course, "00_mini", "ada")
    assert len(calls) == 3


def test_other_failures_are_not_retried(monkeypatch, mini_course):
    run, calls = _failing(["DeadKernelError: Kernel died"])
    monkeypatch.setattr(nbgrader_api, "_run", run)
    with pytest.raises(NbgraderStepFailed, match="DeadKernelError"):
        nbgrader_api.autograde(mini_course, "00_mini", "ada")
    assert calls == ["ada"]
