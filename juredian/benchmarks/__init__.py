"""`make bench`: speed measured as a ratio to the Django ceiling, in one run.

The ceiling is the cheapest page Django can serve (a view returning "ok" behind our
middleware), served by the same gunicorn (`-w 2 -k sync`) and loaded by the same `wrk -t2
-c16` moments before or after; absolute numbers on shared machines move too much to compare.
"""
