"""Documents the portal generates (ITT, letters, stage-gate reports) as tagged PDFs."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django_fsm import FSMField, FSMModelMixin


class DocumentStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be generated"
    RENDERING = "rendering", "Being generated"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


def document_upload_to(instance: "GeneratedDocument", filename: str) -> str:
    return f"documents/{instance.kind}/{filename}"


class GeneratedDocument(FSMModelMixin, models.Model):
    """A PDF rendered by a Celery worker from a frozen context.

    The context is frozen when the document is requested, so re-rendering it
    gives the same document whatever has changed since.
    """

    kind = models.CharField(max_length=64)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    title = models.CharField(max_length=300)
    status = FSMField(
        max_length=16,
        choices=DocumentStatus.choices,
        default=DocumentStatus.PENDING,
        protected=True,
    )
    file = models.FileField(upload_to=document_upload_to, blank=True, max_length=300)
    sha256 = models.CharField(max_length=64, blank=True)
    context = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    rendered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "kind"]),
            models.Index(fields=["status", "updated_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("core:document-detail", kwargs={"pk": self.pk})
