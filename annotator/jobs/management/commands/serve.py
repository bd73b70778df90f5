"""`make run`: the web server (gunicorn, gunicorn.conf.py) and one job worker, started and stopped together."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

# A worker still finishing its jobs this long after Ctrl-C is killed: each job resumes after its last committed
# batch when a worker runs it again (docs/jobs.md), so nothing is lost by not waiting longer.
WORKER_GRACE_SECONDS = 10


class Command(BaseCommand):
    help = "Serve the app with gunicorn and run one job worker beside it; Ctrl-C (or SIGTERM) stops both."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--workers", type=int, default=1, help="Job workers to run (default 1; 0: none).")

    def handle(self, *args, workers: int, **options) -> None:
        bin_dir = Path(sys.executable).parent
        python = sys.executable
        children = [
            subprocess.Popen(  # noqa: S603 our own programs, fixed arguments
                [str(bin_dir / "gunicorn"), "--config", str(Path(settings.BASE_DIR) / "gunicorn.conf.py")],
                cwd=settings.BASE_DIR,
            )
        ]
        for _ in range(workers):
            children.append(
                subprocess.Popen(  # noqa: S603 our own programs, fixed arguments
                    [python, "manage.py", "procrastinate", "worker", "--name", f"{os.uname().nodename}-{os.getpid()}"],
                    cwd=settings.BASE_DIR,
                )
            )
        self.stderr.write(f"web server pid {children[0].pid}; job workers {[c.pid for c in children[1:]]}")
        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        code = 0
        while not stopping:
            ended = [c for c in children if c.poll() is not None]
            if ended:
                code = ended[0].returncode or 1
                self.stderr.write(f"process {ended[0].pid} ended ({ended[0].returncode}); stopping the others")
                break
            time.sleep(0.5)
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + WORKER_GRACE_SECONDS
        for child in children:
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        sys.exit(code)
