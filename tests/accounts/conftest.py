"""The accounts tests share the organisations and members of the security tests."""

from tests.security.conftest import (  # noqa: F401
    admin_a,
    admin_b,
    canary_a,
    canary_b,
    org_a,
    org_b,
    worker_a,
)
