"""URLs of the remuneration in instalments: the borough's Money page and one instalment's
page, and the partner's own instalments with the claim of one."""

from django.urls import path

from . import views_instalments

urlpatterns = [
    path("<int:pk>/stages/money/", views_instalments.money, name="money"),
    path(
        "<int:pk>/stages/money/instalments/<int:instalment_pk>/",
        views_instalments.instalment,
        name="instalment",
    ),
    path("my-money/", views_instalments.partner_money, name="partner-money"),
    path(
        "my-money/instalments/<int:pk>/claim/",
        views_instalments.partner_instalment_claim,
        name="partner-instalment-claim",
    ),
]
