"""The Voilà server behind ``workbook serve``: fast (preheated kernels) and closed to other people.

``workbook serve`` runs ``python -m helpers.serve NOTEBOOK --port P`` in a child process; this
module is that child. It is Voilà (https://voila.readthedocs.io) with four settings and four guards:

Fast
    ``preheat_kernel`` with a pool of ``--pool`` kernels (Voilà's own kernel pool): each pool kernel
    has executed the notebook before anybody asks, so a page, a reload and a second visitor are
    served from rendered output in about a second. It prints ``Ready`` once the pool is full, and
    tops the pool up again after a visitor takes a kernel.
Closed
    * a random token (``secrets.token_urlsafe``) is required: the printed URL carries it, any other
      request gets Voilà's login page; it is never put in argv or the kernels' environment;
    * the ``Host`` header must be ``127.0.0.1:PORT`` or ``localhost:PORT`` and an ``Origin``, when
      sent, the same (a page served to ``Host: evil.example`` is the precondition of DNS
      rebinding): anything else is ``403``;
    * the websocket passes only the widget messages (``comm_*``, ``kernel_info_request``): a
      visitor's ``shutdown_request``, ``execute_request`` or ``interrupt_request`` is dropped, and
      ``DELETE /api/kernels/ID`` is refused (the page's own unload hook still frees its kernel);
    * at most ``--max-kernels`` kernels in all: visitor kernels without a connection are culled
      after ``--idle-timeout`` seconds, the least recently used of them is shut down first when a
      new one is needed, and with every kernel in use a new visitor gets ``503`` with a message.
Honest about its address
    it listens on exactly the port it was given on 127.0.0.1 (no silent move to the next port) and
    prints the URL only once it listens.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import time

ALLOWED_MESSAGES = ["comm_open", "comm_close", "comm_msg", "comm_info_request", "kernel_info_request"]
LOCAL_NAMES = ("127.0.0.1", "localhost")


def allowed_host(host: str, port: int) -> bool:
    """Whether a ``Host`` header (``name:port``) names this loopback server.

    >>> allowed_host("127.0.0.1:8866", 8866), allowed_host("localhost:8866", 8866)
    (True, True)
    >>> allowed_host("evil.example:8866", 8866), allowed_host("127.0.0.1:9999", 8866)
    (False, False)
    """
    name, _, given = host.strip().lower().rpartition(":")
    return name in LOCAL_NAMES and given == str(port)


def allowed_origin(origin: str | None, port: int) -> bool:
    """Whether an ``Origin`` header (absent, or ``http://name:port``) is this server.

    >>> allowed_origin(None, 8866), allowed_origin("http://localhost:8866", 8866)
    (True, True)
    >>> allowed_origin("http://evil.example", 8866), allowed_origin("null", 8866)
    (False, False)
    """
    if origin is None:
        return True
    scheme, _, host = origin.strip().lower().partition("://")
    return scheme == "http" and allowed_host(host, port)


def _guarded(handler_class, port: int):
    """``handler_class`` with the Host and Origin checks (and no kernel DELETE) before anything else."""
    from tornado import web

    class Guarded(handler_class):
        def prepare(self):
            refusal = None
            if not allowed_host(self.request.host or "", port):
                refusal = "this server answers only to 127.0.0.1 and localhost"
            elif not allowed_origin(self.request.headers.get("Origin"), port):
                refusal = "cross-origin request refused"
            elif self.request.method == "DELETE":
                refusal = "kernels are managed by the server"
            if refusal:
                # as jupyter_server does for its own Host check: the error page needs a (no) user
                self.current_user = self._jupyter_current_user = None
                raise web.HTTPError(403, refusal)
            return super().prepare()

    Guarded.__name__ = Guarded.__qualname__ = f"Guarded{handler_class.__name__}"
    return Guarded


def _bounded_factory(original, max_kernels: int):
    """Wrap Voilà's kernel-manager factory so the managers it makes keep at most ``max_kernels``.

    The limit sits in the base class Voilà's pool manager is built on: the pool starts its kernels
    with ``super().start_kernel``, so a check above the pool class would never see them.
    """

    def factory(base, *args, **kwargs):
        class BoundedBase(base):
            _starting = 0  # kernels being started, not yet listed

            async def start_kernel(self, *a, **kw):
                import asyncio

                lock = self.__dict__.setdefault("_bound_lock", asyncio.Lock())
                async with lock:  # check and reserve together: pool refills start concurrently
                    if len(self.list_kernel_ids()) + self._starting >= max_kernels:
                        await self._make_room()
                    if len(self.list_kernel_ids()) + self._starting >= max_kernels:
                        from tornado import web

                        raise web.HTTPError(
                            503,
                            f"all {max_kernels} kernels are in use: close a page of this "
                            "app, or restart `workbook serve` with a larger --max-kernels",
                        )
                    self._starting += 1
                try:
                    return await super().start_kernel(*a, **kw)
                finally:
                    self._starting -= 1

            async def _make_room(self) -> None:
                """Shut down the least recently active visitor kernel that has no open connection."""
                pooled = {
                    t.result().get("kernel_id")
                    for pool in getattr(self, "_pools", {}).values()
                    for t in pool
                    if t.done() and not t.cancelled() and t.exception() is None
                }
                idle = [
                    (self.get_kernel(k).last_activity, k)
                    for k in self.list_kernel_ids()
                    if k not in pooled and self._kernel_connections.get(k, 0) == 0
                ]
                if idle:
                    await self.shutdown_kernel(min(idle)[1])

        pooled_class = original(BoundedBase, *args, **kwargs)

        class Bounded(pooled_class):
            def get_pool_size(self, notebook_name: str) -> int:
                pool = getattr(self, "_pools", {}).get(notebook_name, [])
                # a refill refused at the kernel limit leaves a failed task: forget it
                pool[:] = [t for t in pool if not (t.done() and (t.cancelled() or t.exception() is not None))]
                return len(pool)

        return Bounded

    return factory


def _rendered(pool_task) -> bool:
    """Whether a pool entry's kernel has started and executed the whole notebook."""
    if not pool_task.done() or pool_task.cancelled() or pool_task.exception() is not None:
        return False
    return pool_task.result()["task"].done()


def _app_class():
    from tornado.ioloop import IOLoop, PeriodicCallback
    from voila.app import Voila

    class WorkbookVoila(Voila):
        """Voilà with the guards above and a ``Ready`` line once the kernel pool is full."""

        def init_settings(self):
            settings = super().init_settings()
            settings["allow_remote_access"] = False  # jupyter_server's own Host check, too
            settings["local_hostnames"] = ["localhost"]
            self.kernel_manager.allowed_message_types = list(ALLOWED_MESSAGES)
            return settings

        def init_handlers(self):
            return [(entry[0], _guarded(entry[1], self.port), *entry[2:]) for entry in super().init_handlers()]

        def random_ports(self, port, n):
            yield port  # exactly the port asked for: the printed URL is the one served

        def listen(self):
            IOLoop.current().add_callback(self._announce)
            super().listen()

        def _announce(self):
            self._started = getattr(self, "_started", time.perf_counter())
            name = os.path.relpath(self.notebook_path, self.root_dir)
            url = f"http://127.0.0.1:{self.port}/?token={self.token}"
            print(f"Serving {self.served_name} at {url}\n(warming {self.pool} kernel(s); Ctrl+C stops)", flush=True)
            announced = False

            def check():
                nonlocal announced
                pool = self.kernel_manager._pools.get(name, [])
                full = len(pool) >= self.pool and all(_rendered(t) for t in pool)
                if full and not announced:
                    announced = True
                    took = time.perf_counter() - self._started
                    print(f"Ready in {took:.1f} s: open {url}", flush=True)
                if announced and len(pool) < self.pool and all(t.done() for t in pool):
                    self.kernel_manager.fill_if_needed(delay=0, notebook_name=name)  # top up after a refusal

            self._pool_watch = PeriodicCallback(check, 250)
            self._pool_watch.start()

    return WorkbookVoila


def voila_arguments(notebook: str, port: int, *, pool: int = 3, idle_timeout: int = 300) -> list[str]:
    """Voilà's command line: loopback, exactly ``port``, code hidden, preheated pool, idle culling.

    >>> args = voila_arguments("app.ipynb", 9000)
    >>> {"--Voila.ip=127.0.0.1", "--port=9000", "--Voila.port_retries=0", "--strip_sources=True"} <= set(args)
    True
    """
    return [
        notebook,
        "--no-browser",
        f"--port={int(port)}",
        "--Voila.ip=127.0.0.1",
        "--Voila.port_retries=0",
        "--strip_sources=True",
        "--show_tracebacks=False",
        "--preheat_kernel=True",
        f"--pool_size={max(int(pool), 1)}",
        f"--MappingKernelManager.cull_idle_timeout={int(idle_timeout)}",
        f"--MappingKernelManager.cull_interval={max(5, min(60, int(idle_timeout) // 4))}",
        "--MappingKernelManager.cull_connected=False",
        "--KernelManager.transport_encryption=auto",  # CurveZMQ where the kernel supports it
        "--Voila.log_level=ERROR",  # not "notebook is not trusted" on every kernel: Voilà hides code anyway
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.serve", description=__doc__.splitlines()[0])
    parser.add_argument("notebook", help="the .ipynb to serve (its folder is the working directory)")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--name", help="the notebook's name to print (default: the file name)")
    parser.add_argument("--pool", type=int, default=3, help="preheated kernels kept ready (default 3)")
    parser.add_argument("--max-kernels", type=int, default=8, help="kernels in all, pool included (default 8)")
    parser.add_argument(
        "--idle-timeout",
        type=int,
        default=300,
        help="seconds before an unconnected, idle visitor kernel is shut down (default 300)",
    )
    arguments = parser.parse_args(argv)

    import voila.app

    voila.app.voila_kernel_manager_factory = _bounded_factory(
        voila.app.voila_kernel_manager_factory, max(arguments.max_kernels, arguments.pool + 1)
    )
    app_class = _app_class()
    app_class.pool = max(arguments.pool, 1)
    app_class.served_name = arguments.name or os.path.basename(arguments.notebook)
    notebook = os.path.abspath(arguments.notebook)
    os.chdir(os.path.dirname(notebook))
    app_class.launch_instance(
        voila_arguments(
            os.path.basename(notebook), arguments.port, pool=arguments.pool, idle_timeout=arguments.idle_timeout
        ),
        token=secrets.token_urlsafe(24),
    )  # a keyword, not argv: other local users can read a process's argv
    return 0


if __name__ == "__main__":
    sys.exit(main())
