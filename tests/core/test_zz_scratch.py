import pytest
from django.urls import reverse
from tests.factories import PASSWORD
from tests.core.test_sign_in import totp_code, sign_in


@pytest.mark.django_db
def test_dump(client, personas):
    sign_in(client, personas.officer_a)
    client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    out = {}
    out["index"] = client.get(reverse("mfa_index")).content.decode()
    r = client.get(reverse("mfa_deactivate_totp"))
    out["reauth"] = client.get(r["Location"]).content.decode()
    client.post(r["Location"], {"password": PASSWORD})
    out["deact"] = client.get(reverse("mfa_deactivate_totp")).content.decode()
    client.post(reverse("mfa_generate_recovery_codes"))
    out["codes"] = client.get(reverse("mfa_view_recovery_codes")).content.decode()
    out["officer"] = client.get(reverse("core:officer-home")).content.decode()
    for k, v in out.items():
        start = v.find('<main')
        open(f"/tmp/page_{k}.html", "w").write(v[start:v.find('</main>')])
