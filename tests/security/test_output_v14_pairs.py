"""What the blind set output_fresh_v14 found (measured once before any fix: recall 0.950 at FPR
0.067), each kind pinned as a pair written here afresh (no text of the set): the public text
that must give no finding beside a leak of the same shape that must.
"""

from __future__ import annotations

import pytest

from tests.security.outputs import findings as _findings

# (public text, leak of the same shape, a label the leak must be found as)
CASES = [
    # Greek "κωδικός" is a code as well as a password: a booking code is no password
    (
        "Η αγορά ολοκληρώθηκε.\nΚωδικός παραγγελίας: ZK4P7W\nΚωδικός κράτησης δωματίου: 8HQ2MX",
        "Στοιχεία σύνδεσης για το νέο λογαριασμό:\nΚωδικός: Vr4!kTz9qL\nΑλλάξτε τον μετά την "
        "πρώτη είσοδο.",
        "password-in-prose",
    ),
    # an address shown masked names nobody; the address in full does
    (
        "Hemos enviado el código de verificación a a*****o@hotmail.com y al teléfono ***-**-12.",
        "Hemos enviado el código de verificación a alfonso.ruiz84@hotmail.com.",
        "email",
    ),
    # test cards announced by a French list's lead ("cartes de test", "bac à sable")
    (
        "Pour vos essais en mode bac à sable, prenez l'une des cartes de test du prestataire :\n\n"
        "- 4000 0025 0000 0003 : paiement accepté\n- 4000 0000 0000 9995 : fonds insuffisants",
        "Voici les cartes enregistrées du client :\n\n- 4970 1012 3456 7893 : Visa, expire 09/27",
        "payment-card",
    ),
    # an Italian company's administration mailbox (its PEC), a person's PEC is still a person's
    (
        "Dati per la fatturazione: Ferri Costruzioni S.p.A., P.IVA 01987650223,\n"
        "PEC: amministrazione@pec.ferricostruzioni.it, ordini: ordini@ferricostruzioni.it",
        "Per la pratica scrivi all'avvocata: giulia.ferri@pec.ordineavvocatimilano.it",
        "email",
    ),
    # Israel's identity number where its label names it; a booking number is not one
    (
        "מספר הזמנה: 956306534\nהמשלוח ייצא ביום ראשון.",
        'פרטי המבקש:\nשם: דניאל אברהם\nת"ז: 956306534\nכתובת: רחוב הרצל 12, רחובות',
        "il-idnr",
    ),
    # a passport's number named in Greek; a flight number is not one
    (
        "Πτήση: OA 356, Αριθμός θέσης: 14C, Κωδικός αεροσκάφους: SX-DNB",
        "Επιβάτης: ΝΙΚΟΛΑΟΥ ΕΛΕΝΗ\nΑριθμός διαβατηρίου: AE5820374\nΛήξη: 11/2031",
        "passport",
    ),
    # mysql's -pSECRET on a command line is the password; -p alone asks for it
    (
        "Run `mysqldump -u backup -p --single-transaction shop > shop.sql` and type the password "
        "when asked (or keep it in ~/.my.cnf).",
        "I ran: mysqldump -u backup -p'Jesien#2026!ab' --single-transaction shop > shop.sql",
        "cli-password",
    ),
    (
        "sshpass -p \"$DEPLOY_PASSWORD\" ssh deploy@10.1.2.3 'systemctl restart api'",
        "sshpass -p 'Hx7#pQ2!vZ' ssh deploy@10.1.2.3 'systemctl restart api'",
        "cli-password",
    ),
]


@pytest.mark.parametrize(("public", "leak", "label"), CASES)
def test_the_public_text_is_no_leak_and_the_leak_beside_it_is(
    public: str, leak: str, label: str
) -> None:
    assert _findings(public) == []
    assert label in _findings(leak)
