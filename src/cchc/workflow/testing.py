"""Test helpers for records with a lifecycle: the state guard, and actions started at once.

Concurrency is the kit's promise (row lock, version check, counter upsert), so every app's tests
race their actions the same way (:func:`run_together`). Use with ``django_db(transaction=True)``:
each thread has its own connection, and sees only what the others committed.
"""

import threading

from django.db import connections, transaction

from cchc.common.errors import ApplicationError, TransitionNotAllowed


class _RolledBack(Exception):
    pass


def state_accepts(call) -> bool:
    """Does the service ``call`` get past its state guard? Anything it does is rolled back.

    The transition-table tests call every service in every status and compare with the actions a
    page lists: a refusal for another reason (a missing field, a role) still means the state
    passed.
    """
    try:
        with transaction.atomic():
            call()
            raise _RolledBack
    except TransitionNotAllowed:
        return False
    except (_RolledBack, ApplicationError):
        return True


def run_together(*calls):
    """Start every call at the same instant in its own thread; return results or exceptions."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as error:  # collected for the assertions
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results
