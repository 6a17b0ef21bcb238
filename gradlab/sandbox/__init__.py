"""Executing student notebooks in isolation: the host side (``host``) starts a bubblewrap sandbox, the
runner inside it (``runner``) executes the notebook on a kernel whose guard (``guard``, ``seccomp``) is
installed before any student code (``kernel``); ``protocol`` is what crosses between them."""

from gradlab.sandbox.host import Executed, Job, Limits, SandboxUnavailable, check_available, execute

__all__ = ["Executed", "Job", "Limits", "SandboxUnavailable", "check_available", "execute"]
