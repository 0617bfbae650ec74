"""Driver and staff identity: who is calling, verified from a bearer token.

A token verifier port has two adapters: Firebase ID tokens (production) and tokens
this app signs itself (the embedded dev mode). Routes see only a :class:`Principal`.
"""

from app.identity.principal import Principal, Role

__all__ = ["Principal", "Role"]
