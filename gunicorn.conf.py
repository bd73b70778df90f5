"""How the app is served: `make run` starts gunicorn with this file, and so does bench/api.py.

PORT and WORKERS come from the environment (the Makefile passes its own); the rest is fixed here.

Sync workers, one request at a time each, a new connection per request (gunicorn's sync worker answers
`Connection: close`). Measured with bench/api.py on the 2-core machine (bench/README.md), they serve
better than gthread workers with keep-alive: a kept-alive connection stays with the worker that accepted
it, so 4 clients spread unevenly over the workers (one busy, one half idle, each held to one core by the
GIL), while every new connection goes to whichever sync worker is free. A new connection on loopback
costs about 0.1 ms. gunicorn sets TCP_NODELAY on its listening socket, which accepted sockets inherit on
Linux, so a response (headers and body are two writes) never waits on Nagle's algorithm.
"""

import os

wsgi_app = "annotator.wsgi:application"
bind = f"127.0.0.1:{os.environ.get('PORT', '8000')}"
# One sync worker per core by default: a worker is one process held to one core by the GIL, and PostgreSQL and the
# job worker share the cores. Measured with bench/peers.py on 2 cores (8 December 2026, quiet): 2 workers served more
# creates than 3 (290 against 261-276 a second) with a lower p95 (18.2 against 20.7-21.7 ms), reads as fast, and
# 149 MB PSS instead of 181-183 MB, each worker gaining its own pages as it serves.
workers = int(os.environ.get("WORKERS") or os.cpu_count() or 2)
worker_class = "sync"
accesslog = "-"
forwarded_allow_ips = "127.0.0.1"


preload_app = True


def when_ready(server):
    """In the master, once, before it forks the workers: import every module a request needs, close any database
    connection the imports opened (a forked worker must not share it), and take what the imports made out of the
    garbage collector's sight (gc.freeze). The workers then share those pages with the master (copy-on-write)
    instead of each importing its own copy, and a collection never walks them, so it never writes to them either.

    Measured with bench/peers.py: 3 workers and the master held 210 MB PSS idle (65 MB each worker) when each
    worker imported Django and the app itself; 96 MB so (21-28 MB each). A worker's first request no longer pays
    the imports (200 ms), as before."""
    import gc

    from django.db import connections
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 imports every view, serializer and model module
    connections.close_all()
    gc.collect()
    gc.freeze()


def post_worker_init(worker):
    """Collect the youngest generation every 10,000 allocations instead of 700.

    Measured with bench/api.py, in runs taken turn about with and without (and with the imports frozen, as
    when_ready now does in the master): a full collection walked all of Django every few dozen large responses
    and held one up about 35 ms (reads of 200 annotations, p99 44-57 ms; now 15-17 ms), bulk creates went from
    about 3,650 to 3,900 annotations/s, single creates stayed the same."""
    import gc

    gc.set_threshold(10_000, 10, 10)
