"""One submission's own corner of the template's sandbox: namespaces, file systems, user and limits.

A fork of the template calls ``enter_namespaces`` (new mount, process, network, IPC and host-name
namespaces, fresh empty scratch, /tmp and /dev/shm), its first child then ``become_init`` (its own /proc)
and ``drop_privileges`` (a throw-away user when the grader is root, no capabilities, no way to gain any,
the limits). Standard library and libc only: this runs inside the sandbox.
"""

import ctypes
import os
import resource
import signal

CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWPID, CLONE_NEWNET = (
    0x00020000, 0x04000000, 0x08000000, 0x20000000, 0x40000000)
MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_BIND, MS_REC, MS_PRIVATE = 0x2, 0x4, 0x8, 0x1000, 0x4000, 0x40000
MNT_DETACH = 2
PR_SET_PDEATHSIG, PR_SET_NO_NEW_PRIVS = 1, 38
CAPABILITY_VERSION_3 = 0x20080522
SMALL_TMPFS_BYTES = 64 * 2**20  # /tmp and /dev/shm

_libc = ctypes.CDLL(None, use_errno=True)


def _check(result: int, what: str) -> None:
    if result != 0:
        error = ctypes.get_errno()
        raise OSError(error, f"{what}: {os.strerror(error)}")


def _mount(source: str, target: str, kind: str | None, flags: int, options: str | None = None) -> None:
    _check(_libc.mount(source.encode(), target.encode(), kind.encode() if kind else None, flags,
                       options.encode() if options else None), f"mount {target}")


def die_with_parent() -> None:
    """Be killed the moment the process that forked this one ends (cleared by a change of user: set again)."""
    _check(_libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0), "prctl(PDEATHSIG)")


def enter_namespaces(scratch: str, scratch_bytes: int, uid: int | None, keep=()) -> None:
    """New namespaces for this process's children; empty private scratch, /tmp and /dev/shm in memory.
    The folders of ``keep`` that lie under /tmp (an interpreter installed there) stay in view, read-only."""
    _check(_libc.unshare(CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS), "unshare")
    _mount("none", "/", None, MS_REC | MS_PRIVATE)
    owner = f",uid={uid},gid={uid}" if uid is not None else ""
    _mount("scratch", scratch, "tmpfs", MS_NOSUID | MS_NODEV, f"size={scratch_bytes},mode=0700{owner}")
    _mount("shm", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, f"size={SMALL_TMPFS_BYTES},mode=1777")
    hold = "/dev/shm/.template-tmp"  # the template's /tmp, held here while a fresh one replaces it
    os.mkdir(hold)
    _mount("/tmp", hold, None, MS_BIND | MS_REC)
    _mount("tmp", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, f"size={SMALL_TMPFS_BYTES},mode=1777")
    for folder in sorted({os.path.normpath(path) for path in keep if os.path.normpath(path).startswith("/tmp/")}):
        os.makedirs(folder, exist_ok=True)
        _mount(os.path.join(hold, os.path.relpath(folder, "/tmp")), folder, None, MS_BIND | MS_REC)
    _check(_libc.umount2(hold.encode(), MNT_DETACH), f"umount {hold}")
    os.rmdir(hold)


def become_init() -> None:
    """As the first process of a new process namespace: a /proc that shows this namespace alone."""
    _mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)


def drop_privileges(uid: int | None, limits: dict[str, int]) -> None:
    """Become ``uid`` (when given) with no capabilities and, under no-new-privileges, no way to gain any
    (set-user-id files and file capabilities are ignored); then apply the resource limits."""
    if uid is not None:
        os.setgroups([])
        os.setresgid(uid, uid, uid)
        os.setresuid(uid, uid, uid)
    header = (ctypes.c_uint32 * 2)(CAPABILITY_VERSION_3, 0)
    _check(_libc.capset(header, (ctypes.c_uint32 * 6)()), "capset")
    _check(_libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "prctl(NO_NEW_PRIVS)")
    die_with_parent()
    for name, value in limits.items():
        resource.setrlimit(getattr(resource, name), (value, value))
