import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import translation

from orgs.password_validation import breached_passwords, is_guessable
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

BREACHED_MESSAGE_FI = "Tämä salasana on yleisten tai vuotaneiden salasanojen listalla"
PERSONAL_MESSAGE_FI = "Salasanassa on sähköpostiosoitteesi tai organisaatiosi nimi"
GOOD_PASSWORD = "Sinisorsa-lampi-42"


@pytest.mark.parametrize("password", [
    "salasana", "Salasana2024!", "salasana123", "kesä2024", "Kesä2025!!", "lösenord", "Lösenord1",
    "Hyvinkää1", "hyvinkää2025", "Limingo1990", "Matti1985!", "Jokerit2024", "s4l4s4n4",
    "P@ssw0rd2024", "password123", "qwerty12345", "iloveyou", "1234567890", "Tekojentori2026",
])
def test_common_breached_and_padded_words_are_guessable(password):
    assert is_guessable(password)


@pytest.mark.parametrize("password", [
    GOOD_PASSWORD, "Pitka-salasana-2026", "correct horse battery", "Kissa ja koira 2024", "lång-lösen-123",
])
def test_passphrases_are_not_guessable(password):
    assert not is_guessable(password)


def test_the_shipped_list_is_large_and_includes_djangos_list():
    passwords = breached_passwords()
    assert len(passwords) > 50_000
    assert {"123456", "password", "salasana", "dragon"} <= passwords


def test_the_message_is_clear_in_each_language():
    texts = {}
    for language in ("fi", "sv", "en"):
        with translation.override(language), pytest.raises(ValidationError) as error:
            validate_password("Salasana2024!")
        texts[language] = " ".join(error.value.messages)
    assert BREACHED_MESSAGE_FI in texts["fi"]
    assert "Det här lösenordet finns på en lista över vanliga eller läckta lösenord" in texts["sv"]
    assert "This password is on a list of common or leaked passwords" in texts["en"]


def test_signup_with_a_breached_password_is_refused_in_finnish_and_stores_nothing(client, django_user_model):
    response = client.post("/fi/accounts/signup/", {
        "email": "aino.virtanen@example.fi", "full_name": "Aino Virtanen",
        "password1": "Salasana2024!", "password2": "Salasana2024!",
    })
    assert response.status_code == 200
    assert BREACHED_MESSAGE_FI in response.content.decode()
    assert 'value="aino.virtanen@example.fi"' in response.content.decode()
    assert not django_user_model.objects.filter(email="aino.virtanen@example.fi").exists()


@pytest.mark.parametrize("password", ["Aino.Virtanen-2026", "kesa-ainovirtanen", "Virtanen2026!!"])
def test_signup_with_the_email_name_in_the_password_is_refused(client, django_user_model, password):
    response = client.post("/fi/accounts/signup/", {
        "email": "aino.virtanen@example.fi", "full_name": "Aino Virtanen",
        "password1": password, "password2": password,
    })
    assert response.status_code == 200
    assert PERSONAL_MESSAGE_FI in response.content.decode()
    assert not django_user_model.objects.filter(email="aino.virtanen@example.fi").exists()


def test_signup_with_a_good_password_works(client, django_user_model):
    response = client.post("/fi/accounts/signup/", {
        "email": "aino.virtanen@example.fi", "full_name": "Aino Virtanen",
        "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD,
    })
    assert response.status_code == 302
    assert django_user_model.objects.get(email="aino.virtanen@example.fi").check_password(GOOD_PASSWORD)


@pytest.mark.parametrize(("new_password", "message"), [
    ("Hyvinkää2025!", BREACHED_MESSAGE_FI),
    ("Hyvinge-paras-tyopaikka", PERSONAL_MESSAGE_FI),
])
def test_password_change_to_a_guessable_password_is_refused(client, db, new_password, message):
    organisation = OrganisationFactory(name_fi="Hyvinkään kaupunki", name_sv="Hyvinge stad")
    user = MembershipFactory(organisation=organisation, user__email="tuula@hyvinkaa.fi").user
    client.force_login(user)
    response = client.post("/fi/accounts/password/change/", {
        "oldpassword": "correct horse battery", "password1": new_password, "password2": new_password,
    })
    assert response.status_code == 200
    assert message in response.content.decode()
    user.refresh_from_db()
    assert user.check_password("correct horse battery")


def test_password_change_to_a_good_password_works(client, db):
    user = UserFactory(email="tuula@hyvinkaa.fi")
    client.force_login(user)
    response = client.post("/fi/accounts/password/change/", {
        "oldpassword": "correct horse battery", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD,
    })
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(GOOD_PASSWORD)
