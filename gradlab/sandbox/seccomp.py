"""A seccomp filter that, once loaded, lets no thread of the kernel start a thread or a process, run a
program, set a signal handler or timer, or reach another process's memory.

The kernel loads it after its own threads are running and before the first cell; the kernel enforces it
from then on, for every thread, and nothing in the process can lift it. Standard library only.
"""

import ctypes
import errno
import platform
import struct

# System call numbers of what the filter refuses, per architecture.
DENIED = {
    "x86_64": {"clone": 56, "fork": 57, "vfork": 58, "execve": 59, "execveat": 322, "clone3": 435,
               "rt_sigaction": 13, "alarm": 37, "setitimer": 38, "timer_create": 222, "ptrace": 101,
               "process_vm_readv": 310, "process_vm_writev": 311},
    "aarch64": {"clone": 220, "execve": 221, "execveat": 281, "clone3": 435, "rt_sigaction": 134,
                "setitimer": 103, "timer_create": 107, "ptrace": 117, "process_vm_readv": 270,
                "process_vm_writev": 271},
}
AUDIT_ARCH = {"x86_64": 0xC000003E, "aarch64": 0xC00000B7}
X32_SYSCALL_BIT = 0x40000000

BPF_LD_W_ABS, BPF_JEQ_K, BPF_JGE_K, BPF_RET_K = 0x20, 0x15, 0x35, 0x06
SECCOMP_RET_ALLOW, SECCOMP_RET_ERRNO, SECCOMP_RET_KILL_PROCESS = 0x7FFF0000, 0x00050000, 0x80000000
PR_SET_NO_NEW_PRIVS, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC = 38, 1, 1
SECCOMP_SYSCALL = {"x86_64": 317, "aarch64": 277}


class SeccompUnavailable(Exception):
    """This machine's architecture or kernel cannot take the filter."""


def _instruction(code: int, k: int, jt: int = 0, jf: int = 0) -> bytes:
    return struct.pack("HBBI", code, jt, jf, k)


def program(arch: str) -> bytes:
    """The BPF program: other architectures killed, x32 calls and the denied calls refused with EPERM
    (clone3 with ENOSYS, so that the C library falls back to clone, which is refused)."""
    denied = DENIED[arch]
    refuse = SECCOMP_RET_ERRNO | errno.EPERM
    code = [_instruction(BPF_LD_W_ABS, 4), _instruction(BPF_JEQ_K, AUDIT_ARCH[arch], jt=1),
            _instruction(BPF_RET_K, SECCOMP_RET_KILL_PROCESS), _instruction(BPF_LD_W_ABS, 0)]
    if arch == "x86_64":
        code += [_instruction(BPF_JGE_K, X32_SYSCALL_BIT, jf=1), _instruction(BPF_RET_K, refuse)]
    for name, number in denied.items():
        result = SECCOMP_RET_ERRNO | (errno.ENOSYS if name == "clone3" else errno.EPERM)
        code += [_instruction(BPF_JEQ_K, number, jf=1), _instruction(BPF_RET_K, result)]
    code.append(_instruction(BPF_RET_K, SECCOMP_RET_ALLOW))
    return b"".join(code)


def load() -> None:
    """Load the filter into every thread of this process; raise ``SeccompUnavailable`` if it cannot be."""
    arch = platform.machine()
    if arch not in DENIED:
        raise SeccompUnavailable(f"no seccomp filter for the {arch} architecture")
    libc = ctypes.CDLL(None, use_errno=True)
    instructions = program(arch)
    buffer = ctypes.create_string_buffer(instructions)
    fprog = struct.pack("HxxxxxxP", len(instructions) // 8, ctypes.addressof(buffer))
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise SeccompUnavailable(f"prctl(NO_NEW_PRIVS) failed: {errno.errorcode.get(ctypes.get_errno())}")
    fprog_buffer = ctypes.create_string_buffer(fprog)
    if libc.syscall(SECCOMP_SYSCALL[arch], SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, fprog_buffer) != 0:
        raise SeccompUnavailable(f"seccomp() failed: {errno.errorcode.get(ctypes.get_errno())}")
