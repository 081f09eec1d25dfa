"""Every call into Datasette's SQL threads: stopped at a wall-clock deadline, and never able to
take every thread for a reader's own SQL.

Datasette runs each statement in one of ``num_sql_threads`` threads (3 by default). Two guards
wrap the ``Database`` method through which every statement of every page passes (``execute_fn``
on Datasette 0.65, ``_execute_fn`` on 1.0: ``datasette_compat``):

- A deadline. Datasette's time limit is a progress handler set around ``Database.execute``
  only; a plugin or Datasette itself calling ``execute_fn`` directly runs unbounded. A watchdog
  thread calls ``Connection.interrupt()`` (thread-safe) on any call still running at the
  deadline, and again until it ends: SQLite looks at the flag between steps, and clears it when
  a new statement starts on an idle connection. One function call is one step, so a single
  expensive call is bounded by ``bounded_sql`` instead, not here.
- A share. Statements of requests carrying reader SQL (``sql=``, ``_where=``; marked by
  ``request_limits``) hold at most ``READER_SQL_THREADS`` threads at once (fewer than
  Datasette has), counted from when a statement is queued until its thread is free again,
  even when the request that sent it has gone (a request stopped at its deadline leaves its
  statement running until the interrupt lands). However many such requests arrive, the other
  threads are left for the pages; the others wait in line, without a thread, until their own
  request deadline.
"""

from __future__ import annotations

import asyncio
import contextvars
import heapq
import itertools
import sqlite3
import threading
import time
import traceback
from collections.abc import Awaitable, Callable
from typing import Any

from sco_data.publish.datasette_compat import statement_runner
from sco_data.publish.datasette_plugin import bounded_sql

READER_SQL_THREADS = 1
"""How many SQL threads statements of reader SQL may hold at once (and never all of them).
Measured under load on two cores: with two, three readers' queries running to the time limit
kept both cores busy and the p99 of the other pages rose 2.6 times; with one, one core stays
with the pages."""

INTERRUPT_REPEAT_S = 0.05
"""How often an overdue statement is interrupted again, until its call returns."""

READER_SQL: contextvars.ContextVar[bool] = contextvars.ContextVar("sco_reader_sql",
                                                                  default=False)
"""Set for a request whose query string carries SQL of the reader's own."""

Call = Callable[[sqlite3.Connection], Any]


class Watchdog:
    """One daemon thread that interrupts connections whose call outlives its deadline."""

    def __init__(self) -> None:
        self._lock = threading.Condition()
        self._due: list[tuple[float, int]] = []  # (when, call id), a heap
        self._running: dict[int, sqlite3.Connection] = {}
        self._ids = itertools.count()
        threading.Thread(target=self._watch, name="sco-sql-watchdog", daemon=True).start()

    def bounded(self, call: Call, seconds: float, reader_sql: bool) -> Call:
        """``call``, interrupted on its connection when it runs longer than ``seconds``; its
        SQLite errors explained (``bounded_sql.explained``)."""
        def run(connection: sqlite3.Connection) -> Any:
            bounded_sql.forget_refusal()
            call_id = self._start(connection, seconds)
            try:
                return call(connection)
            except BaseException as error:
                _drop_cursors(error)
                explained = (bounded_sql.explained(error, reader_sql)
                             if isinstance(error, sqlite3.Error) else error)
                if explained is error:
                    raise
                raise explained from error
            finally:
                with self._lock:
                    del self._running[call_id]

        return run

    def _start(self, connection: sqlite3.Connection, seconds: float) -> int:
        call_id = next(self._ids)
        with self._lock:
            self._running[call_id] = connection
            heapq.heappush(self._due, (time.monotonic() + seconds, call_id))
            self._lock.notify()
        return call_id

    def _watch(self) -> None:
        with self._lock:
            while True:
                while self._due and self._due[0][1] not in self._running:
                    heapq.heappop(self._due)  # returned in time
                if not self._due:
                    self._lock.wait()
                    continue
                when, call_id = self._due[0]
                now = time.monotonic()
                if when > now:
                    self._lock.wait(when - now)
                    continue
                # Still running past its deadline: interrupt it, and look again shortly.
                self._running[call_id].interrupt()
                heapq.heapreplace(self._due, (now + INTERRUPT_REPEAT_S, call_id))


class ThreadShare:
    """At most ``limit`` SQL threads busy with statements of reader SQL at once."""

    def __init__(self, limit: int):
        self.limit = limit
        self._free = asyncio.Semaphore(limit)

    async def run(self, execute_fn: Callable[[Call], Awaitable[Any]], call: Call) -> Any:
        await self._free.acquire()
        loop = asyncio.get_running_loop()
        state = threading.Lock()
        started = abandoned = False

        def release() -> None:
            loop.call_soon_threadsafe(self._free.release)

        def in_thread(connection: sqlite3.Connection) -> Any:
            nonlocal started
            with state:
                if abandoned:
                    return None
                started = True
            try:
                return call(connection)
            finally:
                release()

        try:
            return await execute_fn(in_thread)
        except asyncio.CancelledError:
            with state:
                # Never started (cancelled while queued): it never will, so free its place now;
                # a started call frees it when its thread is done.
                if not started:
                    abandoned = True
                    self._free.release()
            raise


def _drop_cursors(error: BaseException) -> None:
    """Free, here in the SQL thread, the cursors that the failed call's frames hold.

    An error keeps the frames it passed through, and their cursors, alive; once it sits in a
    reference cycle (most do), the cursors are freed by the garbage collector in whichever thread
    runs it, usually the event loop's. Freeing a cursor resets its statement, which waits for
    the connection's mutex while holding the GIL: if the connection is running another long
    statement by then, the whole server stops until that statement ends (measured: pages stalled
    for the 2 s of a reader's query). Clearing the frames' locals frees the cursors at once,
    while their connection is idle.
    """
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        traceback.clear_frames(error.__traceback__)
        error = error.__cause__ or error.__context__


def install(datasette: Any) -> None:
    """Wrap ``execute_fn`` of every served database with the deadline and the share."""
    seconds = datasette.setting("sql_time_limit_ms") / 1000
    threads = datasette.setting("num_sql_threads")
    watchdog = Watchdog()
    # Without threads (num_sql_threads 0) statements run on the event loop, one at a time;
    # with one thread, reader SQL has to share it.
    share = ThreadShare(max(1, min(READER_SQL_THREADS, threads - 1))) if threads else None
    for database in datasette.databases.values():
        runner = statement_runner(database)
        setattr(database, runner, _guarded(getattr(database, runner), watchdog, seconds, share))


def _guarded(execute_fn: Callable[[Call], Awaitable[Any]], watchdog: Watchdog, seconds: float,
             share: ThreadShare | None) -> Callable[[Call], Awaitable[Any]]:
    async def guarded(call: Call) -> Any:
        # Read here: the SQL threads do not see the request's context.
        reader_sql = READER_SQL.get()
        bounded = watchdog.bounded(call, seconds, reader_sql)
        if share is None or not reader_sql:
            return await execute_fn(bounded)
        return await share.run(execute_fn, bounded)

    return guarded
