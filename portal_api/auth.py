"""Bearer-token authentication with scopes (read, ingest, admin).

Tokens come from the environment; only their SHA-256 digests are kept in memory, compared in
constant time. ``admin`` implies every other scope.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer, SecurityScopes

from portal_api.config import ApiToken
from portal_api.errors import ForbiddenError, UnauthorizedError


@dataclass(frozen=True)
class Caller:
    name: str
    scopes: frozenset[str]

    def allows(self, scope: str) -> bool:
        return scope in self.scopes or "admin" in self.scopes


def _digest(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


class TokenStore:
    """Digests of the configured tokens; the secrets themselves are not kept."""

    def __init__(self, tokens: list[ApiToken]) -> None:
        self._entries = [
            (_digest(t.token.get_secret_value()), Caller(t.name, frozenset(t.scopes)))
            for t in tokens
        ]

    def __len__(self) -> int:
        return len(self._entries)

    def identify(self, token: str) -> Caller | None:
        digest = _digest(token)
        found = None
        for candidate, caller in self._entries:
            # No early exit: the time taken does not depend on which token matched.
            if hmac.compare_digest(candidate, digest):
                found = caller
        return found


bearer = HTTPBearer(auto_error=False, description="API token: `Authorization: Bearer <token>`")


async def authorize(
    security_scopes: SecurityScopes,
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Caller:
    """The caller of a token that carries ``security_scopes``. Async although it never waits:
    as a sync dependency it cost every request a hop to the threadpool and back (a wait for
    a thread on a loaded machine) for microseconds of work."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise UnauthorizedError("missing bearer token")
    store: TokenStore = request.app.state.tokens
    caller = store.identify(credentials.credentials)
    if caller is None:
        raise UnauthorizedError("invalid token")
    for scope in security_scopes.scopes:
        if not caller.allows(scope):
            raise ForbiddenError(f"token {caller.name!r} lacks the {scope!r} scope")
    request.state.caller = caller.name
    return caller
