"""The IP terms page of the procurement builder."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from core.exceptions import ApplicationError
from procurements.views.common import completed_initial, posted, procurement_for_edit

from .forms import IPTermsForm
from .models import IPTerms, ip_terms_for
from .sections import KEY
from .services import ip_terms_save


@login_required
@require_http_methods(["GET", "POST"])
def ip_terms_edit(request, pk: int):
    procurement = procurement_for_edit(request, pk, section=KEY)
    terms = ip_terms_for(procurement) or IPTerms(procurement=procurement)
    form = IPTermsForm(
        posted(request),
        instance=terms,
        initial={"completed": completed_initial(procurement, KEY)},
    )
    if form.is_valid():
        try:
            ip_terms_save(
                actor=request.user,
                procurement=procurement,
                data=form.terms_data(),
                completed=form.cleaned_data["completed"],
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            return redirect("procurements:task-list", pk=procurement.pk)
    context = {"procurement": procurement, "form": form, "section_title": "IP terms"}
    return render(request, "ip_rights/ip_terms.html", context)
