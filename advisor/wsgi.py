import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "advisor.settings")
application = get_wsgi_application()

# Never serve (and so never write data) with encryption keys that cannot read what is stored.
from cases.checks import refuse_to_start_with_bad_keys  # noqa: E402

refuse_to_start_with_bad_keys()
