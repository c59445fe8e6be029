"""The benchmark server's settings: Klaster's own, plus (1) one trivial authenticated POST beside
the real URLs — the limit a ballot is measured against, on the same server in the same run — and
(2) a header counting the SQL statements each request sent (`X-Queries`).

Counted: every statement Django sends through its cursor (savepoints included). Not counted: the
implicit BEGIN / COMMIT of a transaction and the health check of a reused connection
(CONN_HEALTH_CHECKS), which every request pays alike.
"""

from klaster.settings import *  # noqa: F403 — the same server, two additions
from klaster.settings import MIDDLEWARE

ROOT_URLCONF = "_trivial_urls"
MIDDLEWARE = ["_trivial_urls.QueryCountMiddleware", *MIDDLEWARE]
