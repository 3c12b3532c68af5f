"""One job spread over the machine's processors, by forking.

A large site's pages are independent of one another once the content is resolved, and
rendering them is pure Python: one process renders about half as fast as two. Threads
would share one interpreter lock, and a pool of fresh processes would first have to be
sent the whole resolved content. A forked child starts with all of it, as the parent
had it, and sends back only what it made (pickled; the pages are small, packed bytes).

The items go out in chunks: each process, the parent too, takes the next chunk when it
has made the last, so that all finish together whatever each item costs; the parent then
reads what the children made. A child that fails sends back nothing but that: the parent
then makes the chunks it took itself, so an error is raised where it would have been
without the children, with its full traceback.
"""

from __future__ import annotations

import functools
import os
import pickle
import signal
import tempfile
from collections.abc import Callable, Iterator, Sequence
from typing import Any, BinaryIO, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

MIN_SHARE = 200
"""Fewest items worth a child process: forking a large process costs milliseconds, rendering a
page about one, so a small site is rendered by the one process."""

def processors() -> int:
    """Processors this process may run on (its affinity, where the system says)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def affordable_children() -> int:
    """How many copies of this process the free memory holds, with room to spare.

    A child shares its parent's memory until either writes to it, and CPython writes to
    every object it reads (its reference count): a child rendering pages comes to copy most
    of what its parent holds (at 30,000 sheets, about 530 of 685 MB). So a child is forked
    only while half the memory the system says is available holds a whole copy.
    """
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            available = next(int(line.split()[1]) * 1024 for line in meminfo
                             if line.startswith("MemAvailable:"))
        with open("/proc/self/statm", encoding="ascii") as statm:
            resident = int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, StopIteration, ValueError, IndexError):
        return 1  # no such files (not Linux): trust one child
    return int(available / 2 // max(resident, 1))


def fork_map(make: Callable[[Item], Result], items: Sequence[Item], *, workers: int | None = None,
             min_share: int | None = None, spill: bool = False) -> list[Result]:
    """``[make(item) for item in items]``, shared among up to ``workers`` processes.

    ``workers`` defaults to :func:`processors`; each process gets at least ``min_share``
    items (by default :data:`MIN_SHARE`), so a short list stays in this process, as does
    everything where ``os.fork`` is missing (Windows). ``make`` must not depend on what other
    calls did in another process, and what it returns must pickle. With ``spill``, this
    process also writes what it makes to a file and reads it back once the children are
    gone, so that it does not hold its share's results while they hold their copies of its
    memory (for results that are many and small, such as pages: 90 MB at 30,000 sheets).

    The items go out in chunks, each process taking the next chunk when it is done with
    one, so that all finish together: a fixed share of every other item once gave one
    process every article's annotations and the other their plain texts, and it finished
    6 s (a fifth) later at 30,000 sheets.
    """
    count = min(workers or processors(), len(items) // max(1, MIN_SHARE if min_share is None else min_share))
    if count >= 2:
        count = min(count, 1 + affordable_children())
    if count < 2 or not hasattr(os, "fork"):
        return [make(item) for item in items]
    size = max(1, min(CHUNK, len(items) // (count * CHUNKS_PER_PROCESS)))
    chunks = [items[start:start + size] for start in range(0, len(items), size)]
    with _Counter() as counter:
        pending = [Child(functools.partial(_take_and_make, make, chunks, counter)) for _ in range(count - 1)]
        try:
            if spill:
                with tempfile.TemporaryFile() as own:
                    _take_and_make(make, chunks, counter, own)
                    # Each reaped, whatever happens:
                    outputs = [pending.pop(0).result() for _ in range(len(pending))]
                    own.seek(0)
                    made = _read_made(own)
            else:
                made = dict(_taken(make, chunks, counter))
                outputs = [pending.pop(0).result() for _ in range(len(pending))]
        except BaseException:
            for child in pending:
                child.stop()
            raise
    for output in outputs:
        if output is not None:
            made.update(_read_made(output))
    # A child that failed sent nothing: its chunks are made here, so that an error is raised
    # here, with its own traceback.
    return [result for number, chunk in enumerate(chunks)
            for result in (made[number] if number in made else [make(item) for item in chunk])]


def apart(work: Callable[[], Result], *, errors: tuple[type[BaseException], ...] = ()) -> Result:
    """``work()``, done in a forked child process and its result sent back pickled.

    For a job whose working memory dwarfs its result: all the child allocated is gone when it
    exits, and this process holds only what came back, packed together, rather than that
    among the holes its own work would have left (memory a later fork would copy). An
    exception of one of the ``errors`` types is sent back and raised here. A child that
    fails otherwise (a bug, or killed) sends nothing: ``work`` is then done here, so the
    error is raised with the traceback it would have had. Where ``os.fork`` is missing
    (Windows), ``work`` is done here.
    """
    if not hasattr(os, "fork"):
        return work()

    def send(output: BinaryIO) -> None:
        try:
            outcome: tuple[bool, object] = (True, work())
        except errors as exc:
            outcome = (False, exc)
        pickle.dump(outcome, output, pickle.HIGHEST_PROTOCOL)

    output = Child(send).result()
    if output is None:
        return work()
    with output:
        done, value = pickle.load(output)
    if not done:
        assert isinstance(value, BaseException)
        raise value
    result: Result = value
    return result


CHUNK = 100
"""Most items in a chunk: a process pickles what it made a chunk at a time, and keeps no more."""
CHUNKS_PER_PROCESS = 8
"""Fewest chunks a process takes, on average: smaller chunks for a shorter list, so that the
processes still finish close together."""


class _Counter:
    """The number of the next chunk to make, which every forked process takes in turn.

    Kept in a temporary file and taken under a POSIX lock, which belongs to the process that
    holds it: the kernel releases it if that process dies, so no other waits for it forever.
    """

    def __init__(self) -> None:
        self.file = tempfile.TemporaryFile()  # noqa: SIM115 -- closed by __exit__
        os.pwrite(self.file.fileno(), bytes(8), 0)

    def __enter__(self) -> _Counter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.file.close()

    def take(self) -> int:
        """The next number (from 0), never given to another process."""
        import fcntl  # Unix only, as is forking

        fd = self.file.fileno()
        fcntl.lockf(fd, fcntl.LOCK_EX)
        try:
            number = int.from_bytes(os.pread(fd, 8, 0), "little")
            os.pwrite(fd, (number + 1).to_bytes(8, "little"), 0)
        finally:
            fcntl.lockf(fd, fcntl.LOCK_UN)
        return number


def _taken(make: Callable[[Item], Result], chunks: Sequence[Sequence[Item]],
           counter: _Counter) -> Iterator[tuple[int, list[Result]]]:
    """Chunk after chunk as ``counter`` gives them out, each made, with its number."""
    while (number := counter.take()) < len(chunks):
        yield number, [make(item) for item in chunks[number]]


def _take_and_make(make: Callable[[Item], Result], chunks: Sequence[Sequence[Item]], counter: _Counter,
                   output: BinaryIO) -> None:
    """Make chunk after chunk, as ``counter`` gives them out, pickling each with its number."""
    for taken in _taken(make, chunks, counter):
        pickle.dump(taken, output, pickle.HIGHEST_PROTOCOL)


def _read_made(output: BinaryIO) -> dict[int, list[Any]]:
    """What a process made, by chunk number."""
    made: dict[int, list[Any]] = {}
    with output:
        while True:
            try:
                number, results = pickle.load(output)
            except EOFError:  # the child exited with status 0: each of its pickles is whole
                return made
            made[number] = results


class Child:
    """A forked child process that does ``work``, writing what it makes to a file for the parent.

    The file is a temporary one rather than a pipe: the parent is at work too and reads only
    once the child is done, and a pipe would stop the child at its first 64 KB. The child
    writes as it goes, so neither keeps all it made as one block of bytes. The child never
    returns into the caller's code and never runs its exit handlers; if ``work`` raises, it
    exits with status 1 and its file is thrown away.
    """

    def __init__(self, work: Callable[[BinaryIO], None]) -> None:
        self.output: BinaryIO = tempfile.TemporaryFile()  # noqa: SIM115 -- handed to result()'s caller
        pid = os.fork()
        if pid == 0:
            status = 0
            try:
                try:
                    work(self.output)
                    self.output.flush()  # os._exit does not
                except BaseException:
                    status = 1
            finally:
                os._exit(status)
        self.pid = pid

    def result(self) -> BinaryIO | None:
        """The child's file, read from its start, once it has exited (and is reaped); None if it
        failed. The caller closes it."""
        try:
            _, status = os.waitpid(self.pid, 0)
        except BaseException:
            self.output.close()
            raise
        if status != 0:
            self.output.close()
            return None
        self.output.seek(0)
        return self.output

    def stop(self) -> None:
        """Stop a child whose work is no longer wanted (its result not read), and reap it."""
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        self.output.close()
