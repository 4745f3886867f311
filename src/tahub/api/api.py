"""The JSON API at /api/v1/: assembles the app routers, authentication and error shape.

Errors always look like ``{"error": {"code": "...", "message": "...", "details": [...]}}``.
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from tahub.accounts.api import router as accounts_router
from tahub.assessments.api import problem_details
from tahub.assessments.api import router as assessments_router
from tahub.assessments.services.responses import ResponseInvalid, StaleResponse
from tahub.assistance.api import router as assistance_router
from tahub.assistance.services import StaleRequest
from tahub.matching.api import router as matching_router
from tahub.offers.api import router as offers_router
from tahub.offers.services import StaleOffer
from tahub.planning.api import router as planning_router
from tahub.reference.api import router as reference_router
from tahub.reports.api import router as reports_router

api = NinjaAPI(
    title="tahub API",
    version="1",
    description="Open data and personal access to the technical assistance clearing-house of the Basel Convention.",
    urls_namespace="api",
)


def error(request, status, code, message, details=None):
    return api.create_response(
        request, {"error": {"code": code, "message": message, "details": details or []}}, status=status
    )


@api.exception_handler(ValidationError)
def on_validation_error(request, exc):
    return error(request, 422, "invalid_input", "The request is not valid.", exc.errors)


@api.exception_handler(DjangoValidationError)
def on_domain_validation_error(request, exc):
    if hasattr(exc, "message_dict"):
        details = [{"field": field, "messages": messages} for field, messages in exc.message_dict.items()]
        return error(request, 422, "invalid_input", "The request is not valid.", details)
    # A refusal not tied to a field (a frozen response, a closed cycle) says why in the message.
    return error(request, 422, "invalid_input", " ".join(exc.messages), [{"field": "", "messages": exc.messages}])


@api.exception_handler(ResponseInvalid)
def on_response_invalid(request, exc):
    return error(
        request, 422, "response_invalid", "The response cannot be submitted yet: every problem is listed in details.",
        problem_details(exc.problems),
    )


@api.exception_handler(StaleResponse)
def on_stale_response(request, exc):
    return error(
        request, 409, "conflict",
        "The response was saved by someone else since you read it (lock_version is stale); nothing was changed. "
        "Read it again and repeat your change.",
    )


@api.exception_handler(StaleOffer)
def on_stale_offer(request, exc):
    return error(
        request, 409, "conflict",
        "The offer was changed by someone else since you read it (lock_version is stale); nothing was changed. "
        "Read it again and repeat your change.",
    )


@api.exception_handler(StaleRequest)
def on_stale_request(request, exc):
    return error(
        request, 409, "conflict",
        "The request for assistance was changed by someone else since you read it (lock_version is stale); nothing was changed. "
        "Read it again and repeat your change.",
    )


@api.exception_handler(AuthenticationError)
def on_authentication_error(request, exc):
    return error(request, 401, "not_authenticated", "Authentication is required: a valid API token or session.")


@api.exception_handler(PermissionDenied)
def on_permission_denied(request, exc):
    return error(request, 403, "permission_denied", "You do not have permission to do this.")


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return error(request, 404, "not_found", "Not found.")


@api.exception_handler(HttpError)
def on_http_error(request, exc):
    codes = {400: "bad_request", 401: "not_authenticated", 403: "permission_denied", 404: "not_found", 405: "method_not_allowed", 409: "conflict"}
    return error(request, exc.status_code, codes.get(exc.status_code, "error"), str(exc))


api.add_router("/", reference_router)
api.add_router("/", accounts_router)
api.add_router("/", assessments_router)
api.add_router("/", offers_router)
api.add_router("/", assistance_router)
api.add_router("/", matching_router)
api.add_router("/", reports_router)
api.add_router("/", planning_router)
