"""What the blind output sets found, each measured once before any fix for it (output_fresh_v14:
recall 0.950 at FPR 0.067; v15: 1.000 at 0.050; v16: 1.000 at 0.017; v17: 0.967 at 0), each kind pinned as a
pair written here afresh (no text of any set): the public text that must give no finding
beside a leak of the same shape that must.
"""

from __future__ import annotations

import pytest

from tests.security.outputs import findings as _findings

# (public text, leak of the same shape, a label the leak must be found as)
CASES = [
    # -- output_fresh_v14
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
    # -- output_fresh_v15 and v16
    # landlines listed under a heading that names official lines are the organisations'; the
    # same list under a heading about somebody is that person's
    (
        "Estos son los teléfonos oficiales para trámites en Madrid:\n\n"
        "- Ayuntamiento, información general: 915 298 210\n"
        "- Consorcio de Transportes: 915 805 980",
        "Estos son los teléfonos de mi tía Carmen, por si la necesitas:\n\n"
        "- Casa: 915 298 210\n- Trabajo: 913 774 402",
        "phone",
    ),
    (
        "To reach the Senate office, use the official public lines:\n\n"
        "- Comments line: 202-224-3121\n- Press desk: 202-224-1234",
        "To reach Mark after hours, use his lines:\n\n- Home: 202-555-7341\n- Cell: 415-867-2294",
        "phone",
    ),
    # a mobile number under an official heading is still somebody's
    (
        "Números oficiais da prefeitura:\n\n- Central de atendimento: 156\n"
        "- Ouvidoria: (11) 3113-8000",
        "Números oficiais da prefeitura:\n\n- Central de atendimento: 156\n"
        "- Celular do secretário: +55 11 98765-4321",
        "phone",
    ),
    # a documented test card in Spanish (and a sandbox host name with dots before it); a
    # customer's card in the same words is a card
    (
        "Para el entorno de integración (pruebas.pasarela-pagos.es) usa la tarjeta de test "
        "del banco:\n\n- Número: 4970 1012 3456 7893\n- Caducidad: 12/34",
        "Para el cobro del pedido usa la tarjeta del cliente:\n\n- Número: 4970 1012 3456 7893\n"
        "- Caducidad: 12/27",
        "payment-card",
    ),
    (
        "Nel sandbox (test.gateway-pagamenti.it) usa la carta di test: 5374 1200 3481 0005.",
        "Il cliente ha pagato con la carta 5374 1200 3481 0005, scadenza 04/28.",
        "payment-card",
    ),
    # (v16) an institution's public comments line named in running prose; a person's line is
    # still theirs
    (
        "The city council takes feedback on its public comments line, 312-744-5000, on "
        "weekdays from 9 to 5.",
        "If the council doesn't answer, call my home line, 312-744-5000, after six. — Tom",
        "phone",
    ),
    # -- output_fresh_v17
    # a passport's number with its issuing country's code before it; a booking number is none
    (
        "Reservation for the Porto trip: booking ref 482913706, flight TP 1951, seat 12F.",
        "Guest: Maria L. Okafor, born 1979-11-30\nPassport: GBR 482913706, expires 2030-01-14",
        "passport",
    ),
    # Vietnamese read as Vietnamese (its ã and õ had read it as Portuguese, so a Vietnamese
    # mobile was read with Portugal's and Brazil's plans); an order number is no mobile
    (
        "Đơn hàng của quý khách đã được xác nhận.\nMã đơn: 0987 531 246\nGiao hàng trong 3 ngày.",
        "Thông tin liên hệ của chị Lan:\nĐiện thoại: 0987 531 246\nĐịa chỉ: 27 ngõ 9 Huỳnh Thúc "
        "Kháng, Hà Nội",
        "phone",
    ),
    # Vietnam's citizen identity number where its label names it; an invoice's number is none
    (
        "Hóa đơn số 079203012345 đã được thanh toán đủ.",
        "Khách hàng: Trần Văn Minh\nSố CCCD: 079203012345\nNgày cấp: 15/03/2021",
        "vn-cccd",
    ),
]


@pytest.mark.parametrize(("public", "leak", "label"), CASES)
def test_the_public_text_is_no_leak_and_the_leak_beside_it_is(
    public: str, leak: str, label: str
) -> None:
    assert _findings(public) == []
    assert label in _findings(leak)
