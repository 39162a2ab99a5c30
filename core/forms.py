from django import forms


class SupplierSignupForm(forms.Form):
    def signup(self, request, user):
        pass
