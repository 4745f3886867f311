"""What the benchmark's modules share: the percentile of a sorted list, and a page requested
several times, computed afresh each time (the cache emptied before every request)."""

import math
import time


def percentile(sorted_values, fraction):
    """Nearest-rank percentile of an already sorted list."""
    rank = max(1, math.ceil(fraction * len(sorted_values)))
    return sorted_values[rank - 1]


def timed_afresh(client, url, repeat):
    """(sorted ms of each request, the last answer); stops at the first answer other than 200."""
    from django.core.cache import cache

    timings, response = [], None
    for _number in range(repeat):
        cache.clear()
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            break
    return sorted(timings), response
