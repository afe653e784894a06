"""The server's sessions take the store's file lock in arrival order, and give it back however they end."""
from __future__ import annotations

import threading
import time

import filelock
import pytest

from csshell.remote.fair_lock import ArrivalQueue, QueuedFileLock, queue_in_front, taking_or_releasing
from csshell.store import open_store


def test_waiters_are_served_in_arrival_order():
    queue = ArrivalQueue()
    assert queue.acquire(1)
    order: list[int] = []

    def waiter(n: int) -> None:
        assert queue.acquire(10)
        order.append(n)
        queue.release()
    threads = []
    for n in range(5):
        thread = threading.Thread(target=waiter, args=(n,))
        thread.start()
        threads.append(thread)
        time.sleep(0.05)                 # each one queues after the previous
    queue.release()
    for thread in threads:
        thread.join(10)
    assert order == [0, 1, 2, 3, 4]


def test_a_waiter_that_times_out_leaves_the_queue():
    queue = ArrivalQueue()
    assert queue.acquire(1)
    assert queue.acquire(0.1) is False
    queue.release()
    assert queue.acquire(0.1) is True          # nobody stale stands in front


def test_two_sessions_stores_exclude_each_other_and_time_out_as_busy(tmp_path):
    path = str(tmp_path / "store.json")
    first = queue_in_front(open_store(path, lock_timeout=0.3))
    second = queue_in_front(open_store(path, lock_timeout=0.3))
    try:
        assert isinstance(first._lock, QueuedFileLock)
        first._lock.acquire(timeout=1)
        with pytest.raises(filelock.Timeout):
            second._lock.acquire(timeout=0.2)
        first._lock.release()
        second._lock.acquire(timeout=1)
        second._lock.release()
        assert not taking_or_releasing(threading.get_ident())
    finally:
        first.close()
        second.close()


def test_a_store_given_back_is_lent_again_warm_and_one_with_a_held_lock_is_closed(tmp_path):
    from csshell.remote.store_pool import StorePool
    opened = []

    def opener():
        opened.append(open_store(str(tmp_path / "store.json")))
        return opened[-1]
    pool = StorePool(opener, keep=1)
    first = pool.borrow()
    first.close()
    second = pool.borrow()
    assert len(opened) == 1 and second._store is opened[0]        # the same warm Store
    third = pool.borrow()                                            # the first is lent: a new one
    assert len(opened) == 2
    third._store._lock.acquire(timeout=1)
    third._store._holding_lock = True                                # as a statement cut short would leave it
    third.close()
    assert opened[1]._closed                                         # not kept: closed, lock released
    second.close()
    pool.close()
    assert opened[0]._closed
