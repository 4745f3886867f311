"""Sign-in throttling: lock-outs count per (e-mail address, IP), whatever case is typed."""


def lockout_username(request, credentials):
    """The username django-axes counts failures against: the e-mail address, lower-cased."""
    value = (credentials or {}).get("username") or request.POST.get("username", "")
    return value.strip().lower()
