"""Settings per environment: ``dev`` (default for the ``cchc`` command), ``test``, ``production``.

Every environment reads the same variables (see ``base``); the modules differ only in safe defaults.
"""
