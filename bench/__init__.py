"""`make bench`: the app as in production under a real load generator (bench/run.py)."""
