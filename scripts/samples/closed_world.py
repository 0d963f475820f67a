"""Plain questions for the json-answers dataset that no model can answer, and answers with quotes.

UNKNOWABLE and CLOSED_WORLD: questions about private facts of the asker and the people around them
("What colour is my front door?"), future events ("Which numbers will be drawn in next week's
lottery?"), unpublished writing and strangers' private plans. No model can know these, with or
without documents, so the JSON answer says "I don't know" with low confidence and sources [].
They teach the adapter to say "I don't know" inside the schema when it cannot know, instead of
improvising a long answer that greedy decoding loops on until the token budget cuts the JSON object
off. They deliberately share no topic with samples/handbook or its QA suite
(samples/qa/handbook-qa.jsonl): no organisations, offices, products, prices, staff, leave, travel,
expenses, IT, parking, founding dates or phone numbers, so that the fine-tuned arm's format
compliance and its "I don't know" answers on the suite are not learned from near-copies of the
suite's questions. check_datasets.py fails if any user message overlaps a suite question.
UNKNOWABLE[:10] go to train and UNKNOWABLE[10:] to test; CLOSED_WORLD is train only.

QUOTED: general-knowledge questions whose short answers contain double quotes, so the adapter
sees quotes inside a JSON string escaped (\\").
"""

UNKNOWABLE = [
    "What did I have for breakfast yesterday?",
    "How old is my best friend's grandmother?",
    "What will the euro to dollar exchange rate be next Friday?",
    "Who will win next year's Tour de France?",
    "What did I write in my diary last night?",
    "What is the name of my neighbour's cat?",
    "How many unread emails do I have right now?",
    "Which restaurant will my parents choose for their anniversary?",
    "What will my brother bake for the village fair tomorrow?",
    "How much is left on my gift card?",
    # test
    "What time does my dentist appointment start?",
    "What was the last text my sister wrote to me?",
]

CLOSED_WORLD = [
    # private facts about the asker and the people around them
    "What did my grandmother cook for dinner last Sunday?",
    "What colour is my front door?",
    "What did I dream about last night?",
    "How many coins are in my coat pocket?",
    "Which book is on my bedside table?",
    "What nickname did my father have as a boy?",
    "Which ice cream flavour did my daughter choose yesterday?",
    "What did my neighbour plant in her garden this spring?",
    "How tall is the apple tree in my back garden?",
    "What song was playing when my parents first met?",
    "What is my cousin's favourite board game?",
    "What did my uncle whisper to me at the wedding?",
    "Where did I leave my reading glasses?",
    "What colour socks am I wearing?",
    "How many steps did I walk on Tuesday?",
    "What is my dog dreaming about right now?",
    "Which town was my great-grandmother born in?",
    "What is my childhood friend's secret?",
    # future events
    "Which numbers will be drawn in next week's lottery?",
    "Will it rain in my village on the first Saturday of next month?",
    "Who will win the chess tournament at my local club this winter?",
    "What will the headline of tomorrow's local newspaper be?",
    "What will my son wish for on his tenth birthday?",
    "Which horse will win the big race next spring?",
    "How many goals will be scored in the next cup final?",
    "Will my tomato plants survive the next frost?",
    # unpublished writing
    "How does the novel my friend is still writing end?",
    "What is the last line of the poem my niece has not finished yet?",
    "What happens in chapter twelve of my brother's unpublished fantasy story?",
    "What is the villain called in the screenplay my flatmate is drafting?",
    "What will the hero of my unfinished short story do next?",
    # strangers' private plans and thoughts
    "What is the woman sitting opposite me on the tram thinking about?",
    "Where is the stranger I passed in the park going this evening?",
    "What present is my neighbour secretly planning for her husband?",
    "What will the couple at the next table order for dessert?",
    "Which film is my flatmate planning to watch tonight?",
    "What tune will the busker on my street play next?",
    "What is the jogger who waved at me this morning planning for the weekend?",
    "Which card will my opponent play next in our game of whist?",
    "What is the boy next door hiding in his tree house?",
]

UNKNOWABLE_ANSWERS = [
    "I don't know: I have no way of knowing that.",
    "I don't know. That information is not available to me.",
    "I don't know; I cannot access that information.",
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
    ("What did Julius Caesar reportedly say after his quick victory at Zela?", '"Veni, vidi, vici" (I came, I saw, I conquered)', "h"),
    ("What is the opening line of Melville's Moby-Dick?", '"Call me Ishmael."', "h"),
    ("What do sailors traditionally shout when they first see land?", '"Land ho!"', "m"),
    ("What does the German word \"Kindergarten\" literally mean?", '"Children\'s garden"', "h"),
    ("What is the nickname of New York City?", '"The Big Apple"', "h"),
    ("Which line opens Hamlet's most famous soliloquy?", '"To be, or not to be, that is the question"', "h"),
    ("What did Neil Armstrong say as he stepped onto the Moon?", '"That\'s one small step for man, one giant leap for mankind."', "h"),
    ("What does the Spanish word \"gracias\" mean?", '"Thank you"', "h"),
    ("What is the UK title of the first Harry Potter book?", '"Harry Potter and the Philosopher\'s Stone"', "h"),
    ("Which Latin sentence did Descartes make the ground of his philosophy?", '"Cogito, ergo sum" (I think, therefore I am)', "h"),
    ("What does the Italian word \"ciao\" mean?", 'Both "hello" and "goodbye"', "h"),
    ("What is the national motto of France?", '"Liberté, égalité, fraternité"', "h"),
    ("Which words open every Star Wars film?", '"A long time ago in a galaxy far, far away...."', "h"),
    ("What does the Latin phrase \"et cetera\" mean?", '"And the rest"', "h"),
    ("What does a chess player announce when attacking the opponent's king?", '"Check"', "h"),
    ("What is the title of Van Gogh's painting of a swirling night sky?", '"The Starry Night"', "h"),
    ("Where does the chemical symbol of gold come from?", 'Au, from the Latin "aurum"', "h"),
    ("What does the Swahili phrase \"hakuna matata\" mean?", '"No worries"', "h"),
    ("Which phrase ends many fairy tales in English?", '"And they all lived happily ever after."', "h"),
    ("What is the famous first line of Jane Austen's Pride and Prejudice?", '"It is a truth universally acknowledged, that a single man in possession of a good fortune, must be in want of a wife."', "h"),
]
