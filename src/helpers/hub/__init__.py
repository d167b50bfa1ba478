"""The course on a JupyterHub: publishing an edition for nbgitpuller, and the hub's login for services.

* :mod:`helpers.hub.publish` — write the student or trainer edition into a git repository the hub's
  users pull from, and make the nbgitpuller link that puts it into each home;
* :mod:`helpers.hub.auth` — let a Starlette app running as a JupyterHub service (the live poll) check
  that a request comes from a hub user in the ``trainers`` group (OAuth in the browser, or an API
  token), while every other path stays open to participants without a hub account.

Deployment files (``jupyterhub_config.py``, the Helm values, the image recipe) are in
``deploy/jupyterhub/``; README's "Binder, JupyterHub and conda" section is the administrator's guide.
"""
