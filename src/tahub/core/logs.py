"""Logging helpers shared by the apps."""

import logging
from contextlib import contextmanager


@contextmanager
def quiet_tasks():
    """Keep the task runner from logging each task for the duration of the block (the demo
    seeding runs hundreds of tasks when its transactions commit)."""
    tasks_log = logging.getLogger("django_tasks")
    level = tasks_log.level
    tasks_log.setLevel(max(level, logging.WARNING))
    try:
        yield
    finally:
        tasks_log.setLevel(level)
