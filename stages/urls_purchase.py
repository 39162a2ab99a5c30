"""URLs of the final purchase (the borough's page and the lead officer's decisions) and of the
partner's withdrawal, under /procurements/ in the ``stages`` namespace."""

from django.urls import path

from . import views_purchase

PARTNERSHIP = "<int:pk>/stages/purchase/<int:partnership_pk>/"

urlpatterns = [
    path("<int:pk>/stages/purchase/", views_purchase.purchase, name="purchase"),
    path(f"{PARTNERSHIP}record/", views_purchase.purchase_record_view, name="purchase-record"),
    path(f"{PARTNERSHIP}decline/", views_purchase.purchase_decline_view, name="purchase-decline"),
    path("my-phases/withdraw/<int:pk>/", views_purchase.partner_withdraw, name="partner-withdraw"),
]
