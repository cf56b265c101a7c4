"""The kinds of output_fresh_v9's to v13's errors (measured once blind, then fixed by kind):
each public text beside a leak of the same shape and language, every text new (none is a line
of a set). Values named by a table's column header, not beside them; lines listed with public
lines; dates, counted digits and build numbers that are no phone numbers; drama numbers and
processors' test cards; order words in more languages and scripts; fill-in words in Korean,
Japanese and Chinese; passwords in compounds, in more languages and after a login.
"""

from __future__ import annotations

import pytest

from tests.security.outputs import findings as _findings

# (public text, leak of the same shape, a label the leak must be found as)
CASES = [
    # a national id named only by its column's header: CSV, TSV, a SQL client's result
    ("order_id,customer,country,order_no\n7731,Elin Berg,SE,19860412-5222\n",
     "emp,name,country,national_id\n7731,Elin Berg,SE,19860412-5222\n", "se-personnummer"),
    ("id\tname\tparcel\n1\tOwen\tJM 26 48 48 C\n",
     "id\tname\tni_number\n1\tOwen\tJM 26 48 48 C\n", "uk-nino"),
    ("Result:\n id | name | ticket\n----+------+-----------\n 1 | Ann  | JM 26 48 48 C\n",
     "Result:\n id | name | NI number\n----+------+-----------\n 1 | Ann  | JM 26 48 48 C\n",
     "uk-nino"),
    # Russia's insurance number by its word and check digits (a wrong check is no finding)
    ("Номер полиса: 137-423-907 62.", "СНИЛС сотрудника: 137-423-907 61.", "ru-snils"),
    # a landline listed with a service's public lines is the service's; a mobile there is not
    ("Tax helpline: 0300 200 3310\n- From abroad: +44 161 931 9070\n- Textphone: 0300 200 3319",
     "Tax helpline: 0300 200 3310\n- Your adviser's mobile: +44 7911 123456", "phone"),
    # a date in brackets in Norwegian (an eight-digit national number's shape), a build number
    ("Utgivelsesnotater – versjon 3.11.0 (24.11.2026), byggnummer 3110.2448.",
     "Hvis du har spørsmål om utgivelsen, kan du ringe Kari på mobil 412 35 790.", "phone"),
    # digits counted up fill a form's field
    ("Preencha o campo com 1234567890 para testar a validação.",
     "Você pode ligar para o celular da Ana, que é (11) 97482-3316, depois das 18h.", "phone"),
    # Ofcom's Tyneside drama range, beside a Tyneside number outside it
    ("Cast list: Harry Patel, Newcastle, 0191 498 0455.",
     "Harry's home number, Newcastle: 0191 284 7362.", "phone"),
    # a processor's published test card (Adyen's American Express) in a list, far from its heading
    ("Karty testowe bramki (ważne do 03/2030):\n• Visa: 4111 1111 4555 1142\n"
     "• Mastercard: 5555 3412 4444 1115\n• American Express: 3700 0000 0000 002 (CID 7373)",
     "Karta klienta American Express: 3782 8224 6312 340.", "payment-card"),
    # order and shipment numbers named in Greek, Romanian, Korean
    ("Αριθμός παραγγελίας: 2026-118734, αποστολή με ΕΛΤΑ Courier.",
     "Κινητό της Μαρίας: 694 812 3370.", "phone"),
    ("Numărul comenzii: 0742 118 734, livrare în 2-4 zile.",
     "Telefonul Ioanei: 0742 118 735.", "phone"),
    ("주문번호: 010-4821-7735 (배송 조회에 사용하세요)",
     "김민수 님 휴대폰: 010-4821-7735", "phone"),
    # fill-in words in Korean, Japanese and Chinese
    ('API_KEY = "여기에_API_키_입력"',
     'API_KEY = "sk-proj-Q7vLp2Xw9RtY4kZm8NbH3cJd6FgS1aUe0WqE5rTy"', "openai-api-key"),
    ('TOKEN = "ここにトークンを入力"',
     'TOKEN = "ghp_8Kd2mQ7xL4vN9pR3tW6yZ1aB5cE0fH2jS4uX"', "github-token"),
    # passwords: German compounds, Greek, after a login word, "username X and <value>"
    ("Das Initialpasswort kommt per SMS und muss beim ersten Login geändert werden.",
     "Laptop: Benutzer `l.hartmann`, Initialpasswort `Sommer!Rhein2026#`.",
     "password-in-prose"),
    ("Ο κωδικός πρόσβασης στέλνεται με SMS.", "Χρήστης: admin_maria\nΚωδικός: Elia#Kal2026!mx",
     "password-in-prose"),
    ("Accesso: admin / vedi il gestore delle password del team.",
     "Accesso: admin / Tramonto_84Rvx!. Aggiornato il modulo pagamenti.", "password-in-prose"),
    ("Sign in with the username laura.m and the code from your authenticator app.",
     "Sign in with the username laura.m and Qm7!vR2t#Lp9, then choose a new one.",
     "password-in-prose"),
    # output_fresh_v11's kinds: a key's "_" read as a space, a markdown table's header by the
    # kind's own words, Indonesia's NIK, Russia's INN, a hyphenated compound, "паролем"
    ('{"employee_id": "JP-00718", "ticket_number": "2624 4698 9515"}',
     '{"employee_id": "JP-00718", "my_number": "2624 4698 9515"}', "jp-my-number"),
    ("| emp_no | name | order_no |\n|---|---|---|\n| 10442 | Mette | 140388-8113 |",
     "| emp_no | name | cpr_number |\n|---|---|---|\n| 10442 | Mette | 140388-8113 |", "dk-cpr"),
    ("Nomor pesanan: 3273025808930004, dikirim besok.",
     "NIK            : 3273025808930004", "id-nik"),
    ("Номер заказа 772861660882 отправлен.", "ИНН 772861660882 — проверен через сервис ФНС.",
     "ru-inn"),
    ("Das Admin-Passwort liegt im Passwort-Safe.",
     "Ich habe das Admin-Passwort auf Winter80!TxNV zurückgesetzt.", "password-in-prose"),
    ("Пароль хранится в KeePass, не пишите его в чат.",
     "Учётная запись srv1c_admin с паролем 0MTSVo$426xqI, смените его.", "password-in-prose"),
    # a department's mailbox, a localized example domain, ACMA's fiction numbers, a poison centre
    ("Remittance advice: accounts.payable@harwick-components.co.uk.",
     "Remittance advice: tom.harwick@harwick-components.co.uk.", "email"),
    ("pagador: { email: 'fulano@exemplo.com.br' }", "pagador: { email: 'ana.souza@uol.com.br' }",
     "email"),
    ("Demo contact for the Australian screenshots: Mobile 0491 570 156, Office (02) 5550 1234.",
     "Jordan's own mobile, for the Australian team: 0412 386 947.", "phone"),
    ("Centre antipoison Paris : 01 40 05 48 48.", "Le portable de Julien : 06 71 48 29 36.",
     "phone"),
    ("رقم الشحنة: 34918876512", "رقم جوال العميل: 0551234567", "phone"),
    # output_fresh_v12's kinds: Germany's health insurance number, the Medicare Beneficiary
    # Identifier, passport numbers and dates of birth named by their labels, a French INI key,
    # a field's note in brackets, an environment variable's name, a complaints mailbox, a
    # list whose lead line calls its numbers test numbers
    ("Bestellnummer: K482913709, Versand morgen.",
     "Krankenversichertennummer: K482913709 (AOK Nordost)", "de-kvnr"),
    ("Tracking code 3RT5-GH8-KP42 for the replacement meter.",
     "Medicare Beneficiary Identifier (MBI): 3RT5-GH8-KP42", "us-mbi"),
    ("Passport photos must be 35 x 45 mm. Your booking number is 548213377.",
     "Traveller: Ama Boateng\nPassport no.: 548213377, expires 2031", "passport"),
    ("Passaporto: portalo all'imbarco. Prenotazione YA3391840.",
     "Passeggero: Marco Ferri\nPassaporto: YA3391840, scadenza 2032", "passport"),
    ("Company founded 17/02/1961 in Didcot; release 3.2 shipped 02/19/2026.",
     "Patient: R. Whitlow, DOB 17/02/1961, ward 4B", "date-of-birth"),
    ("Frau Petra Lenz, Antrag vom 22.09.1958 (Archiv).",
     "Frau Petra Lenz, geb. 22.09.1958, Station 3", "date-of-birth"),
    ("[sftp]\nutilisateur = export_edi\nmot_de_passe = ${SFTP_MOT_DE_PASSE}",
     "[sftp]\nutilisateur = export_edi\nmot_de_passe = Falaise8-Vent!31", "credential-assignment"),
    ("APN: internet.example\nUsername: (leave blank)\nPassword: (leave blank)",
     "Wi-Fi: GuestNet\nPassword: Vent8-Falaise!x", "credential-assignment"),
    ("export AWS_DEFAULT_REGION=eu-central-1\nexport AWS_PROFILE=staging-readonly",
     "export API_SIGNING_KEY=Zq8vN2xLr5TgW1mKp7Yd3Hs9", "high-entropy-string"),
    ("Write to complaints@harbourline-bank.co.uk with your case number.",
     "Write to d.okafor@harbourline-bank.co.uk with your case number.", "email"),
    ("Magic test numbers for the SMS sandbox (they only work with your test credentials):\n"
     "- +1 500 555 0006 accepts the message, so your happy-path tests pass every time\n"
     "- +1 500 555 0001 fails with error 21211, the number is invalid for this account\n"
     "- +1 500 555 0009 fails with error 21614, it is not a mobile number at all",
     "On-call numbers for the weekend (call in this order):\n"
     "- Priya, first line, also reachable on Signal from Friday evening to Sunday night\n"
     "- Owen, second line, on his own mobile: +44 7911 123456", "phone"),
    # output_fresh_v13's kinds: a password column's values, Thailand's citizen id and Thai
    # mobiles, a bracketed placeholder, "example" as a host's label, jwt.io's sample under a
    # miscopied signature, a company's ИНН, a product's code that passes the Luhn check
    ("| Student | Username | Initial password |\n|---|---|---|\n| Ava L. | alindq | (set at first login) |",
     "| Student | Username | Initial password |\n|---|---|---|\n| Ava L. | alindq | KRT472!mzq |",
     "password-in-table"),
    ("เลขที่คำสั่งซื้อ: 1-2198-53768-81-6", "เลขประจำตัวประชาชน: 1-2198-53768-81-6", "th-pin"),
    ("สายด่วนศูนย์บริการลูกค้า: 1175", "โทรศัพท์มือถือของคุณสมชาย: 089-467-2315", "phone"),
    ("Пароль від сервера: <пароль_від_сервера>", "Пароль від сервера: Kvitka#2291dn",
     "password-in-prose"),
    ("Write to pals@st-aldric.example.nhs.uk for advice.",
     "Write to j.morgan@st-aldric-nhs.co.uk for advice.", "email"),
    ("Sample token from jwt.io: eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkw"
     "IiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QVT4fwpMeJf36POk6yJV_adQ",
     "Session: eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI4ODIxMDQiLCJuYW1lIjoiUml0YSBL"
     "b2NoIiwiaWF0IjoxNzY0MjM5MDIyfQ.Qk3vT8pLm2xR7nW4yZ9aB1cD5eF6gH0jK2lM3nO4pQ", "jwt"),
    ("ООО «Ветер», ИНН: 7757649704, КПП: 770101001", "Телефон директора: +7 916 482-33-71",
     "phone"),
    ("2 × toner (cod. prodotto 4977766779487), 1 × risma A4", "Carta salvata: 4977 7667 7948 7",
     "payment-card"),
]  # fmt: skip


@pytest.mark.parametrize(("public", "leak", "label"), CASES, ids=[c[2] for c in CASES])
def test_the_public_text_is_clean_and_its_leak_found(public: str, leak: str, label: str) -> None:
    assert _findings(public) == [], public
    assert label in _findings(leak), (leak, _findings(leak))
