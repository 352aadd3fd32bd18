"""Per-language review of rule and document texts: who checked which language, when, and for
which wording (content/translation_reviews.py, the rules admin's review actions)."""

from __future__ import annotations

import copy

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts.models import User
from content import rulesdata, services
from content import translation_reviews as reviews
from content.models import DeadlineRule, DocumentTranslation, TranslationReview
from tests.content import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def shipped():
    return rulesdata.read_dir()


@pytest.fixture
def rules(shipped):
    factories.load_shipped_rules()
    return shipped


def _reviewer(username="nilufar", first_name="Nilufar", last_name="Karimova") -> User:
    return User.objects.create_user(
        username=username, password="pw-123456789", first_name=first_name, last_name=last_name
    )


def _tajik_passport() -> DocumentTranslation:
    return DocumentTranslation.objects.select_related("document").get(
        document__code="passport_foreign", language="tg"
    )


def _deadline(key="patent.contract_copy") -> DeadlineRule:
    return DeadlineRule.objects.get(key=key)


def _entry(data, section, value):
    field = "code" if section == "documents" else "key"
    return next(e for e in data[section] if e[field] == value)


def test_a_document_review_names_the_reviewer_and_clears_the_mark(rules):
    row = _tajik_passport()
    assert row.needs_review
    review = reviews.review_document_text(row, by=_reviewer())
    row.refresh_from_db()
    assert not row.needs_review
    assert review.reviewer_name == "Nilufar Karimova" and review.language == "tg"
    assert review.reviewed_at is not None and reviews.is_current(review)
    # The other languages of the same document still wait for their reviewers.
    uzbek = DocumentTranslation.objects.get(document=row.document, language="uz")
    assert uzbek.needs_review


def test_a_reload_keeps_a_review_only_while_the_wording_is_unchanged(rules):
    reviews.review_document_text(_tajik_passport(), by=_reviewer())
    services.import_rules(rules)
    assert not _tajik_passport().needs_review

    edited = copy.deepcopy(rules)
    texts = _entry(edited, "documents", "passport_foreign")["texts"]
    texts["tg"]["description"] += " Нусхаашро нигоҳ доред."
    services.import_rules(edited)
    row = _tajik_passport()
    assert row.needs_review
    assert not reviews.is_current(row.reviews.get())

    # An edited English source also asks for the translation to be checked again.
    reviews.review_document_text(row, by=_reviewer("second", "Second", "Reviewer"))
    texts["en"]["cost"] = "Set by your country's consulate (ask them)"
    services.import_rules(edited)
    assert _tajik_passport().needs_review


def test_a_deadline_review_takes_only_its_language_off_the_list(rules):
    rule = _deadline()
    assert rule.texts["needs_review"] == ["tg", "uz", "ky"]
    verified_before = (rule.needs_review, rule.verified_on)
    reviews.review_deadline_texts(rule, "uz", by=_reviewer())
    rule.refresh_from_db()
    assert rule.texts["needs_review"] == ["tg", "ky"]
    # A translation review is not a verification of the rule against the law.
    assert (rule.needs_review, rule.verified_on) == verified_before

    services.import_rules(rules)
    assert _deadline().texts["needs_review"] == ["tg", "ky"]

    edited = copy.deepcopy(rules)
    entry = _entry(edited, "deadlines", "patent.contract_copy")
    entry["texts"]["uz"]["advice"] += " Nusxasini saqlang."
    services.import_rules(edited)
    assert _deadline().texts["needs_review"] == ["tg", "uz", "ky"]


def test_the_source_an_empty_language_and_an_anonymous_reviewer_are_refused(rules):
    from django.contrib.auth.models import AnonymousUser

    reviewer = _reviewer()
    english = DocumentTranslation.objects.get(document__code="passport_foreign", language="en")
    with pytest.raises(reviews.ReviewError):
        reviews.review_document_text(english, by=reviewer)
    with pytest.raises(reviews.ReviewError):
        reviews.review_document_text(_tajik_passport(), by=AnonymousUser())
    rule = _deadline()
    rule.texts = {k: v for k, v in rule.texts.items() if k != "ky"}
    rule.save()
    with pytest.raises(reviews.ReviewError):
        reviews.review_deadline_texts(rule, "ky", by=reviewer)
    assert not TranslationReview.objects.exists()


def test_the_admin_review_actions_record_the_signed_in_person(rules, admin_client, admin_user):
    rows = DocumentTranslation.objects.filter(document__code="patent", language__in=["tg", "ky"])
    url = reverse("admin:content_documenttranslation_changelist")
    listed = admin_client.get(url, {"language__exact": "tg", "needs_review__exact": "1"})
    assert listed.status_code == 200 and "mark_reviewed" in listed.content.decode()
    chosen = {"action": "mark_reviewed", "_selected_action": [r.pk for r in rows]}
    assert admin_client.post(url, chosen, follow=True).status_code == 200
    assert not DocumentTranslation.objects.filter(pk__in=rows, needs_review=True).exists()
    assert set(TranslationReview.objects.values_list("language", "reviewed_by")) == {
        ("tg", admin_user.pk),
        ("ky", admin_user.pk),
    }

    rule = _deadline("employer.contract_notice")
    url = reverse("admin:content_deadlinerule_changelist")
    chosen = {"action": "review_texts_ky", "_selected_action": [rule.pk]}
    assert admin_client.post(url, chosen, follow=True).status_code == 200
    rule.refresh_from_db()
    assert rule.texts["needs_review"] == ["tg", "uz"]
    review = TranslationReview.objects.get(deadline_rule=rule)
    assert review.language == "ky" and review.reviewed_by == admin_user

    log = admin_client.get(reverse("admin:content_translationreview_changelist"))
    assert log.status_code == 200 and "employer.contract_notice" in log.content.decode()


def test_staff_without_the_review_permission_cannot_mark_texts_reviewed(rules, client):
    staff = _reviewer("viewer", "View", "Only")
    staff.is_staff = True
    staff.save()
    staff.user_permissions.add(Permission.objects.get(codename="view_documenttranslation"))
    client.force_login(staff)
    url = reverse("admin:content_documenttranslation_changelist")
    listed = client.get(url)
    assert listed.status_code == 200 and "mark_reviewed" not in listed.content.decode()
    row = _tajik_passport()
    client.post(url, {"action": "mark_reviewed", "_selected_action": [row.pk]})
    row.refresh_from_db()
    assert row.needs_review and not TranslationReview.objects.exists()
