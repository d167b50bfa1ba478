"""Warm kernels for the test suite: papermill runs reuse a started kernel instead of starting one.

About 45 tests run a notebook through papermill with other parameters or data. Each fresh kernel
costs its start and the imports of pandas, statsmodels, scipy, pingouin and matplotlib (3-4 s here)
before the notebook's first cell; the notebooks' own work is often less. This engine keeps one
started kernel per kernel name in each test process and, before each notebook, gives it a clean
slate: a new IPython session (empty namespace, execution counter back to 1, so error messages name
the same cell as in a fresh kernel), the test process's current working folder and environment
(``WORKBOOK_PROGRESS``, ``WORKBOOK_EDITION``... as the test set them; the kernel keeps the
``MPLBACKEND`` ipykernel set, the inline backend). Imported modules stay
imported: that is the saving, and nothing in ``helpers`` keeps state between notebooks.

What stays fresh: nbval runs every stored notebook in its own new kernel (stored outputs equal a
fresh run), the student pack's "unpacked elsewhere" test and every subprocess (``workbook run``,
the live-poll and hub tests) start their own kernels. A test that needs a fresh kernel marks
itself ``@pytest.mark.fresh_kernel``.

Kernels belong to the test process, which shuts them down at exit; a forked child (``workbook
build``'s process pool) uses papermill's own engine, as a kernel client's event loop and sockets do
not survive a fork. ipykernel also exits by itself when its parent process dies (``JPY_PARENT_PID``),
so no kernel outlives the run.
"""

from __future__ import annotations

import atexit
import json
import multiprocessing
import os
import threading

from jupyter_client.blocking import BlockingKernelClient as KernelClient
from jupyter_client.manager import KernelManager
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines
from papermill.log import logger
from papermill.utils import merge_kwargs, remove_args

#: Runs in the kernel, unrecorded, before each notebook. ``{cwd}`` and ``{env}`` are JSON.
CLEAN_SLATE = """\
def _workbook_clean_slate():
    import json, os
    get_ipython().reset(new_session=True)
    os.chdir(json.loads({cwd!r}))
    own = {{k: v for k, v in os.environ.items() if k in ("MPLBACKEND", "JPY_PARENT_PID")}}  # set by ipykernel
    os.environ.clear()
    os.environ.update(own)
    os.environ.update(json.loads({env!r}))
_workbook_clean_slate()  # the reset removed its own name too
"""


class WarmPool:
    """Idle started kernels by kernel name, each with its client (channels open, ready)."""

    def __init__(self) -> None:
        self.idle: dict[str, list[tuple[KernelManager, KernelClient]]] = {}
        self.started: list[tuple[KernelManager, KernelClient]] = []
        self.lock = threading.Lock()

    def take(self, kernel_name: str, config, timeout: float) -> tuple[KernelManager, KernelClient]:
        with self.lock:
            while self.idle.get(kernel_name):
                warm = self.idle[kernel_name].pop()
                if warm[0].is_alive():
                    return warm
                self.started.remove(warm)
                warm[1].stop_channels()
        manager = (
            KernelManager(kernel_name=kernel_name, config=config) if config else KernelManager(kernel_name=kernel_name)
        )
        manager.start_kernel()
        # One client for the kernel's life: starting a client's channels and waiting for it to be
        # ready costs two 0.2 s IOPub flushes, which a client per notebook paid on every run.
        client = manager.client()
        client.start_channels()
        client.wait_for_ready(timeout=timeout)
        client.allow_stdin = False
        with self.lock:
            self.started.append((manager, client))
        return manager, client

    def give_back(self, kernel_name: str, warm: tuple[KernelManager, KernelClient]) -> None:
        with self.lock:
            self.idle.setdefault(kernel_name, []).append(warm)

    def shutdown(self) -> None:
        with self.lock:
            started, self.started, self.idle = self.started, [], {}
        for manager, client in started:
            try:
                client.stop_channels()
                manager.shutdown_kernel(now=True)
            except Exception:  # noqa: BLE001 - a kernel that died already needs no shutdown
                pass


_pool = WarmPool()
atexit.register(_pool.shutdown)  # a forked child leaves by os._exit: only the test process runs this
_enabled = True


def clean_slate(client: KernelClient, timeout: float = 60) -> None:
    """A new session in ``client``'s kernel, in this process's folder and environment."""
    code = CLEAN_SLATE.format(cwd=json.dumps(os.getcwd()), env=json.dumps(dict(os.environ)))
    reply = client.execute_interactive(code, store_history=False, timeout=timeout, output_hook=lambda _: None)
    if reply["content"]["status"] != "ok":
        raise RuntimeError(f"the warm kernel could not be reset: {reply['content'].get('evalue')}")


class WarmEngine(NBClientEngine):
    """papermill's nbclient engine, on a warm kernel with a clean slate (see the module docstring)."""

    @classmethod
    def execute_managed_notebook(
        cls,
        nb_man,
        kernel_name,
        log_output=False,
        stdout_file=None,
        stderr_file=None,
        start_timeout=60,
        execution_timeout=None,
        **kwargs,
    ):
        if not _enabled or multiprocessing.parent_process() is not None:
            return super().execute_managed_notebook(
                nb_man, kernel_name, log_output, stdout_file, stderr_file, start_timeout, execution_timeout, **kwargs
            )
        # the keyword handling of NBClientEngine.execute_managed_notebook, plus the warm kernel
        kwargs = remove_args(["input_path"], **kwargs)
        final_kwargs = merge_kwargs(
            remove_args(["timeout", "startup_timeout"], **kwargs),
            timeout=execution_timeout if execution_timeout else kwargs.get("timeout"),
            startup_timeout=start_timeout,
            kernel_name=kernel_name,
            log=logger,
            log_output=log_output,
            stdout_file=stdout_file,
            stderr_file=stderr_file,
        )
        warm = _pool.take(kernel_name, kwargs.get("config"), start_timeout)
        try:
            manager, client = warm
            clean_slate(client, timeout=start_timeout)
            notebook_client = PapermillNotebookClient(nb_man, km=manager, **final_kwargs)
            notebook_client.kc = client  # nbclient then starts no client, and closes none (it owns no kernel)
            return notebook_client.execute()
        finally:
            _pool.give_back(kernel_name, warm)


def install() -> None:
    """Make the warm engine papermill's default engine in this process (and its forked children)."""
    papermill_engines.register(None, WarmEngine)


def set_enabled(enabled: bool) -> None:
    """Warm kernels on (the default) or off (papermill's own engine: a new kernel per notebook)."""
    global _enabled
    _enabled = enabled
