"""Phrases the seeded actions are composed of (Finnish and Swedish).

"päiväkoti" (the benchmark's search word) appears only in two subjects and one topic, so
that a search finds about a tenth of the actions, as a common word would.

Every action's text is a combination of these, so the lemmas are computed once per
phrase, not once per action: lemmatising word by word, the lemmas of "a b" are the
lemmas of "a" followed by those of "b".
"""

SUBJECTS = {
    "fi": [
        "Päiväkodin", "Kotihoidon", "Kirjaston", "Koulun", "Nuorisotyön", "Ruokapalvelun",
        "Rakennusvalvonnan", "Henkilöstöhallinnon", "Sosiaalityön", "Terveysaseman", "Pelastuslaitoksen",
        "Liikuntapalvelujen", "Kaavoituksen", "Talouspalvelujen", "Työllisyyspalvelujen", "Vammaispalvelujen",
        "Siivouspalvelun", "Kulttuuritoimen", "Varhaiskasvatuksen", "Hyvinvointialueen", "Kunnanviraston",
        "Lukion", "Päiväkotien", "Ympäristötoimen",
    ],
    "sv": [
        "Daghemmets", "Hemvårdens", "Bibliotekets", "Skolans", "Ungdomsarbetets", "Kostservicens",
        "Byggnadstillsynens", "Personalförvaltningens", "Socialarbetets", "Hälsostationens",
        "Räddningsverkets", "Förskolans",
    ],
}

TOPICS = {
    "fi": [
        "sähköinen ajanvaraus", "yhteinen perehdytysmalli", "etätyön pelisäännöt", "asiakaspalautteen kerääminen",
        "digitaalinen lomake", "moniammatillinen tiimi", "työhyvinvoinnin kysely", "rekrytoinnin uudistus",
        "energiansäästön kokeilu", "palvelumuotoilun työpaja", "chat-palvelu asukkaille", "kiertävä kirjastoauto",
        "ikäihmisten liikuntaryhmä", "ruokahävikin vähentäminen", "videoneuvottelu asiakkaille",
        "tiedottamisen uudistus", "johtamisen valmennus", "yhdenvertaisuussuunnitelma", "työturvallisuuskävely",
        "mentorointiohjelma", "yhteinen varauskalenteri", "iltapäivätoiminnan ilmoittautuminen",
        "lähiruoan hankinta", "etäkonsultaatio", "päiväkoti-ikäisten liikuntaleikit",
    ],
    "sv": [
        "elektronisk tidsbokning", "gemensam introduktionsmodell", "spelregler för distansarbete",
        "insamling av kundrespons", "digital blankett", "multiprofessionellt team", "enkät om arbetshälsa",
        "förnyad rekrytering", "försök med energibesparing", "workshop i tjänstedesign",
    ],
}

SUMMARIES = {
    "fi": [
        "Kokeilimme uutta tapaa toimia, ja se otettiin pysyvästi käyttöön.",
        "Asiakkaat saavat palvelun nopeammin ja työntekijöiden aikaa vapautuu.",
        "Koulu ja nuorisotyö suunnittelivat toimintamallin yhdessä perheiden kanssa.",
        "Pieni muutos arjessa säästi aikaa ja paransi työhyvinvointia.",
        "Malli sopii mille tahansa kunnalle tai hyvinvointialueelle.",
        "Toteutimme kokeilun kolmessa yksikössä ja kahdessa koulussa.",
        "Digitaalinen palvelu korvasi paperilomakkeet kokonaan.",
        "Henkilöstö osallistui suunnitteluun alusta asti.",
    ],
    "sv": [
        "Vi prövade ett nytt arbetssätt och det har blivit permanent.",
        "Kunderna får service snabbare och personalen får mer tid.",
        "Förskolan och skolan planerade modellen tillsammans med familjerna.",
        "Modellen passar vilken kommun eller vilket välfärdsområde som helst.",
    ],
}

NEEDS = {
    "fi": [
        "Asiakkaat joutuivat odottamaan palvelua pitkään, ja puhelinjonot olivat ruuhkaisia.",
        "Työntekijöiden aikaa kului paljon päällekkäiseen kirjaamiseen.",
        "Yksiköissä tarvittiin yhteinen tapa sopia asiakkaiden käyntiajoista.",
        "Uudet työntekijät kokivat perehdytyksen hajanaiseksi.",
        "Tieto ei kulkenut yksiköiden välillä, ja samoja asioita selvitettiin moneen kertaan.",
        "Tavoitteena oli vähentää sairauspoissaoloja ja parantaa työn sujuvuutta.",
        "Asukkailta tuli palautetta siitä, että palveluun oli vaikea päästä.",
        "Tilojen käyttöaste oli matala ja energiankulutus korkea.",
        "Nuoret eivät löytäneet harrastuksia omalta asuinalueeltaan.",
        "Kotihoidon reitit suunniteltiin käsin joka aamu.",
        "Lomakkeiden käsittely vei viikkoja.",
        "Koulussa haluttiin vahvistaa vanhempien osallisuutta.",
    ],
    "sv": [
        "Kunderna fick vänta länge på service och telefonköerna var långa.",
        "Personalen lade mycket tid på dubbel dokumentation.",
        "Förskolorna behövde ett gemensamt sätt att avtala om barnens vårdtider.",
        "Nya medarbetare upplevde introduktionen som splittrad.",
        "Målet var att minska sjukfrånvaron och göra arbetet smidigare.",
        "Invånarna gav respons om att det var svårt att nå tjänsten.",
    ],
}

SOLUTIONS = {
    "fi": [
        "Suunnittelimme palvelun yhdessä asiakkaiden ja henkilöstön kanssa palvelumuotoilun menetelmin.",
        "Otimme käyttöön sähköisen ajanvarauksen, joka on auki vuorokauden ympäri.",
        "Kokosimme moniammatillisen tiimin, joka kokoontuu viikoittain.",
        "Laadimme perehdytyksen muistilistan ja nimesimme jokaiselle uudelle työntekijälle kummin.",
        "Yksikön henkilöstö kokeili uutta viikkorytmiä kahden kuukauden ajan.",
        "Siirsimme lomakkeet verkkoon ja yhdistimme ne asiakastietojärjestelmään.",
        "Järjestimme lyhyet aamupalaverit, joissa sovitaan päivän tärkeimmät asiat.",
        "Hankimme reittioptimoinnin ohjelmiston ja koulutimme työntekijät sen käyttöön.",
        "Kirjasto avasi omatoimiaukiolon iltaisin ja viikonloppuisin.",
        "Kokeilimme etävastaanottoa videoyhteydellä niille asiakkaille, jotka sitä toivoivat.",
        "Sovimme yhteiset pelisäännöt etätyöhön ja kirjasimme ne intranetiin.",
        "Keittiö alkoi punnita ruokahävikin päivittäin ja muutti annoskokoja sen mukaan.",
        "Nuorisotyöntekijät jalkautuivat kouluihin ja kauppakeskuksiin.",
        "Rakensimme yhteisen varauskalenterin, jota asukkaat käyttävät puhelimella.",
    ],
    "sv": [
        "Vi planerade tjänsten tillsammans med kunderna och personalen med metoder från tjänstedesign.",
        "Vi införde elektronisk tidsbokning som är öppen dygnet runt.",
        "Vi samlade ett multiprofessionellt team som träffas varje vecka.",
        "Vi gjorde en checklista för introduktionen och utsåg en fadder för varje ny medarbetare.",
        "Personalen på förskolan prövade en ny veckorytm i två månader.",
        "Vi flyttade blanketterna till webben och kopplade dem till kunddatasystemet.",
        "Biblioteket öppnade meröppet på kvällar och veckoslut.",
    ],
}

RESULTS = {
    "fi": [
        "Odotusajat lyhenivät puoleen ensimmäisen puolen vuoden aikana.",
        "Asiakastyytyväisyys nousi selvästi, ja palautetta tuli aiempaa enemmän.",
        "Sairauspoissaolot vähenivät, ja työhyvinvointikyselyn tulokset paranivat.",
        "Säästimme vuodessa useita tuhansia euroja.",
        "Toimintamalli on nyt käytössä kaikissa kunnan yksiköissä.",
        "Uudet työntekijät pääsevät työhön kiinni aiempaa nopeammin.",
        "Ruokahävikki pieneni kolmanneksella.",
        "Naapurikunnat ovat kiinnostuneet mallista ja ottaneet sen käyttöön.",
        "Kokeilu jatkuu ja laajenee ensi vuonna.",
        "Henkilöstö kokee, että työ on nyt sujuvampaa.",
    ],
    "sv": [
        "Väntetiderna halverades under det första halvåret.",
        "Kundnöjdheten steg tydligt och vi fick mer respons än förut.",
        "Sjukfrånvaron minskade och resultaten i enkäten om arbetshälsa förbättrades.",
        "Modellen används nu i alla kommunens förskolor.",
        "Försöket fortsätter och utvidgas nästa år.",
    ],
}

TIPS = {
    "fi": [
        "Ottakaa henkilöstö mukaan heti alussa.",
        "Aloittakaa pienestä kokeilusta ja laajentakaa vasta sitten.",
        "Kerätkää palautetta säännöllisesti ja muuttakaa toimintaa sen mukaan.",
        "Varatkaa aikaa koulutukseen.",
        "",
        "",
    ],
    "sv": [
        "Ta med personalen från början.",
        "Börja med ett litet försök och utvidga sedan.",
        "",
    ],
}

FIRST_NAMES = [
    "Aino", "Eino", "Helmi", "Väinö", "Sofia", "Leo", "Aada", "Oliver", "Ella", "Elias", "Linnea", "Onni",
    "Maria", "Juhani", "Anna", "Mikael", "Kaarina", "Johannes", "Liisa", "Matti", "Elina", "Ville", "Saara", "Timo",
]
LAST_NAMES = [
    "Korhonen", "Virtanen", "Mäkinen", "Nieminen", "Mäkelä", "Hämäläinen", "Laine", "Heikkinen", "Koskinen",
    "Järvinen", "Lehtonen", "Lehtinen", "Saarinen", "Salminen", "Heinonen", "Niemi", "Lindqvist", "Johansson",
    "Karlsson", "Nyström",
]

ORGANISATION_KINDS_FI = {
    "joint_authority": "kuntayhtymä",
    "other": "palvelukeskus",
}
