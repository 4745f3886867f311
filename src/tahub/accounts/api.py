"""The caller's own account and personal API tokens."""

from datetime import datetime

from ninja import Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from tahub.accounts.actors import memberships_of
from tahub.accounts.selectors import token_get_for, token_list_for
from tahub.accounts.services import api_token_create, api_token_revoke
from tahub.api.auth import AUTH_REQUIRED

router = Router(tags=["account"], auth=AUTH_REQUIRED)


class MembershipOut(Schema):
    role: str
    scope: str | None

    @staticmethod
    def resolve_scope(obj):
        return obj.scope_key


class MeOut(Schema):
    email: str
    full_name: str
    organisation: str | None
    roles: list[MembershipOut]

    @staticmethod
    def resolve_organisation(obj):
        return obj.organisation.name if obj.organisation else None

    @staticmethod
    def resolve_roles(obj):
        return memberships_of(obj)


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreateIn(Schema):
    name: str
    expires_at: datetime | None = None


class TokenCreatedOut(TokenOut):
    secret: str


@router.get("/me", response=MeOut, summary="Who the caller is and which roles they hold")
def me(request):
    return request.user


@router.get("/tokens", response=list[TokenOut], summary="The caller's API tokens")
@paginate(PageNumberPagination)
def list_tokens(request):
    return token_list_for(request.user)


@router.post("/tokens", response={201: TokenCreatedOut}, summary="Create a token; the secret is shown only here")
def create_token(request, payload: TokenCreateIn):
    token, secret = api_token_create(actor=request.user, name=payload.name, expires_at=payload.expires_at)
    token.secret = secret
    return Status(201, token)


@router.delete("/tokens/{token_id}", response={204: None}, summary="Revoke one of the caller's tokens")
def revoke_token(request, token_id: int):
    api_token_revoke(actor=request.user, token=token_get_for(request.user, token_id))
    return Status(204, None)
