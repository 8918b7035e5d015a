"""`make bench`: latency of sanpuku's pages under gunicorn, each as a ratio to a hello-world view.

run.py drives the benchmark (standard library only), prepare.py fills the throwaway database in a
Django process, and pages.py lists the pages measured: later features add theirs there.
"""
