"""Questionnaire definitions: the Secretariat manages them; published ones are public to read."""

from tahub.accounts.actors import is_secretariat
from tahub.assessments.models import QuestionnaireVersion
from tahub.core.policy import Policy


class QuestionnaireVersionPolicy(Policy):
    model = QuestionnaireVersion

    def visible_to(self, actor):
        versions = QuestionnaireVersion.objects.select_related("questionnaire")
        if is_secretariat(actor):
            return versions
        return versions.filter(status=QuestionnaireVersion.Status.PUBLISHED)

    def can(self, actor, action, obj=None):
        if action == "view":
            return obj is not None and (obj.is_frozen or is_secretariat(actor))
        if action in ("import", "copy"):
            return is_secretariat(actor)
        if action in ("change", "publish"):
            return is_secretariat(actor) and obj is not None and not obj.is_frozen
        return False


version_policy = QuestionnaireVersionPolicy()
