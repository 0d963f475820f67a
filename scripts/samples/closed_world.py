"""Extra plain questions for the json-answers dataset (deliberately NOT about the handbook).

CLOSED_WORLD: questions about the internal details of small, invented organisations and products
(staff roles, part codes, power figures, approval thresholds, spending limits, office facts).
Without documents no model can know these, so the JSON answer is "I don't know" with low
confidence. The general-knowledge facts never ask this kind of question, so an adapter trained
on them alone improvised long answers when asked one (and greedy decoding then looped until the
token budget cut the JSON object off). Every organisation and product here is made up and none
appears in samples/handbook (check_datasets.py checks the handbook names).

QUOTED: general-knowledge questions whose short answers contain double quotes, so the adapter
sees quotes inside a JSON string escaped (\\").
"""

CLOSED_WORLD = [
    # people and roles in invented organisations
    "Who is the head of logistics at Brightwater Foods?",
    "Who runs the night shift at the Orrin Valley bottling plant?",
    "Who is the finance director of the Calloway Rowing Club?",
    "Who leads the data team at Penwick Insurance?",
    "Which engineer is on call this weekend at Brockley Pumps?",
    "Who chairs the safety committee at Mossgrove Hospital?",
    "Who manages the Dunmore branch of Ashby Hardware?",
    "Who is the chief security officer of Vantor Logistics?",
    # product specifications and codes of invented products
    "What is the standby power of the Corvin LX-9 router?",
    "What is the part code of the filter cartridge for the Aquila P-20 pump?",
    "What is the order number of the wall-mount kit for the Brisa T4 speaker?",
    "How much does the Orbis M7 field scanner weigh?",
    "What is the battery life of the Lumo HX-2 headlamp on its lowest setting?",
    "What connector does the Vesta R-30 pressure sensor use?",
    "What is the depth rating of the Nautra D-15 underwater camera?",
    "On what date was the Fennick K2 label printer released?",
    "How many input channels does the Quillon AX-8 mixer have?",
    "What is the maximum flow rate of the Tidewell 300 water meter?",
    "What is the spare-part number of the Helio S5 fan blade?",
    "What operating frequency does the Stratos SR-7 weather radar use?",
    # internal policies, prices and limits of invented organisations
    "Above what amount does the treasurer of Greyfield Chess Club have to approve a purchase?",
    "What is the daily meal allowance for staff travelling for Norrhaven Ferries?",
    "How many days of annual leave do employees at Pellam Studios get?",
    "What is the spending limit per guest for client dinners at Ostrava Consulting?",
    "Within how many days must expenses be filed at Marrowby Solicitors?",
    "What is the monthly limit of the company credit card at Tollan Freight?",
    "From what trip cost does Hesketh Engineering require the CEO's sign-off?",
    "What discount do schools get on Paxton Labs microscopes?",
    "How long are quotes from Averhill Glassworks valid?",
    "What does the Gold support plan of Cobalt Cloud cost per month?",
    # facts about invented places and offices
    "What is the street address of Fernhill Robotics' head office?",
    "How many people work at the Skalby office of Nordvik Maritime?",
    "At what time does the staff bus to the Linden Park campus leave?",
    "What is the name of the guest Wi-Fi network at Redcliff Bank?",
    "How many parking spaces does the Harwood Tech office have?",
    "What phone extension reaches the help desk at Elmstead College?",
    "When was Quayside Instruments founded?",
    "How many employees did Brantham Biotech have last year?",
    "What was the first product Solway Robotics shipped?",
    "What is the name of the expense tool used at Grayling Media?",
]

CLOSED_WORLD_ANSWERS = [
    "I don't know: I have no information about that organisation's internal details.",
    "I don't know. That is not something I have information about.",
    "I don't know; I would need the organisation's own documents to answer.",
    "I don't know the specifications of that product.",
    "I don't know. I have no reliable information on that.",
]

# (question, answer with quotes, confidence class)
QUOTED = [
    ("What does the Latin phrase carpe diem mean?", '"Seize the day"', "h"),
    ("What do programmers traditionally make a first program print?", '"Hello, world!"', "h"),
    ("Which word means hello and goodbye in Hawaiian?", '"Aloha"', "h"),
    ("What did Archimedes reportedly shout when he discovered displacement?", '"Eureka!"', "h"),
    ("Which band recorded the album \"Abbey Road\"?", "The Beatles", "h"),
    ("What is the English title of the opera \"Die Zauberflöte\"?", '"The Magic Flute"', "h"),
    ("What does the abbreviation e.g. stand for?", '"exempli gratia" (for example)', "h"),
    ("What is the French phrase for \"thank you very much\"?", '"Merci beaucoup"', "h"),
    ("Which phrase begins Dickens' A Tale of Two Cities?", '"It was the best of times, it was the worst of times"', "h"),
    ("What does the Japanese word \"sushi\" originally refer to?", 'The "sour" vinegared rice', "m"),
]
