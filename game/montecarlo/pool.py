"""A process pool in which a dead worker costs only its own task, and workers die with Pact.

``concurrent.futures.ProcessPoolExecutor`` breaks as a whole when one worker is killed (as the
out-of-memory killer would): every task in flight fails, and the pool takes no more. Here each
worker runs one task at a time over its own pipe, so the pool knows which task a dead worker
held: that task's future fails with ``WorkerDied`` and a new worker takes the dead one's place.

A worker is sent its next task while it runs the one before (``DEPTH`` tasks at most), and it
sends each result from a thread of its own: it starts the next task as soon as one ends,
instead of waiting for the parent to read a result of megabytes and answer with a task. A task
still waiting in a dead worker's pipe had not begun: it goes to the next worker free.

Workers end with the process that started them: on Linux the kernel sends them SIGKILL when it
ends, however it ends (SIGKILL included); elsewhere they end when their pipe closes, after the
task in hand. They ignore Ctrl-C (the parent decides) and write nothing to standard output, so
``pact batch ... | head -1`` ends when Pact does.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing as mp
import os
import queue
import signal
import sys
import threading
from collections import deque
from concurrent.futures import Executor, Future
from multiprocessing.connection import wait as wait_ready


class WorkerDied(RuntimeError):
    """The worker process running a task ended before it returned (killed, out of memory)."""


_PR_SET_PDEATHSIG = 1

DEPTH = 2
"""Tasks a worker holds at most: the one it runs and the next, waiting in its pipe."""


def die_with_parent(parent: int) -> None:
    """Ask the kernel to kill this process when its parent ends (Linux); end now if the parent
    already has."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(1)


def _worker_main(conn, parent: int, initializer, initargs) -> None:
    die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    # Standard output belongs to the parent: a worker holding it would keep a pipe open.
    with contextlib.suppress(OSError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.close(devnull)
    if initializer is not None:
        initializer(*initargs)
    replies: queue.SimpleQueue = queue.SimpleQueue()
    sender = threading.Thread(target=_send_replies, args=(conn, replies), daemon=True)
    sender.start()
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            break
        if msg is None:
            break
        fn, args, kwargs = msg
        try:
            reply = (True, fn(*args, **kwargs))
        except BaseException as e:  # the task's error goes to its future
            reply = (False, e)
        replies.put(reply)
    replies.put(None)
    sender.join()


def _send_replies(conn, replies) -> None:
    """Send the worker's results in order, while its next task runs. A result that cannot be
    sent (it does not pickle; nothing of it is written then) fails its task with an error that
    says so, and the worker goes on; a worker whose parent is gone ends."""
    while True:
        reply = replies.get()
        if reply is None:
            return
        try:
            conn.send(reply)
        except (OSError, ValueError):  # the parent is gone
            os._exit(0)
        except Exception as e:
            why = f"the task's {'result' if reply[0] else 'error'} could not be sent back: {e!r}"
            try:
                conn.send((False, RuntimeError(why)))
            except Exception:
                os._exit(1)


class _Worker:
    def __init__(self, ctx, initializer, initargs):
        self.conn, child = ctx.Pipe(duplex=True)
        self.proc = ctx.Process(
            target=_worker_main, args=(child, os.getpid(), initializer, initargs), daemon=True
        )
        self.proc.start()
        child.close()
        # The tasks sent and not yet answered, oldest (running) first: (future, fn, args, kwargs).
        self.tasks: deque = deque()


def _exit_text(code) -> str:
    if code is not None and code < 0:
        with contextlib.suppress(ValueError):
            return f"killed by {signal.Signals(-code).name}"
    return f"exit status {code}"


class WorkerPool(Executor):
    """``workers`` processes, one task each at a time; see the module's description."""

    def __init__(self, workers: int, initializer=None, initargs: tuple = ()):
        self._ctx = mp.get_context("fork" if self.forks() else "spawn")
        self._n = max(1, int(workers))
        self._init = (initializer, tuple(initargs))
        self._queue: deque = deque()
        # Tasks sent to a worker that died before beginning them (their futures already
        # running): they go out again first.
        self._again: deque = deque()
        self._lock = threading.Lock()
        self._closing = False
        self._kill = False
        self._wake_r, self._wake_w = self._ctx.Pipe(duplex=False)
        self._workers = [_Worker(self._ctx, *self._init) for _ in range(self._n)]
        self._deaths_in_a_row = 0
        self._ended = threading.Event()  # every task settled and every worker told to end
        self._thread = threading.Thread(target=self._manage, name="pact-pool", daemon=True)
        self._thread.start()

    @staticmethod
    def forks() -> bool:
        """Whether the workers are forked (they inherit what this process has loaded)."""
        return "fork" in mp.get_all_start_methods()

    @property
    def pids(self) -> list[int]:
        """Process ids of the current workers."""
        return [w.proc.pid for w in self._workers]

    def submit(self, fn, /, *args, **kwargs) -> Future:
        fut: Future = Future()
        with self._lock:
            if self._closing:
                raise RuntimeError("cannot submit to a pool that is shutting down")
            self._queue.append((fut, fn, args, kwargs))
        self._wake()
        return fut

    def _wake(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self._wake_w.send_bytes(b"x")

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """``wait=False`` ends the workers at once; their tasks' futures are cancelled. With
        ``wait``, returns once every task has its result and the workers are told to end; the
        pool's thread sees them out (a process's exit takes milliseconds that no caller needs
        to wait for)."""
        with self._lock:
            self._closing = True
            self._kill = self._kill or not wait
            if cancel_futures or not wait:
                while self._queue:
                    self._queue.popleft()[0].cancel()
        self._wake()
        if self._kill:
            self._thread.join()
        else:
            self._ended.wait()

    def _next_task(self):
        """The next task to send, marked running: one a dead worker never began, else the next
        queued one not cancelled; None when there is none."""
        while True:
            with self._lock:
                if self._again:
                    return self._again.popleft()
                if not self._queue:
                    return None
                fut, fn, args, kwargs = self._queue.popleft()
            if fut.set_running_or_notify_cancel():
                return fut, fn, args, kwargs

    def _assign(self) -> None:
        # Every idle worker first, then a second task to each busy one (waiting in its pipe).
        for depth in range(1, DEPTH + 1):
            for w in self._workers:
                if len(w.tasks) >= depth:
                    continue
                task = self._next_task()
                if task is None:
                    return
                fut, fn, args, kwargs = task
                try:
                    w.conn.send((fn, args, kwargs))
                except (OSError, ValueError):  # the worker is gone: its sentinel tells
                    w.tasks.append(task)
                except Exception as e:  # a task that cannot be sent (not picklable)
                    fut.set_exception(e)
                else:
                    w.tasks.append(task)

    def _manage(self) -> None:
        try:
            self._loop()
        finally:
            gone = WorkerDied("the pool was shut down")
            for w in self._workers:
                for task in w.tasks:
                    if not task[0].done():
                        task[0].set_exception(gone)
            for task in self._again:
                if not task[0].done():
                    task[0].set_exception(gone)
            for w in self._workers:
                with contextlib.suppress(OSError, ValueError):
                    if self._kill:
                        w.proc.kill()
                    else:
                        w.conn.send(None)
            self._ended.set()
            for w in self._workers:
                w.proc.join()
                w.conn.close()

    def _loop(self) -> None:
        while True:
            with self._lock:
                if self._kill:
                    return
                idle = all(not w.tasks for w in self._workers)
                if self._closing and idle and not self._queue and not self._again:
                    return
            self._assign()
            waitables = [self._wake_r]
            for w in self._workers:
                waitables.append(w.proc.sentinel)
                if w.tasks:
                    waitables.append(w.conn)
            ready = wait_ready(waitables)
            if self._wake_r in ready:
                with contextlib.suppress(OSError, EOFError):
                    while self._wake_r.poll():
                        self._wake_r.recv_bytes()
            alive = []
            for w in self._workers:
                if w.tasks and w.conn in ready:
                    with contextlib.suppress(EOFError, OSError):
                        ok, value = w.conn.recv()
                        fut = w.tasks.popleft()[0]
                        self._deaths_in_a_row = 0
                        fut.set_result(value) if ok else fut.set_exception(value)
                        alive.append(w)
                        continue
                if w.proc.sentinel in ready and not w.proc.is_alive():
                    w = self._replace(w)
                if w is not None:
                    alive.append(w)
            self._workers = alive

    def _replace(self, w: _Worker) -> _Worker | None:
        """A worker ended: fail its task and start another (none while the pool closes)."""
        w.proc.join()
        code = w.proc.exitcode
        if w.tasks:
            # The task it was running fails; those waiting behind it had not begun.
            w.tasks.popleft()[0].set_exception(
                WorkerDied(f"worker process {w.proc.pid} ended ({_exit_text(code)})")
            )
            with self._lock:
                self._again.extendleft(reversed(w.tasks))
            w.tasks.clear()
        w.conn.close()
        self._deaths_in_a_row += 1
        with self._lock:
            if self._deaths_in_a_row > 2 * self._n + 2:  # workers die as they start: give up
                self._closing = True
                for waiting in (self._again, self._queue):
                    while waiting:
                        waiting.popleft()[0].set_exception(
                            WorkerDied(f"worker processes keep ending ({_exit_text(code)})")
                        )
            if self._closing:
                # No worker takes its place: the tasks it had not begun end with it.
                while self._again:
                    self._again.popleft()[0].set_exception(
                        WorkerDied(f"worker process {w.proc.pid} ended ({_exit_text(code)})")
                    )
                return None
        return _Worker(self._ctx, *self._init)
