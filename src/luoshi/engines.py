"""Where the per-document work runs: local processes, or a Dask cluster.

An engine takes the pieces of work (``batch.Work``, or a ``ReadError`` found while listing
them) and yields ``(work, results)`` as pieces finish, in any order, never holding more than
its window of pieces in flight. Results are lists of analysed documents and ReadErrors, so a
worker's failure is a value that crosses the process (or network) boundary.

- ``LocalEngine(jobs)``: ``jobs`` processes on this machine (one: in this process).
- ``DaskEngine(scheduler, jobs)``: a running ``dask scheduler`` at ``tcp://host:port``, or, with
  no scheduler, a ``LocalCluster`` of ``jobs`` single-threaded worker processes. A worker that
  dies has its pieces run again elsewhere (Dask reschedules them; after
  ``distributed.scheduler.allowed-failures`` deaths a piece is reported as failed).
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

from luoshi.batch import WINDOW_PER_WORKER, Work, analyse_work
from luoshi.batch import LOADED_CODE as _LOADED_CODE
from luoshi.errors import LuoshiError, ReadError


class EngineError(LuoshiError):
    """The engine cannot start (no scheduler at the address, Dask not installed)."""

    code = "E700"


Results = Iterator[tuple[Work | ReadError, list]]


class LocalEngine:
    def __init__(self, jobs: int | None = None) -> None:
        self.jobs = max(1, jobs or os.cpu_count() or 1)

    def run(self, work: Iterable[Work | ReadError], catalog: str | None, prepare: bool = False) -> Results:
        if self.jobs == 1:
            for piece in work:
                yield piece, [piece] if isinstance(piece, ReadError) else analyse_work(piece, catalog, prepare)
            return
        with ProcessPoolExecutor(max_workers=self.jobs) as pool:
            yield from _windowed(work, lambda piece: pool.submit(analyse_work, piece, catalog, prepare),
                                 self.jobs * WINDOW_PER_WORKER, _local_wait, _local_result)


def _local_wait(pending: set):
    done, _ = wait(pending, return_when=FIRST_COMPLETED)
    return done


def _local_result(future, piece: Work) -> list:
    try:
        return future.result()
    except Exception as exc:  # a worker process died (BrokenProcessPool) or could not send its result
        return [ReadError(piece.path, f"the worker failed ({type(exc).__name__}: {exc})")]


def _windowed(work: Iterable[Work | ReadError], submit, window: int, wait_some, result) -> Results:
    """Keep at most ``window`` pieces in flight; yield each as it finishes."""
    pending: dict = {}
    queue = iter(work)
    exhausted = False
    ready: deque = deque()
    while True:
        while not exhausted and len(pending) < window:
            piece = next(queue, None)
            if piece is None:
                exhausted = True
                break
            if isinstance(piece, ReadError):
                ready.append((piece, [piece]))
                continue
            pending[submit(piece)] = piece
        while ready:
            yield ready.popleft()
        if not pending:
            if exhausted:
                return
            continue
        for future in wait_some(set(pending)):
            piece = pending.pop(future)
            yield piece, result(future, piece)


def _fingerprint_on_worker() -> str:
    # by reference, so that a worker answers for the luoshi it has loaded, not one sent from here
    from luoshi import batch

    return batch.LOADED_CODE


def batch_code() -> str:
    """The fingerprint of the luoshi this process loaded (``_version.code_fingerprint``)."""
    return _LOADED_CODE


class DaskEngine:
    """Analyse on Dask workers; the client (this process) receives the documents and writes them."""

    def __init__(self, scheduler: str | None = None, jobs: int | None = None, timeout: float = 20) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:  # an optional dependency
            raise EngineError("--engine dask needs Dask: pip install 'luoshi[dask]'") from exc
        self.jobs = max(1, jobs or os.cpu_count() or 1)
        self._cluster = None
        try:
            if scheduler:
                self.client = Client(scheduler, timeout=timeout)
            else:
                self._cluster = LocalCluster(n_workers=self.jobs, threads_per_worker=1, processes=True,
                                             dashboard_address=None, silence_logs=40)
                self.client = Client(self._cluster)
        except (OSError, TimeoutError) as exc:
            raise EngineError(f"no Dask scheduler at {scheduler} ({exc})") from exc
        self._check_workers()

    def _check_workers(self) -> None:
        """Every worker runs this luoshi (a long-lived cluster may run an older one)."""
        ours = batch_code()
        try:
            theirs = self.client.run(_fingerprint_on_worker)
        except Exception as exc:  # luoshi missing on a worker: it cannot unpickle the function
            self.close()
            raise EngineError(f"the Dask workers cannot run luoshi ({type(exc).__name__}: {exc}); "
                              f"install this luoshi on every worker") from exc
        stale = sorted(worker for worker, fingerprint in theirs.items() if fingerprint != ours)
        if stale:
            self.close()
            raise EngineError(f"{len(stale)} of {len(theirs)} Dask workers run another luoshi ({', '.join(stale[:3])}); "
                              f"install this version on them and restart them")

    def workers(self) -> int:
        return max(1, len(self.client.scheduler_info().get("workers", {})))

    def run(self, work: Iterable[Work | ReadError], catalog: str | None, prepare: bool = False) -> Results:
        from distributed import wait as dask_wait

        def submit(piece: Work):
            # pure=False: the same file twice is two tasks (a rerun must not reuse a lost result)
            return self.client.submit(analyse_work, piece, catalog, prepare, pure=False)

        def wait_some(pending: set):
            return dask_wait(list(pending), return_when="FIRST_COMPLETED").done

        def result(future, piece: Work) -> list:
            try:
                return future.result()
            except Exception as exc:  # KilledWorker after repeated deaths, a lost connection
                return [ReadError(piece.path, f"the Dask worker failed ({type(exc).__name__}: {exc})")]
            finally:
                future.release()

        yield from _windowed(work, submit, self.workers() * WINDOW_PER_WORKER, wait_some, result)

    def close(self) -> None:
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()

    def __enter__(self) -> "DaskEngine":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
