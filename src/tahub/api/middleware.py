from django.http import JsonResponse

CODES = {404: ("not_found", "Not found."), 405: ("method_not_allowed", "This method is not allowed here.")}


class ApiErrorShapeMiddleware:
    """Unknown API paths and wrong methods answer in the API's error shape, not as HTML.

    Errors raised inside API operations are shaped by the handlers in ``tahub.api.api``;
    this covers what Django's URL routing answers before an operation runs.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        is_json = response.get("Content-Type", "").startswith("application/json")
        if request.path.startswith("/api/") and response.status_code in CODES and not is_json:
            code, message = CODES[response.status_code]
            shaped = JsonResponse({"error": {"code": code, "message": message, "details": []}}, status=response.status_code)
            if response.has_header("Allow"):
                shaped["Allow"] = response["Allow"]
            return shaped
        return response
