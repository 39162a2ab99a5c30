"""Home pages, supplier organisation and invitations (accounts work fills these in)."""

from django.shortcuts import render


def home(request):
    return render(request, "core/home_public.html")
