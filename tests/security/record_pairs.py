"""Personal records named by their label, and public texts of the same shape (task 14p).

Written by task 14p before its own rules were tuned on them, for kinds no output set held (HR
onboarding, clinic letters, travel bookings, insurance claims, devops configs, legal and
e-commerce pages) in fourteen languages. 14p's rules were not merged (the lead had fixed the
same set, output_fresh_v12, in national_ids.tsv meanwhile); run against the lead's scanners
these pairs found 19 of 29 right at first (label names mapped), the other ten kinds were
added after: passports named in Arabic and Hindi, member numbers of health insurers, a
numeric date after "born on" in eight languages, dates written 1984年5月12日, and a table
under a line that calls it test data. Each row pairs a public text with a personal or secret
one of the same shape and language: the public one must have no finding, the other the labels
given (test_output_languages.py runs them with its own pairs).
"""

from __future__ import annotations

RECORD_PAIRS = [
    # a passport number named by its label; the format explained with a placeholder is public
    ("Passport number: enter the 9 characters printed on the data page (e.g. XXXXXXXXX).",
     "Traveller: Priya Raman, passport number Z4821937, expires 2031.", ["passport"]),
    ("Reisepass: Bitte die Nummer oben rechts auf der Datenseite eintragen (9 Zeichen).",
     "Gast: Jonas Weber, Reisepass-Nr. C7T4K92L8, gültig bis 03/2030.", ["passport"]),
    ("Numéro de passeport : 9 caractères, lettres et chiffres, sans espace.",
     "Voyageur : Claire Dubois, passeport n° 19AV48213, délivré à Lyon.", ["passport"]),
    ("Pasaporte: escriba el número tal como aparece en la página de datos.",
     "Pasajera: Marta Gil, pasaporte PAF482917, vuelo IB3170 el 4 de junio.", ["passport"]),
    ("Paszport: numer składa się z dwóch liter i siedmiu cyfr.",
     "Kierowca: Tomasz Nowak, paszport EK4829173, wyjazd 12 maja.", ["passport"]),
    ("Pasaport numarası: pasaportunuzun ilk sayfasındaki numarayı girin.",
     "Yolcu: Ayşe Demir, pasaport U18472935, dönüş 20 Ağustos.", ["passport"]),
    ("旅券番号：旅券の顔写真ページに記載されている番号を入力してください。",
     "搭乗者：佐藤花子、旅券番号 TK4829173、出発 6月3日。", ["passport"]),
    ("여권번호: 여권 사진면에 있는 번호를 입력하세요.",
     "탑승객: 김민지, 여권번호 M48291735, 출국 7월 2일.", ["passport"]),
    ("护照号码：请填写护照资料页上的号码。",
     "旅客：王磊，护照号码 E48291736，6月3日出发。", ["passport"]),
    ("رقم جواز السفر: أدخل الرقم كما يظهر في صفحة البيانات.",
     "المسافر: أحمد سالم، جواز السفر A48291735، المغادرة 3 يونيو.", ["passport"]),
    ("पासपोर्ट नंबर: डेटा पेज पर छपा नंबर दर्ज करें।",
     "यात्री: राहुल शर्मा, पासपोर्ट नंबर R4829173, प्रस्थान 3 जून।", ["passport"]),
    # a member number of a health insurer named by its label; the format alone is public
    ("Versichertennummer: ein Buchstabe und neun Ziffern, zu finden auf der Rückseite der eGK.",
     "Patient: Frank Otto, Versichertennummer T482917356, AOK Nordost.", ["health-insurance-id"]),
    ("Numero di tessera sanitaria: 20 cifre, stampato sul retro della tessera.",
     "Paziente: Luca Bianchi, tessera sanitaria 80380000700048291736.", ["health-insurance-id"]),
    ("Member ID: printed on the front of your insurance card under your name.",
     "Claimant: Dana Brooks, member ID W48291735, plan PPO Gold.", ["health-insurance-id"]),
    ("Número de utente: 9 dígitos, indicado no cartão de cidadão.",
     "Utente: Rita Sousa, número de utente 482917356, consulta a 3 de junho.", ["health-insurance-id"]),
    # a date of birth given for a person; the form's format and a public date are not
    ("Date of birth: enter as DD/MM/YYYY.",
     "Employee: Sam Okafor, date of birth 14/03/1988, start date 01/06/2026.", ["date-of-birth"]),
    ("Geburtsdatum bitte im Format TT.MM.JJJJ angeben.",
     "Neue Mitarbeiterin: Lea Brandt, geboren am 07.11.1992, Eintritt 1. Juli.", ["date-of-birth"]),
    ("Date de naissance : au format JJ/MM/AAAA.",
     "Salarié : Hugo Martin, né le 23/05/1979 à Nantes.", ["date-of-birth"]),
    ("Geboortedatum: vul in als DD-MM-JJJJ.",
     "Cliënt: Sanne de Vries, geboortedatum 02-08-1990, polis 2026.", ["date-of-birth"]),
    ("Doğum tarihi alanını GG.AA.YYYY biçiminde doldurun.",
     "Personel: Mehmet Kaya, doğum tarihi 11.04.1985, işe giriş 1 Haziran.", ["date-of-birth"]),
    ("生年月日は西暦で入力してください。",
     "社員：田中一郎、生年月日 1984年5月12日、入社 2026年4月1日。", ["date-of-birth"]),
    ("출생일 대신 생년월일을 YYYY-MM-DD 형식으로 적어 주세요.",
     "지원자: 이서준, 생년월일 1993-02-17, 면접 6월 3일.", ["date-of-birth"]),
    # a mailbox named after a desk the text names is the organisation's
    ("For grade appeals, the Admissions Office answers at admissions@northfield-college.ac.uk.",
     "For grade appeals, write to Dr Helen Park at helen.park@northfield-college.ac.uk.", ["email"]),
    ("Reclamaciones: envíe su queja a reclamaciones@tiendasol.es con el número de pedido.",
     "Reclamaciones: la cliente Elena Ruiz escribió desde elena.ruiz@tiendasol.es ayer.", ["email"]),
    ("Contacts:\n- Press: press@harrisonlegal.co.uk\n- Complaints: complaints@harrisonlegal.co.uk",
     "Your case team:\n- Harris: harris@harrisonlegal.co.uk\n- Evans: evans@harrisonlegal.co.uk", ["email", "email"]),
    # a list introduced as test values is a sample list, however long
    ("Use these sandbox test numbers in staging:\n\n- +1 415 555 2671 → delivered\n- +1 415 555 2674 → undelivered",
     "Call the on-call engineer tonight:\n\n- Maya: +1 415 867 2671\n- Ravi: +1 415 867 2674", None),
    ("Przykładowe dane testowe do prezentacji CRM:\n\nimię;miasto;telefon\nJan Kowalski;Kraków;512 874 306",
     "Eksport klientów z CRM na jutro:\n\nimię;miasto;telefon\nJan Kowalski;Kraków;512 874 306", ["phone"]),
    # an environment variable's name joined to a plain value is no secret
    ("export DATABASE_HOST=db-primary.internal.example\nexport APP_LOG_FORMAT=json-structured-v2",
     "export PAYMENTS_SIGNING_KEY=q7Vr2Lm9XvT4nWb8Yc1Zk3Pd6Hs0Jf5", ["high-entropy-string"]),
    # a note in brackets where a value goes is no password
    ("Usuario: (vacío)\nContraseña: (dejar en blanco)",
     "Usuario: ventas2\nContraseña: Ventas!2026#Mx", None),
]  # fmt: skip
