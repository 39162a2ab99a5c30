"""The public side: opportunities, their notices, documents and answers (no sign-in needed),
and what a signed-in supplier does from them (follow, ask a question)."""

from . import urls_public_documents, urls_public_pages, urls_public_suppliers

app_name = "opportunities"

urlpatterns: list = [
    *urls_public_pages.urlpatterns,
    *urls_public_suppliers.urlpatterns,
    *urls_public_documents.urlpatterns,
]
