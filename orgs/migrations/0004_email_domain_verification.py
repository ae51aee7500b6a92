"""E-mail domains are verified only by KT staff or by proof; earlier claims are re-checked.

Before this migration an organisation admin could mark any domain verified, so a verified
row says nothing by itself. Each one is kept or sent to KT staff (pending) as follows:

1. a domain public mail services use (gmail.com…) is never verified: it becomes a suggestion;
2. a reference-data domain of its own organisation stays verified ("reference data");
3. a domain another organisation also has, verified or as a suggestion (kempele.fi for
   Kempele, say), is pending ("known to belong to another organisation"): so a domain
   verified for two organisations is pending for both, unless it is one's reference domain;
4. a domain on which a confirmed admin of the organisation has a confirmed address stays
   verified ("proof");
5. every other one is pending ("verified before claims needed proof"); staff approve the
   right ones in the admin (E-mail domains, filter "waiting for KT staff").

Memberships confirmed at once through a domain that rule 3 sends to staff (the Kempele
employees let into Liminka) go back to waiting for an admin, with a "returned" event, unless
an admin confirmed them by hand or another of the person's confirmed addresses is on a domain
still verified for that organisation alone. Every other membership is left as it is.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

# Frozen copy of the reference data's own verified domains at the time of this migration:
# (kind, code) → domains.
REFERENCE_VERIFIED = {
    ("municipality", "425"): {"liminka.fi"},
    ("municipality", "091"): {"hel.fi"},
    ("municipality", "049"): {"espoo.fi"},
    ("municipality", "092"): {"vantaa.fi"},
    ("municipality", "837"): {"tampere.fi"},
    ("municipality", "853"): {"turku.fi"},
    ("municipality", "564"): {"ouka.fi"},
    ("welfare_joint_authority", "HUS"): {"hus.fi"},
}
PUBLIC_MAIL_DOMAINS = {
    "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "hotmail.fi", "live.com", "live.fi",
    "msn.com", "yahoo.com", "yahoo.fi", "icloud.com", "me.com", "protonmail.com", "proton.me",
    "suomi24.fi", "luukku.com", "elisanet.fi", "kolumbus.fi", "welho.com", "saunalahti.fi", "dnainternet.net",
}


def recheck_verified_domains(apps, schema_editor):
    EmailDomain = apps.get_model("orgs", "EmailDomain")
    Membership = apps.get_model("orgs", "Membership")
    EmailAddress = apps.get_model("account", "EmailAddress")
    now = timezone.now()

    holders = {}  # domain → ids of the organisations holding it in any form
    for organisation_id, domain in EmailDomain.objects.values_list("organisation_id", "domain"):
        holders.setdefault(domain, set()).add(organisation_id)

    taken_back = []
    for row in EmailDomain.objects.filter(verified=True).select_related("organisation"):
        organisation = row.organisation
        own_reference = row.domain in REFERENCE_VERIFIED.get((organisation.kind, organisation.code), set())
        others = holders[row.domain] - {organisation.id}
        if row.domain in PUBLIC_MAIL_DOMAINS:
            row.verified = False
        elif own_reference:
            row.verification = "reference"
        elif others:
            row.verified, row.requested_at, row.pending_reason = False, now, "elsewhere"
        else:
            admins = Membership.objects.filter(organisation=organisation, role="admin", status="confirmed")
            prover = (EmailAddress.objects.filter(user__in=admins.values("user"), verified=True,
                                                  email__iendswith="@" + row.domain)
                      .order_by("pk").values_list("user_id", flat=True).first())
            if prover:
                row.verification, row.verified_by_id = "proof", prover
            else:
                row.verified, row.requested_at, row.pending_reason = False, now, "earlier"
        row.save(update_fields=["verified", "verification", "verified_by", "requested_at", "pending_reason"])
        if row.pending_reason == "elsewhere":
            taken_back.append(row)
    _return_memberships(apps, taken_back, now)


def _return_memberships(apps, rows, now):
    """Memberships auto-confirmed through one of `rows` (domains another organisation owns) wait again."""
    EmailDomain = apps.get_model("orgs", "EmailDomain")
    Membership = apps.get_model("orgs", "Membership")
    MembershipEvent = apps.get_model("orgs", "MembershipEvent")
    EmailAddress = apps.get_model("account", "EmailAddress")
    verified = {}  # domain → ids of the organisations it is still verified for
    for organisation_id, domain in EmailDomain.objects.filter(verified=True).values_list("organisation_id", "domain"):
        verified.setdefault(domain, set()).add(organisation_id)
    for row in rows:
        auto_confirmed = MembershipEvent.objects.filter(organisation_id=row.organisation_id,
                                                        action="auto_confirmed").values("user")
        candidates = Membership.objects.filter(
            organisation_id=row.organisation_id, status="confirmed", role="member", confirmed_by__isnull=True,
            user__in=auto_confirmed,
        ).filter(user__in=EmailAddress.objects.filter(verified=True, email__iendswith="@" + row.domain).values("user"))
        for membership in candidates:
            domains = {address.rsplit("@", 1)[-1].lower() for address in EmailAddress.objects.filter(
                user_id=membership.user_id, verified=True).values_list("email", flat=True)}
            if any(verified.get(domain) == {row.organisation_id} for domain in domains):
                continue
            membership.status, membership.confirmed_at = "pending", None
            membership.save(update_fields=["status", "confirmed_at"])
            MembershipEvent.objects.create(organisation_id=row.organisation_id, user_id=membership.user_id,
                                           action="returned", detail=row.domain, created_at=now)


class Migration(migrations.Migration):

    dependencies = [
        ('orgs', '0003_one_line_text_stored_clean'),
        ('account', '0009_emailaddress_unique_primary_email'),
    ]

    operations = [
        migrations.AddField(
            model_name='emaildomain',
            name='pending_reason',
            field=models.CharField(blank=True, choices=[('no_proof', 'no confirmed address of the admin on the domain'), ('elsewhere', 'known to belong to another organisation'), ('earlier', 'verified before claims needed proof')], max_length=10, verbose_name='waits for KT staff because'),
        ),
        migrations.AddField(
            model_name='emaildomain',
            name='requested_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='verification asked at'),
        ),
        migrations.AddField(
            model_name='emaildomain',
            name='requested_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='verification asked by'),
        ),
        migrations.AddField(
            model_name='emaildomain',
            name='verification',
            field=models.CharField(blank=True, choices=[('reference', 'reference data'), ('staff', 'approved by KT staff'), ('proof', "proved by an admin's confirmed address")], max_length=10, verbose_name='verified by way of'),
        ),
        migrations.AddField(
            model_name='emaildomain',
            name='verified_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='verified at'),
        ),
        migrations.AddField(
            model_name='emaildomain',
            name='verified_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='verified by'),
        ),
        migrations.AddConstraint(
            model_name='emaildomain',
            constraint=models.CheckConstraint(condition=models.Q(('verification__in', ['', 'reference', 'staff', 'proof'])), name='email_domain_verification_valid'),
        ),
        migrations.AddConstraint(
            model_name='emaildomain',
            constraint=models.CheckConstraint(condition=models.Q(('pending_reason__in', ['', 'no_proof', 'elsewhere', 'earlier'])), name='email_domain_pending_reason_valid'),
        ),
        migrations.AddConstraint(
            model_name='emaildomain',
            constraint=models.CheckConstraint(condition=models.Q(('verified', False), ('requested_at__isnull', True), _connector='OR'), name='email_domain_pending_not_verified'),
        ),
        migrations.RemoveConstraint(
            model_name='membershipevent',
            name='membership_event_action_valid',
        ),
        migrations.AlterField(
            model_name='membershipevent',
            name='action',
            field=models.CharField(choices=[('requested', 'asked to join'), ('auto_confirmed', 'confirmed by verified e-mail domain'), ('confirmed', 'confirmed'), ('role_changed', 'role changed'), ('removed', 'removed'), ('left', 'left'), ('returned', 'back to waiting: the e-mail domain was re-checked')], max_length=20, verbose_name='action'),
        ),
        migrations.AddConstraint(
            model_name='membershipevent',
            constraint=models.CheckConstraint(condition=models.Q(('action__in', ['requested', 'auto_confirmed', 'confirmed', 'role_changed', 'removed', 'left', 'returned'])), name='membership_event_action_valid'),
        ),
        migrations.RunPython(recheck_verified_domains, migrations.RunPython.noop),
    ]
