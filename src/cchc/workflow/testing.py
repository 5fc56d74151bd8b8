"""Test helpers for records with a lifecycle: actions started at the same instant.

Concurrency is the kit's promise (row lock, version check, counter upsert), so every app's tests
race their actions the same way. Use with ``django_db(transaction=True)``: each thread has its own
connection, and sees only what the others committed.
"""

import threading

from django.db import connections


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
