"""Reading reference rows named by code in an API body: every unknown code is reported, none guessed."""

from django.utils.translation import gettext as _


def unknown_codes_message(codes):
    return _("Unknown codes: %(codes)s.") % {"codes": ", ".join(codes)}


def rows_by_code(model, field, codes, name, errors):
    """The rows of ``model`` named by ``codes``, in the order given; unknown codes go to ``errors[name]``."""
    wanted = list(dict.fromkeys(codes))
    found = {getattr(row, field): row for row in model.objects.filter(**{f"{field}__in": wanted})} if wanted else {}
    unknown = [code for code in wanted if code not in found]
    if unknown:
        errors[name] = unknown_codes_message(unknown)
    return [found[code] for code in wanted if code in found]
