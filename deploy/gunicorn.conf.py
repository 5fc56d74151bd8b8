"""gunicorn settings for CCHC, every value from the environment (docs/deploy.md).

    gunicorn -c deploy/gunicorn.conf.py

The access log names the path without its query string: queries may carry a dossier code with the
last digits of a phone number (the public lookup), which logs must not keep.
"""

import multiprocessing
import os

wsgi_app = "cchc.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", str(multiprocessing.cpu_count() * 2 + 1)))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))  # a PDF or XLSX export may take seconds
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Recycle workers now and then, so a slow leak never grows for weeks.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "500"))
# The proxy in front is trusted for X-Forwarded-For/-Proto (Django reads the scheme from it).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms "%({x-request-id}o)s"'
