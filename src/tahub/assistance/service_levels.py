"""Service levels: how long a request may wait in each state, counted in working days.

The figures are data (``ServiceLevel`` rows the Secretariat edits); ``DEFAULTS`` is what a new
installation starts with. ``add_working_days`` is a plain function (no database), tested alone.
"""

from datetime import timedelta

# (state, urgency) → working days. Emergencies: acknowledged within one working day.
DEFAULTS = {
    ("submitted", "emergency"): 1,
    ("under_review", "emergency"): 2,
    ("more_information", "emergency"): 3,
    ("accepted", "emergency"): 3,
    ("help_identified", "emergency"): 5,
    ("in_delivery", "emergency"): 30,
    ("submitted", "normal"): 5,
    ("under_review", "normal"): 10,
    ("more_information", "normal"): 20,
    ("accepted", "normal"): 20,
    ("help_identified", "normal"): 40,
    ("in_delivery", "normal"): 180,
}


def add_working_days(start, days):
    """``start`` moved on by ``days`` working days (Monday to Friday), keeping its time of day.

    Starting on a weekend counts from the next Monday at the same time.
    """
    moment = start
    while moment.weekday() >= 5:
        moment += timedelta(days=1)
    remaining = days
    while remaining > 0:
        moment += timedelta(days=1)
        if moment.weekday() < 5:
            remaining -= 1
    return moment


def working_days_between(start, end):
    """Whole working days from ``start`` to ``end`` (0 when ``end`` is not later)."""
    if end <= start:
        return 0
    count, moment = 0, start
    while True:
        moment += timedelta(days=1)
        if moment > end:
            return count
        if moment.weekday() < 5:
            count += 1
