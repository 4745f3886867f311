"""Shared abstract models."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tahub.core.i18n import Translated


class NamedInSixLanguages(models.Model):
    """A name in the six UN languages; English is required, the others fall back to it."""

    name_en = models.CharField(_("name (English)"), max_length=255)
    name_fr = models.CharField(_("name (French)"), max_length=255, blank=True)
    name_es = models.CharField(_("name (Spanish)"), max_length=255, blank=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=255, blank=True)
    name_ar = models.CharField(_("name (Arabic)"), max_length=255, blank=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=255, blank=True)

    name = Translated("name")

    class Meta:
        abstract = True


class LabelledInSixLanguages(models.Model):
    """A label in the six UN languages; English is required, the others fall back to it."""

    label_en = models.CharField(_("label (English)"), max_length=255)
    label_fr = models.CharField(_("label (French)"), max_length=255, blank=True)
    label_es = models.CharField(_("label (Spanish)"), max_length=255, blank=True)
    label_ru = models.CharField(_("label (Russian)"), max_length=255, blank=True)
    label_ar = models.CharField(_("label (Arabic)"), max_length=255, blank=True)
    label_zh = models.CharField(_("label (Chinese)"), max_length=255, blank=True)

    label = Translated("label")

    class Meta:
        abstract = True


class StoredDocument(models.Model):
    """An uploaded document: checked by ``core.uploads``, stored under a name the server chose
    (``token`` + ``extension``), shown and downloaded under the name it came with (``filename``)."""

    file = models.FileField(_("file"))
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    token = models.CharField(max_length=32, unique=True)
    extension = models.CharField(max_length=8)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True
        ordering = ["pk"]

    def __str__(self):
        return self.filename
