"""Hand-written content tables for the xml-records dataset: fictional clinical visits and legal cases.

Every scenario function takes a random.Random and returns a dict with the pieces the narrative
and the record share (so the record only states what the narrative says):
  clinical: presenting, findings (list), summary_core, outcome
  legal: matter, parties (list of (role, name)), findings (list), summary_core, outcome
All people, firms, courts and clinics are invented.
"""

FIRST = ["Maria", "Tomás", "Aisha", "Jonas", "Priya", "Callum", "Yuki", "Fatima", "Oskar", "Leila", "Dmitri", "Grace",
         "Mateo", "Ingrid", "Kwame", "Sofia", "Hamid", "Elena", "Rory", "Mei", "Bernard", "Chiara", "Noah", "Amara",
         "Lukas", "Zainab", "Felix", "Nadia", "Owen", "Rosa", "Tariq", "Hanna", "Diego", "Ines", "Samuel", "Freya"]
LAST = ["Lopez", "Okafor", "Lindqvist", "Haddad", "Kowalski", "Brennan", "Tanaka", "Moreau", "Adeyemi", "Novak",
        "Castillo", "Fitzgerald", "Sorensen", "Mensah", "Rahman", "Petrov", "Delacroix", "Whitaker", "Nakamura",
        "Osei", "Varga", "Quinn", "Ferreira", "Albrecht", "Chowdhury", "McAllister", "Rossi", "Eriksen", "Baptiste",
        "Jankowski", "Hollis", "Abara", "Strand", "Kaplan", "Dubois", "Marlow"]
CLINICS = ["Harbourside Medical Centre", "Elm Grove Surgery", "St Brennan's Urgent Care", "Millbrook Family Practice",
           "Westfield Walk-in Clinic", "Riverside Health Centre", "Larkspur Community Clinic", "Oakham Road Surgery"]
COURTS = ["Eastmoor County Court", "Northgate Civil Justice Centre", "Lindenfield Small Claims Court",
          "Harlow Vale Employment Tribunal", "Central Riverside Magistrates' Court", "Castlebrook High Court (Chancery)",
          "Westholme County Court", "Greyport Court of Appeal"]
FIRMS = ["Harper Logistics Ltd", "Brightwell & Sons Joinery", "Kestrel Print Works", "Nordic Tile Imports AB",
         "Marlowe Catering Ltd", "Quayside Motors", "Bluefin Software GmbH", "Cobalt Roofing Ltd", "Juniper Dental Group",
         "Tessaly Foods plc", "Ravensworth Builders", "Alder & Finch Accountants", "Sunvale Property Management",
         "Orchard Lane Nurseries", "Pemberton Freight", "Lumen Studio Photography", "Halcyon Insurance plc",
         "Greenway Bicycles", "Meridian Telecom", "Fairhaven Hotels Ltd", "Copperleaf Brewing Co.", "Stonebridge Estates"]
SPORTS = ["football", "netball", "basketball", "badminton", "trail running", "tennis"]
CURRENCIES = ["£", "€", "$"]


FEMALE = {"Maria", "Aisha", "Priya", "Yuki", "Fatima", "Leila", "Grace", "Ingrid", "Sofia", "Elena", "Mei", "Chiara",
          "Amara", "Zainab", "Nadia", "Rosa", "Hanna", "Ines", "Freya"}


def person(rng, female=None):
    """A random full name; female=True/False restricts the first name."""
    names = FIRST if female is None else [n for n in FIRST if (n in FEMALE) == female]
    return f"{rng.choice(names)} {rng.choice(LAST)}"


def money(rng, cur, lo, hi, step=50):
    value = rng.randrange(lo, hi, step)
    return f"{cur}{value:,}"


# ---------------------------------------------------------------- clinical scenarios

def sore_throat(rng):
    days, temp = rng.randint(2, 6), rng.choice([37.9, 38.2, 38.4, 38.7, 39.1])
    positive = rng.random() < 0.5
    findings = [f"Temperature {temp} °C", "Inflamed tonsils with white exudate",
                f"Rapid strep test {'positive' if positive else 'negative'}"]
    outcome = ("Phenoxymethylpenicillin 500 mg four times daily for 10 days; review if no improvement in 48 hours"
               if positive else "Fluids, rest and paracetamol; return if not improving after 7 days")
    core = "bacterial tonsillitis" if positive else "viral sore throat"
    return dict(presenting=f"a sore throat and fever for {days} days", findings=findings, summary_core=core, outcome=outcome)


def ankle_sprain(rng):
    side, sport = rng.choice(["left", "right"]), rng.choice(SPORTS)
    findings = [f"Swelling over the {side} lateral malleolus", "Able to bear weight for four steps",
                "No bony tenderness at the posterior edge of either malleolus"]
    return dict(presenting=f"a twisted {side} ankle while playing {sport}", findings=findings,
                summary_core=f"{side} ankle sprain", outcome="No X-ray needed under the Ottawa ankle rules; rest, ice, compression and elevation, with physiotherapy referral")


def hypertension(rng):
    sys1, dia1 = rng.randint(146, 168), rng.randint(92, 104)
    findings = [f"Blood pressure {sys1}/{dia1} mmHg", f"Home readings averaging {sys1 - rng.randint(3, 8)}/{dia1 - rng.randint(2, 5)} mmHg",
                "No signs of end-organ damage on examination"]
    return dict(presenting="a routine blood pressure review on amlodipine 5 mg", findings=findings,
                summary_core="uncontrolled hypertension", outcome="Amlodipine increased from 5 mg to 10 mg daily; blood pressure check in 4 weeks")


def diabetes(rng):
    a1c, bmi = rng.randint(54, 71), rng.choice([27.4, 29.1, 31.6, 33.0, 34.8])
    findings = [f"HbA1c {a1c} mmol/mol", f"BMI {bmi}", "Normal foot sensation on monofilament testing"]
    return dict(presenting="a yearly type 2 diabetes check", findings=findings, summary_core="type 2 diabetes above target",
                outcome="Continue metformin 1 g twice daily, add dietitian referral and repeat HbA1c in 3 months")


def asthma(rng):
    pf, spo2 = rng.choice([55, 60, 65, 70]), rng.choice([95, 96, 97])
    findings = [f"Peak flow {pf}% of personal best", "Widespread expiratory wheeze", f"Oxygen saturation {spo2}% on air"]
    return dict(presenting="worsening wheeze and night-time cough for 3 days", findings=findings,
                summary_core="moderate asthma exacerbation", outcome="Prednisolone 40 mg daily for 5 days, inhaler technique checked, review in 48 hours")


def uti(rng):
    days = rng.randint(1, 4)
    findings = ["Urine dipstick positive for nitrites and leukocytes", "No loin tenderness", "Temperature 37.1 °C"]
    return dict(presenting=f"burning on passing urine and frequency for {days} days", findings=findings,
                summary_core="uncomplicated lower urinary tract infection", outcome="Nitrofurantoin 100 mg modified-release twice daily for 3 days",
                female=True)


def migraine(rng):
    per_month = rng.randint(2, 6)
    findings = ["No focal neurological signs", "Normal fundoscopy", f"Headaches {per_month} times a month with light sensitivity"]
    return dict(presenting="recurrent one-sided throbbing headaches", findings=findings, summary_core="migraine without aura",
                outcome="Sumatriptan 50 mg at onset and a headache diary; review in 8 weeks")


def otitis(rng):
    temp = rng.choice([38.1, 38.5, 38.9])
    findings = ["Red, bulging left tympanic membrane", f"Temperature {temp} °C", "Child alert and drinking well"]
    return dict(presenting="ear pain and fever since the previous night", findings=findings, summary_core="acute otitis media",
                outcome="Paracetamol and ibuprofen for pain, no antibiotics; return if not better in 3 days", child=True)


def back_pain(rng):
    days = rng.randint(3, 10)
    findings = ["Tenderness over the lower lumbar muscles", "Straight leg raise negative on both sides", "No red flag symptoms"]
    return dict(presenting=f"lower back pain for {days} days after lifting boxes", findings=findings,
                summary_core="mechanical lower back pain", outcome="Stay active, ibuprofen 400 mg three times daily with food, physiotherapy self-referral")


def travel_vaccines(rng):
    dest = rng.choice(["Kenya", "Peru", "Vietnam", "Ghana", "India"])
    findings = ["No contraindications to vaccination", "Tetanus last given 6 years ago", f"Travel to {dest} in 5 weeks"]
    return dict(presenting=f"a travel health appointment before a trip to {dest}", findings=findings,
                summary_core="pre-travel vaccination", outcome="Hepatitis A and typhoid vaccines given; malaria advice and written information provided")


def eczema(rng):
    findings = ["Dry, scaly patches on both elbow creases", "No signs of infection", "Itch score 7 out of 10"]
    return dict(presenting="an itchy rash on the arms for two weeks", findings=findings, summary_core="flare of atopic eczema",
                outcome="Emollient at least twice daily and hydrocortisone 1% cream for 7 days")


def chest_wall(rng):
    findings = ["ECG normal sinus rhythm", "Tenderness over the left costochondral junctions", "Normal heart and lung sounds"]
    return dict(presenting="sharp left-sided chest pain worse on deep breathing", findings=findings, summary_core="costochondritis",
                outcome="Ibuprofen for 7 days; attend urgently if pain changes character or breathlessness develops")


def anaemia(rng):
    hb, ferritin = rng.randint(92, 108), rng.randint(5, 11)
    findings = [f"Haemoglobin {hb} g/L", f"Ferritin {ferritin} µg/L", "Pale conjunctivae"]
    return dict(presenting="tiredness and breathlessness on stairs for two months", findings=findings,
                summary_core="iron deficiency anaemia", outcome="Ferrous sulfate 200 mg once daily and repeat blood count in 8 weeks")


def conjunctivitis(rng):
    findings = ["Red right eye with sticky discharge", "Normal visual acuity", "No photophobia"]
    return dict(presenting="a red, sticky right eye for 2 days", findings=findings, summary_core="bacterial conjunctivitis",
                outcome="Chloramphenicol 0.5% eye drops four times daily for 5 days")


def laceration(rng):
    length, obj = rng.choice([2, 3, 4]), rng.choice(["a kitchen knife", "broken glass", "a sheet of metal"])
    sutures = length + 1
    findings = [f"{length} cm laceration on the left palm", "Normal sensation and tendon function", "Tetanus immunisation up to date"]
    return dict(presenting=f"a cut to the left hand from {obj}", findings=findings, summary_core="simple hand laceration",
                outcome=f"Wound closed with {sutures} sutures; removal in 10 days")


def hypothyroid(rng):
    tsh = rng.choice([8.9, 11.2, 14.6, 19.3])
    findings = [f"TSH {tsh} mU/L", "Free T4 below the reference range", "Dry skin and weight gain of 4 kg"]
    return dict(presenting="tiredness, feeling cold and weight gain", findings=findings, summary_core="primary hypothyroidism",
                outcome="Levothyroxine 50 micrograms daily; thyroid function test in 6 weeks")


def gastro(rng):
    days = rng.randint(1, 3)
    findings = ["Mild dehydration", "Soft, non-tender abdomen", f"Diarrhoea and vomiting for {days} days"]
    return dict(presenting=f"diarrhoea and vomiting for {days} days", findings=findings, summary_core="viral gastroenteritis",
                outcome="Oral rehydration solution and small frequent fluids; off work until 48 hours after symptoms stop")


def anxiety(rng):
    score = rng.randint(11, 17)
    findings = [f"GAD-7 score {score}", "Sleep onset delayed by about two hours", "No thoughts of self-harm"]
    return dict(presenting="poor sleep and constant worry for several months", findings=findings,
                summary_core="generalised anxiety with insomnia", outcome="Referral for cognitive behavioural therapy and sleep hygiene advice; review in 4 weeks")


def knee_oa(rng):
    side = rng.choice(["left", "right"])
    findings = [f"Crepitus in the {side} knee", "Reduced knee flexion to 110 degrees", "No effusion"]
    return dict(presenting=f"{side} knee pain on walking for a year", findings=findings, summary_core=f"osteoarthritis of the {side} knee",
                outcome="Physiotherapy, weight loss support and paracetamol as needed")


def wound_check(rng):
    days = rng.choice([10, 12, 14])
    findings = ["Wound edges well apposed", "No redness or discharge", f"Sutures in place for {days} days"]
    return dict(presenting="a wound check after removal of a skin lesion", findings=findings, summary_core="healing surgical wound",
                outcome="Sutures removed; histology result to be discussed by phone")


CLINICAL = [sore_throat, ankle_sprain, hypertension, diabetes, asthma, uti, migraine, otitis, back_pain, travel_vaccines,
            eczema, chest_wall, anaemia, conjunctivitis, laceration, hypothyroid, gastro, anxiety, knee_oa, wound_check]


# ---------------------------------------------------------------- legal scenarios

def unpaid_invoice(rng):
    a, b = rng.sample(FIRMS, 2)
    cur = rng.choice(CURRENCIES)
    amount = money(rng, cur, 4000, 60000, 250)
    won = rng.random() < 0.7
    return dict(matter=f"unpaid invoices for goods delivered by {a} to {b} totalling {amount}",
                parties=[("claimant", a), ("defendant", b)],
                findings=["The goods were delivered and accepted", f"Invoices totalling {amount} remained unpaid after 60 days",
                          "The defendant's complaint about quality was raised only after the claim was issued" if won else
                          "Part of the delivery was found to be defective on arrival"],
                summary_core="claim for unpaid invoices",
                outcome=f"Judgment for the claimant for {amount} plus statutory interest" if won else
                        "Claim allowed in part; the defendant to pay 60% of the invoiced amount")


def tenancy_deposit(rng):
    tenant, landlord = person(rng), person(rng)
    cur = rng.choice(CURRENCIES)
    dep = money(rng, cur, 800, 2600, 50)
    return dict(matter=f"the landlord's failure to protect a tenancy deposit of {dep}",
                parties=[("claimant", tenant), ("defendant", landlord)],
                findings=[f"A deposit of {dep} was paid at the start of the tenancy", "The deposit was not protected in an approved scheme",
                          "The landlord gave no reason for the failure"],
                summary_core="tenancy deposit protection claim",
                outcome=f"Landlord ordered to repay the deposit of {dep} and a penalty equal to the deposit")


def unfair_dismissal(rng):
    emp, firm = person(rng), rng.choice(FIRMS)
    years = rng.randint(2, 12)
    cur = rng.choice(CURRENCIES)
    award = money(rng, cur, 6000, 38000, 500)
    won = rng.random() < 0.6
    return dict(matter=f"the dismissal of an employee with {years} years' service",
                parties=[("claimant", emp), ("defendant", firm)],
                findings=[f"The claimant had {years} years of continuous service",
                          "No disciplinary hearing was held before dismissal" if won else "A fair disciplinary process was followed",
                          "The stated reason was misconduct"],
                summary_core="unfair dismissal claim",
                outcome=f"Dismissal found unfair; compensation of {award} awarded" if won else "Claim dismissed; the dismissal was within the range of reasonable responses")


def slip_and_fall(rng):
    female = rng.random() < 0.5
    claimant, firm = person(rng, female), rng.choice(FIRMS)
    cur = rng.choice(CURRENCIES)
    amount = money(rng, cur, 3000, 25000, 250)
    return dict(matter=f"a fall on a wet floor at premises run by {firm}",
                parties=[("claimant", claimant), ("defendant", firm)],
                findings=["No warning sign was placed near the spill", "The spill had been reported 25 minutes earlier",
                          f"The claimant fractured {'her' if female else 'his'} wrist"],
                summary_core="personal injury claim after a slip",
                outcome=f"Settled before trial for {amount}, without admission of liability")


def defective_car(rng):
    buyer, dealer = person(rng), rng.choice(["Quayside Motors", "Greenway Bicycles", "Meridian Telecom"])
    cur = rng.choice(CURRENCIES)
    price = money(rng, cur, 900, 21000, 100)
    days = rng.randint(9, 27)
    item = "car" if dealer == "Quayside Motors" else ("electric bicycle" if dealer == "Greenway Bicycles" else "phone system")
    return dict(matter=f"a faulty {item} bought for {price}",
                parties=[("claimant", buyer), ("defendant", dealer)],
                findings=[f"The fault appeared {days} days after purchase", "The fault was present at the time of sale",
                          "The seller refused a refund and offered only a repair"],
                summary_core=f"consumer claim for a faulty {item}",
                outcome=f"Seller ordered to refund {price} in full and collect the {item}")


def trademark(rng):
    a, b = rng.sample(FIRMS, 2)
    return dict(matter=f"the use of a logo by {b} that is similar to a registered trade mark of {a}",
                parties=[("claimant", a), ("defendant", b)],
                findings=["The claimant's mark was registered in 2016", "The signs were visually similar",
                          "Evidence showed customers had confused the two businesses"],
                summary_core="trade mark infringement claim",
                outcome="Injunction granted; the defendant must stop using the logo within 60 days")


def noise_nuisance(rng):
    a, b = person(rng), person(rng)
    return dict(matter="repeated loud music from a neighbouring flat late at night",
                parties=[("claimant", a), ("defendant", b)],
                findings=["Noise diary recorded 31 incidents over three months", "Council officer measured 58 dB in the bedroom at 01:15",
                          "Earlier mediation had failed"],
                summary_core="private nuisance claim about noise",
                outcome="Injunction forbidding amplified music between 23:00 and 07:00; costs awarded to the claimant")


def boundary(rng):
    a, b = person(rng), person(rng)
    metres = rng.choice([0.4, 0.6, 0.8, 1.1])
    return dict(matter=f"the position of a garden fence moved {metres} m onto a neighbour's land",
                parties=[("claimant", a), ("defendant", b)],
                findings=[f"The new fence stood {metres} m beyond the line on the 1987 conveyance plan",
                          "The single joint expert's survey supported the claimant", "The defendant built the fence without consent"],
                summary_core="boundary dispute",
                outcome="Boundary declared along the expert's line; the defendant to move the fence within 3 months")


def construction_delay(rng):
    a, b = rng.sample(["Ravensworth Builders", "Cobalt Roofing Ltd", "Stonebridge Estates", "Fairhaven Hotels Ltd", "Sunvale Property Management"], 2)
    weeks = rng.randint(5, 19)
    cur = rng.choice(CURRENCIES)
    rate = rng.choice([1500, 2000, 2500, 3000])
    total = f"{cur}{weeks * rate:,}"
    return dict(matter=f"a {weeks}-week delay in completing building works",
                parties=[("claimant", a), ("defendant", b)],
                findings=[f"Completion was {weeks} weeks late", f"The contract set liquidated damages at {cur}{rate:,} per week",
                          "No extension of time had been requested"],
                summary_core="construction delay claim",
                outcome=f"Liquidated damages of {total} awarded to the claimant")


def insurance_flood(rng):
    owner = person(rng)
    cur = rng.choice(CURRENCIES)
    amount = money(rng, cur, 9000, 70000, 500)
    return dict(matter=f"an insurer's refusal to pay a flood damage claim of {amount}",
                parties=[("claimant", owner), ("defendant", "Halcyon Insurance plc")],
                findings=["The policy covered escape of water and flood", "The exclusion relied on by the insurer did not apply to storm drains",
                          f"The loss adjuster valued the damage at {amount}"],
                summary_core="insurance coverage dispute",
                outcome=f"Insurer ordered to pay {amount} plus the claimant's costs")


def speeding_appeal(rng):
    driver = person(rng)
    speed, limit = rng.choice([(38, 30), (47, 40), (57, 50), (79, 70)])
    allowed = rng.random() < 0.5
    return dict(matter=f"a speeding penalty for driving at {speed} in a {limit} zone",
                parties=[("appellant", driver), ("respondent", "Riverside Road Safety Partnership")],
                findings=[f"The camera recorded {speed} in a {limit} zone",
                          "The camera had not been calibrated for 13 months" if allowed else "The camera was correctly calibrated",
                          "The appellant was the registered keeper"],
                summary_core="appeal against a speeding penalty",
                outcome="Appeal allowed and the penalty cancelled" if allowed else "Appeal dismissed; penalty and 3 licence points upheld")


def accountant_negligence(rng):
    client = rng.choice(FIRMS)
    cur = rng.choice(CURRENCIES)
    penalty = money(rng, cur, 1200, 14000, 100)
    return dict(matter=f"a tax return filed late by Alder & Finch Accountants on behalf of {client}",
                parties=[("claimant", client), ("defendant", "Alder & Finch Accountants")],
                findings=["The engagement letter made the firm responsible for filing", "The return was filed 74 days late",
                          f"The tax authority imposed penalties of {penalty}"],
                summary_core="professional negligence claim",
                outcome=f"Defendant liable for the penalties of {penalty} and interest")


def photo_copyright(rng):
    photographer, firm = person(rng), rng.choice(FIRMS)
    cur = rng.choice(CURRENCIES)
    amount = money(rng, cur, 400, 4800, 50)
    return dict(matter=f"a photograph used on {firm}'s website without a licence",
                parties=[("claimant", photographer), ("defendant", firm)],
                findings=["The claimant owned the copyright in the photograph", "The image was used for 14 months without permission",
                          "The claimant's usual licence fee was proven by past invoices"],
                summary_core="copyright infringement claim",
                outcome=f"Damages of {amount} awarded and the image to be removed")


def supply_termination(rng):
    a, b = rng.sample(FIRMS, 2)
    cur = rng.choice(CURRENCIES)
    amount = money(rng, cur, 20000, 240000, 1000)
    return dict(matter="the early termination of a three-year supply agreement",
                parties=[("claimant", a), ("defendant", b)],
                findings=["The agreement set a notice period of 6 months", "Notice of only 3 weeks was given",
                          f"Lost profit over the notice period was {amount}"],
                summary_core="wrongful termination of a supply contract",
                outcome=f"Damages of {amount} awarded to the claimant")


def data_protection(rng):
    person_a, firm = person(rng), rng.choice(["Meridian Telecom", "Juniper Dental Group", "Fairhaven Hotels Ltd"])
    cur = rng.choice(CURRENCIES)
    amount = money(rng, cur, 500, 5000, 50)
    return dict(matter=f"the disclosure of personal data by {firm} to a third party",
                parties=[("claimant", person_a), ("defendant", firm)],
                findings=["Account details were emailed to the wrong customer", "The breach was reported to the regulator 9 days late",
                          "The claimant suffered distress but no financial loss"],
                summary_core="data protection claim",
                outcome=f"Compensation of {amount} for distress awarded to the claimant")


def possession_arrears(rng):
    landlord, tenant = rng.choice(["Sunvale Property Management", "Stonebridge Estates"]), person(rng)
    months = rng.randint(3, 9)
    cur = rng.choice(CURRENCIES)
    rent = rng.choice([650, 780, 920, 1100, 1350])
    total = f"{cur}{months * rent:,}"
    return dict(matter=f"rent arrears of {total} on a residential tenancy",
                parties=[("claimant", landlord), ("defendant", tenant)],
                findings=[f"Rent of {cur}{rent:,} per month was unpaid for {months} months", "Valid notice was served",
                          "The defendant did not attend the hearing"],
                summary_core="possession claim",
                outcome=f"Possession order effective in 14 days and a money judgment for {total}")


def unpaid_overtime(rng):
    worker, firm = person(rng), rng.choice(FIRMS)
    hours = rng.randint(60, 260)
    cur = rng.choice(CURRENCIES)
    rate = rng.choice([14, 16, 18, 21])
    total = f"{cur}{hours * rate:,}"
    return dict(matter=f"{hours} hours of overtime that were never paid",
                parties=[("claimant", worker), ("defendant", firm)],
                findings=[f"Timesheets showed {hours} hours of overtime", f"The contract paid overtime at {cur}{rate} per hour",
                          "The employer produced no records to the contrary"],
                summary_core="claim for unpaid wages",
                outcome=f"Employer ordered to pay {total} in unpaid wages")


def dog_bite(rng):
    victim, owner = person(rng), person(rng)
    cur = rng.choice(CURRENCIES)
    amount = money(rng, cur, 1500, 12000, 250)
    return dict(matter="injuries from a dog bite in a public park",
                parties=[("claimant", victim), ("defendant", owner)],
                findings=["The dog was off the lead in an on-lead area", "The dog had bitten a person once before",
                          "The claimant needed 6 stitches to the forearm"],
                summary_core="personal injury claim for a dog bite",
                outcome=f"Judgment for the claimant for {amount} in damages")


LEGAL = [unpaid_invoice, tenancy_deposit, unfair_dismissal, slip_and_fall, defective_car, trademark, noise_nuisance, boundary,
         construction_delay, insurance_flood, speeding_appeal, accountant_negligence, photo_copyright, supply_termination,
         data_protection, possession_arrears, unpaid_overtime, dog_bite]
