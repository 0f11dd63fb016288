"""The benchmark is run by hand (`python tests/benchmarks/run.py`), never by pytest: it
needs the large demo database and minutes of a quiet machine, and speed is not a test
assertion. Nothing in this folder is collected."""

collect_ignore_glob = ["*.py"]
