"""Seed the sectors and themes listed in DESIGN.md (editable in the admin afterwards)."""

from django.db import migrations

SECTORS = [
    ("administration-finance", "Hallinto ja talous", "Förvaltning och ekonomi", "Administration and finance"),
    ("early-childhood-education", "Varhaiskasvatus", "Småbarnspedagogik", "Early childhood education"),
    ("teaching-education", "Opetus ja koulutus", "Undervisning och utbildning", "Teaching and education"),
    ("social-health", "Sosiaali- ja terveyspalvelut", "Social- och hälsovårdstjänster", "Social and health services"),
    ("culture-youth-leisure", "Kulttuuri-, nuoriso- ja vapaa-aikapalvelut", "Kultur-, ungdoms- och fritidstjänster",
     "Culture, youth and leisure"),
    ("technical-environmental", "Tekniset ja ympäristöpalvelut", "Tekniska tjänster och miljötjänster",
     "Technical and environmental services"),
    ("meal-cleaning", "Ruoka- ja puhtauspalvelut", "Kost- och städtjänster", "Meal and cleaning services"),
    ("business-employment", "Elinkeino- ja työllisyyspalvelut", "Närings- och sysselsättningstjänster",
     "Business and employment services"),
    ("rescue", "Pelastustoimi", "Räddningsväsendet", "Rescue services"),
    ("hr", "Henkilöstöhallinto", "Personaladministration", "HR"),
]

THEMES = [
    ("new-ways-of-working", "Uudet toimintatavat", "Nya arbetssätt", "New ways of working"),
    ("digitalisation", "Digitalisaatio ja etäpalvelut", "Digitalisering och distanstjänster",
     "Digitalisation and remote services"),
    ("remote-work", "Etätyö ja etäjohtaminen", "Distansarbete och distansledarskap", "Remote work and remote leadership"),
    ("wellbeing-at-work", "Työkyky ja työhyvinvointi", "Arbetsförmåga och välbefinnande i arbetet",
     "Work ability and wellbeing at work"),
    ("induction-safety", "Perehdytys ja työturvallisuus", "Introduktion och arbetarskydd",
     "Induction and occupational safety"),
    ("customer-orientation", "Asiakaslähtöisyys ja palvelumuotoilu", "Kundorientering och tjänstedesign",
     "Customer orientation and service design"),
    ("recruitment", "Rekrytointi ja työnantajakuva", "Rekrytering och arbetsgivarbild",
     "Recruitment and employer image"),
    ("multi-professional", "Moniammatillinen yhteistyö", "Multiprofessionellt samarbete",
     "Multi-professional cooperation"),
    ("environment", "Ympäristö", "Miljö", "Environment"),
    ("equality", "Yhdenvertaisuus ja tasa-arvo", "Likabehandling och jämställdhet", "Equality"),
    ("communication", "Viestintä", "Kommunikation", "Communication"),
    ("leadership", "Johtaminen", "Ledarskap", "Leadership"),
]


def seed(apps, schema_editor):
    for model_name, rows in (("Sector", SECTORS), ("Theme", THEMES)):
        model = apps.get_model("arena", model_name)
        for position, (slug, fi, sv, en) in enumerate(rows):
            model.objects.update_or_create(
                slug=slug,
                defaults={"name": fi, "name_fi": fi, "name_sv": sv, "name_en": en, "position": position},
            )


class Migration(migrations.Migration):
    dependencies = [("arena", "0002_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
