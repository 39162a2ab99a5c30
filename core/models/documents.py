"""Documents the portal generates (ITT, letters, stage-gate reports) as tagged PDFs."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django_fsm import FSMField, FSMModelMixin, transition


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
        constraints = [
            # One document of a kind per target in flight: a double-clicked
            # request returns the document already on its way.
            models.UniqueConstraint(
                fields=["kind", "content_type", "object_id"],
                condition=models.Q(status__in=["pending", "rendering"]),
                name="core_document_one_in_flight_per_target",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("core:document-detail", kwargs={"pk": self.pk})

    @property
    def storage_filename(self) -> str:
        """The deterministic file name: rendering again overwrites, never adds a copy."""
        return f"{self.kind}-{self.pk}.pdf"

    @property
    def download_filename(self) -> str:
        return f"{slugify(self.title)[:80] or self.kind}-{self.pk}.pdf"

    @property
    def is_in_flight(self) -> bool:
        return self.status in {DocumentStatus.PENDING, DocumentStatus.RENDERING}

    # Transitions change this row only; the services in core.services.documents
    # lock the row, call them, save and write the audit event. Claiming a row for
    # rendering is a conditional UPDATE in the service, not a transition, so two
    # workers can never both claim it.
    @transition(field=status, source=DocumentStatus.RENDERING, target=DocumentStatus.READY)
    def mark_ready(self, *, name: str, sha256: str) -> None:
        self.file.name = name
        self.sha256 = sha256
        self.error = ""
        self.rendered_at = timezone.now()

    @transition(field=status, source=DocumentStatus.RENDERING, target=DocumentStatus.PENDING)
    def mark_retrying(self, *, error: str) -> None:
        """A transient error: back to pending until the task tries again."""
        self.error = error

    @transition(
        field=status,
        source=[DocumentStatus.PENDING, DocumentStatus.RENDERING],
        target=DocumentStatus.FAILED,
    )
    def mark_failed(self, *, error: str) -> None:
        self.error = error
