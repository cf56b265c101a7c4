"""The kinds of output_fresh_v7's last and v8's errors, fixed by kind (task 14o), each public
text beside a leak of the same shape in the same language (every text here is new, none is a
line of a set): numbers read with the region of the text's language, public lines named in
more languages, letterheads and business identifiers, service mailboxes, key fingerprints and
publishable keys; national ids of 22 more countries named by their words, passwords in more
languages, card numbers outside the brands' ranges where a word names a card.
"""

from __future__ import annotations

import pytest

from portal_api.security.guard import language
from tests.security.outputs import findings as _findings
from tests.security.record_pairs import RECORD_PAIRS


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Om du har frågor om din deklaration kan du ringa oss och inte vänta.", "sv"),
        ("Jeśli masz pytania, zadzwoń do nas w dni robocze lub napisz przez formularz.", "pl"),
        ("Se hai domande puoi chiamare il nostro ufficio oppure scriverci una mail.", "it"),
        ("Als je vragen hebt, kun je ons bellen of een bericht sturen via het formulier.", "nl"),
        ("Jos sinulla on kysyttävää, voit soittaa meille arkisin tai lähettää viestin.", "fi"),
        ("Sorularınız için bizi hafta içi arayabilir veya bu formu kullanabilirsiniz.", "tr"),
        ("Pokud máte dotazy, můžete nám zavolat nebo napsat přes formulář.", "cs"),
        ("Please call us on weekdays if you have questions about your order.", "en"),
        ("Call 112.", None),
    ],
)  # fmt: skip
def test_the_language_of_a_text_is_told_by_its_words(text: str, lang: str | None) -> None:
    assert language.detect(text) == lang


# Each row: a public text, the personal or secret text of the same shape and language beside
# it, and what that one must be found as (None: any finding). Grouped by what they pin.
PAIRS = [
    # a public line in its language is public and a mobile is found
    # A number written nationally is read with the region of the text's language: the public
    # line is that country's shared-cost, toll-free or premium number, a mobile is a mobile.
    ("Frågor om fordonsskatt besvarar Transportstyrelsen på 0771-503 503 på vardagar.",
     "Min kollega Erik har mobilnummer 070-312 45 89, ring honom efter lunch.", ["phone"]),
    ("W sprawie reklamacji zadzwoń na bezpłatny numer 800 100 200 od poniedziałku do piątku.",
     "Pani Anna prosi o kontakt pod numerem 512 874 306 po godzinie 17.", ["phone"]),
    ("Per informazioni sulla bolletta chiama il numero verde 800 900 860 dal lunedì al sabato.",
     "Il cellulare del tecnico che verrà da te è 347 582 1946, chiamalo prima di uscire.", ["phone"]),
    ("Voor vragen over je toeslag bel je de Belastingtelefoon op 0800-0543 op werkdagen.",
     "Het mobiele nummer van de nieuwe huurder is 06 4827 1953, bel hem na zes uur.", ["phone"]),
    ("Jos sinulla on kysyttävää laskusta, soita asiakaspalveluumme numeroon 0800 9 4242.",
     "Liisan kännykkä on 040 735 2918, soita hänelle illalla.", ["phone"]),
    ("Kargo ile ilgili sorularınız için çağrı merkezimiz 0850 222 0 444 hizmetinizde.",
     "Ayşe Hanım'ın cep telefonu 0532 614 27 83, akşam arayabilirsiniz.", ["phone"]),
    ("Pokud máte dotaz k zásilce, volejte na bezplatnou linku 800 104 410 v pracovní dny.",
     "Paní Nováková má mobil 603 418 275, volejte jí po páté hodině.", ["phone"]),
    # business and build ids are no phone numbers
    ("Numéro SIREN 732 829 320, TVA intracommunautaire FR 44 732829320.",
     "Le portable de Mme Martin : 06 71 48 29 35.", ["phone"]),
    ("NIP: 526-104-08-28, REGON: 012345678, KRS: 0000123456.",
     "Telefon komórkowy pana Nowaka: 601 482 735.", ["phone"]),
    ("VAT: GB 980 7806 84, company no. 04234567 (England and Wales).",
     "Her personal mobile is 07911 482 736.", ["phone"]),
    ("The deploy ran as pipeline 982341234, job 7712098823, build 48213.",
     "The on-call engineer's phone is (415) 867-2291 tonight.", ["phone"]),
    # a service mailbox is public and a persons is found
    # a service named by public-line words earlier in the sentence
    ("If you need to talk, call Samaritans free on 116 123 or email jo@samaritans.org.",
     "If you need to talk, call Samaritans free on 116 123 or email my sister at "
     "kate.morrow81@gmail.com.", ["email"]),
    ("Per domande sull'ordine scrivi al nostro servizio clienti: ordini@verdemare.it.",
     "Per domande sull'ordine scrivi a Giulia: giulia.ferri@verdemare.it.", ["email"]),
    # the role mailbox of an office in another language
    ("Sorularınız için destek@kargohizli.com.tr adresine yazabilirsiniz.",
     "Sorularınız için mehmet.kaya@kargohizli.com.tr adresine yazabilirsiniz.", ["email"]),
    ("Pytania prosimy kierować na adres bok@drukarnia-mazur.pl.",
     "Pytania prosimy kierować na adres anna.mazur@drukarnia-mazur.pl.", ["email"]),
    # values to fill in are no secret in other languages
    ('Wstaw swój klucz: OPENAI_API_KEY="TWOJ_KLUCZ_API_TUTAJ"',
     'Klucz produkcyjny: OPENAI_API_KEY="q8Zr2Lm5Xv9Tn4Wb7Yc1Kd3F"', ["credential-assignment"]),
    ("Sostituisci con il tuo token: GITHUB_TOKEN=IL_TUO_TOKEN_QUI",
     "Il token del server: GITHUB_TOKEN=Vb7Yc1Kd3Fq8Zr2Lm5Xv9Tn4W", ["credential-assignment"]),
    ("Byt ut mot din nyckel: API_KEY=DIN_API_NYCKEL_HÄR",
     "Nyckeln i produktion: API_KEY=Lm5Xv9Tn4Wb7Yc1Kd3Fq8Zr2", ["credential-assignment"]),
    ("Korvaa omalla avaimellasi: API_KEY=SINUN_API_AVAIMESI_TÄHÄN",
     "Tuotannon avain: API_KEY=Tn4Wb7Yc1Kd3Fq8Zr2Lm5Xv9", ["credential-assignment"]),
    # order and customer numbers are no phone numbers
    ("Numer zamówienia: 4029347719, numer paczki: 6400123456789.",
     "Numer telefonu pani Zofii: 698 123 457.", ["phone"]),
    ("Il numero della pratica è 2025/004512 e il protocollo 0123456789.",
     "Il numero di cellulare di Luca: 348 912 3456.", ["phone"]),
    ("Uw klantnummer is 30012345 en het dossiernummer 202511280042.",
     "Telefoonnummer van Sanne: 06 2345 6789.", ["phone"]),
    ("Kundennummer 10045873, bitte bei Rückfragen angeben.",
     "Telefon der Kundin: 0171 2345678, bitte zurückrufen.", ["phone"]),
    ("Customer no. 0612345678 placed the order.",
     "Customer: +44 7911 123456 asked for a call back.", ["phone"]),
    # cards announced as samples in other languages
    # a valid card number that no processor lists as a test card: announced as a sample, it is one
    ("Per i test usa la carta di prova 4539 1488 0343 6467.",
     "La carta del cliente è 4539 1488 0343 6467.", ["payment-card"]),
    ("Gebruik in de testomgeving de testkaart 4539 1488 0343 6467.",
     "De creditcard van de klant: 4539 1488 0343 6467.", ["payment-card"]),
    ("Deneme kartı: 4539 1488 0343 6467, son kullanma herhangi bir ileri tarih.",
     "Müşterinin kartı: 4539 1488 0343 6467, son kullanma 09/28.", ["payment-card"]),
    ("W trybie testowym użyj karty 4539 1488 0343 6467.",
     "Karta klienta: 4539 1488 0343 6467.", ["payment-card"]),
    # public values by checksum structure or name
    # Random-looking values that are public by a checksum, a structure or their name; the private
    # counterpart of each is still found.
    ("[Peer]\nPublicKey = xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=\nAllowedIPs = 10.0.0.0/24",
     "[Interface]\nPrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=\nAddress = 10.0.0.2/32", None),
    ("Donations: 1BoatSLRHtKNngkdXEeobR76b53LETtpyT",
     "Backup code: 1BoatSLRHtKNngkdXEeobR76b53LETtpyX", None),
    ("IPFS CID: QmXoypizjW3WknFiJnKLwHCnL72vedxjQkDDP1mXWo6uco",
     "Session: ZmXoypizjW3WknFiJnKLwHCnL72vedxjQkDDP1mXWo6uco", None),
    ('{"keys": [{"kty": "RSA", "e": "AQAB", "kid": "k1", "n": "0vx7agoebGcQSuuPiLJXZptN9nndrQm'
     'bXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMs"}]}',
     '{"keys": [{"kty": "RSA", "e": "AQAB", "kid": "k1", "d": "X4cTteJY_gn4FYPsXB8rdXix5vwsg1F'
     'LN5E3EaG6RJoVH-HLLKD9M7dx5oo7GURknchnrRweUkC7hT5fJLM0WbFAKNLWY2vv7B6NqXSzUvxT0_YSfqij"}]}', None),
    # a phone number given as a format or example is public
    ("Podaj numer w formacie +48 600 123 456 (przykład).",
     "Numer pani Zofii to +48 698 123 457, dzwoń po 17.", ["phone"]),
    ("Voer je nummer in als 06 23456781 (voorbeeld).",
     "Het nummer van Sanne is 06 23456781, bel haar morgen.", ["phone"]),
    ("E.164 example: +14155552671.",
     "Dana's cell, in E.164: +14155552671.", ["phone"]),
    ("Exempel på telefonnummer: 070-123 45 67.",
     "Oskars telefonnummer: 070-512 34 98.", ["phone"]),
    ("Örnek telefon numarası: 0532 123 45 67.",
     "Ayşe'nin telefon numarası: 0532 614 27 83.", ["phone"]),
    # a mailbox written as a pattern is public
    ("Adressen folgen dem Schema vorname.nachname@firma-intern.de.",
     "Schreib an lena.vogt@firma-intern.de.", ["email"]),
    ("Schemat adresu: imie.nazwisko@urzad-miasta.pl",
     "Adres pani Zofii: zofia.lis@urzad-miasta.pl", ["email"]),
    ("Sähköpostin muoto: etunimi.sukunimi@yritys.fi",
     "Liisan osoite: liisa.virtanen@yritys.fi", ["email"]),
    ("Muster: max.mustermann@musterfirma.de",
     "Ansprechpartner: max.brandt@musterfirma.de", ["email"]),
]  # fmt: skip


@pytest.mark.parametrize(("public", "found", "expected"), PAIRS + RECORD_PAIRS)
def test_the_public_text_is_clean_and_the_other_found(
    public: str, found: str, expected: list[str] | None
) -> None:
    assert _findings(public) == [], public
    if expected is None:
        assert _findings(found) != [], found
    else:
        assert _findings(found) == expected, found


def test_ssn_shaped_public_line_in_polish_text_is_no_ssn() -> None:
    assert _findings("Linia wsparcia dla osób w kryzysie działa pod numerem 800 70 2222.") == []
    assert _findings("Employee record: SSN 536 22 8726, hired 2019.") == ["us-ssn"]


def test_the_other_number_of_a_public_line_offered_as_an_alternative_is_public() -> None:
    public = (
        "Per segnalazioni puoi chiamare il numero verde 803 164 da rete fissa oppure lo "
        "06 164 164 da cellulare."
    )
    assert _findings(public) == []
    # the same words before a person's mobile, without a public line
    assert _findings("Per segnalazioni puoi chiamare Marco oppure lo 347 582 1946.") == ["phone"]


# Letterheads and imprints: the company's landline is public there, a mobile still a leak.
IMPRINT = (
    "Impressum\nNordlicht Software GmbH, Speicherstraße 12, 20457 Hamburg\n"
    "Telefon: 040 3179 6620\nHandelsregister: HRB 154321, Amtsgericht Hamburg\n"
    "USt-IdNr.: DE298765431\n"
)


def test_a_landline_on_an_imprint_is_public_and_a_mobile_there_is_found() -> None:
    assert _findings(IMPRINT) == []
    assert _findings(IMPRINT + "Geschäftsführer privat: 0171 4839 2275") == ["phone"]


@pytest.mark.parametrize(
    "text",
    [
        "Host key fingerprint: SHA256:Xk3mPq8ZrT2vLw9NbY4cJ7hF1dG6sA0eU5iO8pQ2rSt",
        "Put the publishable key in the page: pk_live_51PqRsTuVwXyZa8Bc7De6Fg5Hi4Jk3Lm2",
        "Mapbox public token: pk.eyJ1IjoibWFwdXNlciIsImEiOiJja2x4bTJ5ZjQwMDAwIn0.Zx8Yw7Vu6Ts5Rq4Po3Nm",
        "Numer IMEI telefonu (na karcie SIM): 356938035643809.",
        "Connection string format: postgresql://user:secret@localhost:5432/app",
        "Der Server 203.0.113.7 antwortet nicht; bitte 198.51.100.24 prüfen.",
        "Fiktiv kontakt för läromedlet: Anna Andersson, 070-174 06 42.",
    ],
)
def test_public_material_is_no_finding(text: str) -> None:
    assert _findings(text) == [], text


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Server-side only: sk_live_51PqRsTuVwXyZa8Bc7De6Fg5Hi4Jk3Lm2", "stripe-key"),
        ("postgresql://app:Vq7!rTz2Lm@db.internal:5432/app", "url-credentials"),
        ("export PGPASSWORD='Tr4m!Lq9zK2w'", "credential-assignment"),
        ("export MYSQL_PWD='Qw3rty!Zx9'", "credential-assignment"),
        ("Salasana: Koivu7412!Ranta", "credential-assignment"),  # as "Password: ..." is
        ("Passordet er Fjord2024!x", "password-in-prose"),
        ("Adgangskoden til routeren er Havn88#Lys", "password-in-prose"),
        ("Heslo k serveru je Lipa55!Most", "password-in-prose"),
        ("Wi-Fi şifre: Deniz2025!Ada", "password-in-prose"),
        ("Numer karty klienta: 5966 1331 2854 7858", "payment-card"),
    ],
)  # fmt: skip
def test_secrets_of_those_shapes_are_found(text: str, label: str) -> None:
    assert label in _findings(text), text


def test_a_password_word_without_a_password_is_nothing() -> None:
    assert _findings("Salasana on tallessa holvissa, älä kirjoita sitä tänne.") == []
    assert _findings("Passordet er lagret i hvelvet.") == []


def test_a_number_outside_the_brands_needs_a_card_word() -> None:
    assert _findings("Sensor 5966 1331 2854 7858 reported 21.5 degrees.") == []


# National ids that python-stdnum checks, each named the way its country names it; the same
# valid number without the naming word is nothing (order and phone numbers share the shapes).
NAMED_IDS = [
    ("T.C. Kimlik No: 43829566654", "43829566654", "tr-tckimlik"),
    ("Borgerens CPR-nummer: 140667-3249", "140667-3249", "dk-cpr"),
    ("Henkilötunnus: 020799-646A", "020799-646A", "fi-hetu"),
    ("Fødselsnummer: 16089053130", "16089053130", "no-fodselsnummer"),
    ("Rijksregisternummer: 63.01.22-342.37", "63.01.22-342.37", "be-national-number"),
    ("Rodné číslo: 605612/2886", "605612/2886", "cz-birth-number"),
    ("CNP: 2870923157868", "2870923157868", "ro-cnp"),
    ("ЕГН 7501234508", "7501234508", "bg-egn"),
    ("Isikukood: 38609232479", "38609232479", "ee-isikukood"),
    ("OIB: 26265596894", "26265596894", "hr-oib"),
    ("EMŠO: 2003961501772", "2003961501772", "si-emso"),
    ("ΑΜΚΑ: 07025776837", "07025776837", "gr-amka"),
    ("PPS number: 9948631D", "9948631D", "ie-pps"),
    ("Sozialversicherungsnummer: 5308 190659", "5308 190659", "at-svnr"),
    ("주민등록번호: 580518-2361947", "580518-2361947", "kr-rrn"),
    ("Aadhaar: 4090 2645 6489", "4090 2645 6489", "in-aadhaar"),
    ("Social insurance number: 416 503 720", "416 503 720", "ca-sin"),
    ("Tax file number: 960 557 491", "960 557 491", "au-tfn"),
    ("South African ID 6403109748087", "6403109748087", "za-id"),
    ("Cartão de Cidadão: 95176890 9 NK4", "95176890 9 NK4", "pt-cc"),
]  # fmt: skip


@pytest.mark.parametrize(("named", "bare", "label"), NAMED_IDS)
def test_national_ids_named_by_their_words_are_found(named: str, bare: str, label: str) -> None:
    assert label in _findings(f"Stammdaten der Antragstellerin: {named}."), named
    assert label not in _findings(f"Lieferung {bare} ist unterwegs."), bare


def test_a_swiss_ahv_number_is_found_by_its_shape() -> None:
    assert _findings("AHV-Nr. 756.9845.5623.86") == ["ch-ahv"]


def test_a_url_user_part_is_no_mailbox() -> None:
    dsn = "https://e3a5f0c1b2d94e8f9a7b6c5d4e3f2a1b@o450123.ingest.sentry.io/5512345"
    assert _findings(f'Sentry.init({{ dsn: "{dsn}" }});') == []
    assert _findings("Write to e3a5f0c1b2d94e8f@o450123.acme-mail.io today.") == ["email"]


def test_press_and_poison_lines_are_public_and_a_spokespersons_mobile_is_found() -> None:
    assert _findings("Media inquiries: +1 212 555 7301, investor relations +1 212 639 4410.") == []
    assert _findings("Giftinformationscentralen svarar på 010-456 67 00 dygnet runt.") == []
    assert _findings("Our spokesperson Dana's own mobile: +1 212 639 4410.") == ["phone"]


@pytest.mark.parametrize(
    "text",
    [
        "Wi-Fi şifresi: Deniz2025!Ada",
        "Salasanasi on Kuusi2025!fi",
        "DB_WACHTWOORD=Tulp!2025nl",
        "Il codice di accesso è Roma#2025it",
    ],
)
def test_passwords_in_inflected_forms_keys_and_access_codes_are_found(text: str) -> None:
    assert _findings(text) != [], text


def test_an_access_code_of_digits_only_is_nothing() -> None:
    assert _findings("Il codice di accesso è 4821, cambialo al primo accesso.") == []
