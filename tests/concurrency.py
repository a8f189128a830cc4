"""Running test code in several threads at once, each with its own database connection (PostgreSQL tests)."""

import threading

from django.db import connection


def run_at_once(functions) -> list:
    """Run each function in its own thread (its own database connection), released together; returns errors."""
    barrier = threading.Barrier(len(functions))
    errors = []

    def work(function):
        try:
            barrier.wait()
            function()
        except Exception as exc:  # noqa: BLE001  (reported by the test)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(function,)) for function in functions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors
