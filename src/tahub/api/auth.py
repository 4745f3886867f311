"""How API callers authenticate: a personal token (Bearer or X-API-Key) or the session."""

from ninja.security import APIKeyHeader, HttpBearer, django_auth

from tahub.accounts.services import api_token_authenticate


def _sign_in_with_token(request, secret):
    """The token's user becomes ``request.user`` for the call, so policies see who acts."""
    user = api_token_authenticate(secret)
    if user is not None:
        request.user = user
    return user


class BearerToken(HttpBearer):
    """``Authorization: Bearer tahub_…`` with a personal API token."""

    def authenticate(self, request, token):
        return _sign_in_with_token(request, token)


class TokenHeader(APIKeyHeader):
    """``X-API-Key: tahub_…`` for clients that cannot set Authorization."""

    param_name = "X-API-Key"

    def authenticate(self, request, key):
        return _sign_in_with_token(request, key)


def anonymous(request):
    """Public endpoints still accept a token or session, so the caller is known."""
    return True


AUTH_REQUIRED = [BearerToken(), TokenHeader(), django_auth]
AUTH_OPTIONAL = [BearerToken(), TokenHeader(), django_auth, anonymous]
