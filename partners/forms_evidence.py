"""Forms of the evidence pages: uploading a file, a library item, pulling an item into an
answer. They validate input only; the file itself is checked by the service."""

from django import forms

from .evidence import upload_hint
from .models import EvidenceKind, EvidenceLibraryItem


class EvidenceUploadForm(forms.Form):
    file = forms.FileField(
        label="Upload a file",
        # An empty file reaches the service, which refuses it with the same words as every
        # other refusal of a file.
        allow_empty_file=True,
        error_messages={
            "required": "Select a file to upload",
            "missing": "Select a file to upload",
            "invalid": "The selected file could not be uploaded – try again",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = upload_hint()


class LibraryItemForm(forms.ModelForm):
    kind = forms.ChoiceField(
        label="What kind of evidence is it?",
        choices=EvidenceKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what kind of evidence it is"},
    )
    title = forms.CharField(
        label="Title",
        help_text="A name your colleagues will recognise, like “Care home sensor trial, 2024”.",
        max_length=200,
        error_messages={
            "required": "Enter a title",
            "max_length": "The title must be 200 characters or fewer",
        },
    )
    text = forms.CharField(
        label="Text (optional)",
        help_text="The words to add to an answer when you use this item. You can attach "
        "files after you save it.",
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
    )

    class Meta:
        model = EvidenceLibraryItem
        fields = ("kind", "title", "text")

    def item_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class LibraryPullForm(forms.Form):
    item = forms.ModelChoiceField(
        label="Which item of your evidence library do you want to use?",
        queryset=EvidenceLibraryItem.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": "Select an item of your evidence library",
            "invalid_choice": "Select an item of your evidence library",
        },
    )

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["item"]
        field.queryset = items
        field.label_from_instance = _item_label


def _item_label(item: EvidenceLibraryItem) -> str:
    files = getattr(item, "file_count", None)
    if files is None:
        files = item.files.count()
    attached = f"{files} file{'' if files == 1 else 's'}" if files else "no files"
    return f"{item.title} ({item.get_kind_display().lower()}, {attached})"
