"""Words that tell what kind of thing a name is: the head nouns of names, roles, speech verbs, regions.

Small, reviewable data rather than patterns: each list says what it is for. Countries and their
subdivisions come from pycountry (ISO 3166), not from here.
"""

from __future__ import annotations

# The head noun of a name -> the ontology class of what it names.
HEADS: dict[str, str] = {
    **dict.fromkeys(["conference", "forum", "summit", "congress", "symposium", "expo", "exhibition", "fair",
                     "dialogue", "workshop", "seminar", "meeting", "festival", "week", "games", "olympiad"],
                    "Conference"),
    **dict.fromkeys(["ceremony", "signing", "launch", "opening", "closing"], "Event"),
    "declaration": "Declaration", "initiative": "Initiative",
    **dict.fromkeys(["agenda", "strategy", "vision", "consensus", "communique", "charter", "roadmap", "outline",
                     "memorandum", "agreement", "convention", "guideline", "guidelines", "law", "treaty",
                     "framework", "statement", "proposal", "principles", "manifesto"], "PolicyDocument"),
    **dict.fromkeys(["plan", "program", "programme", "project", "scheme", "mission", "campaign"], "Program"),
    **dict.fromkeys(["report", "index", "yearbook", "survey", "paper", "atlas", "review", "study", "book"],
                    "Report"),
    **dict.fromkeys(["alliance", "consortium", "coalition", "league", "network", "partnership"], "Alliance"),
    **dict.fromkeys(["laboratory", "laboratories", "lab", "labs"], "JointLab"),
    **dict.fromkeys(["ministry", "academy", "university", "institute", "agency", "organization", "organisation",
                     "federation", "association", "council", "commission", "service", "daily", "news", "times",
                     "post", "bank", "fund", "society", "department", "administration", "office", "bureau",
                     "committee", "corporation", "company", "group", "foundation", "union", "secretariat",
                     "center", "centre", "school", "college", "observatory", "museum", "station", "government",
                     "parliament", "assembly", "court", "press", "television", "radio", "xinhua", "net",
                     "authority", "board", "park", "zone", "hospital", "institution"],
                    "Organization"),
}
# Two-word heads that override the last word ("Action Plan" is not a Program).
HEAD_PAIRS: dict[tuple[str, str], str] = {
    ("action", "plan"): "ActionPlan", ("technology", "transfer"): "TechnologyTransferCenter",
    ("white", "paper"): "Report", ("opening", "ceremony"): "Event", ("closing", "ceremony"): "Event",
}

# Positions people hold (lower case, longest first when matched) -> the generic role id's slug.
ROLES: dict[str, str] = {
    "vice premier": "vice-premier", "premier": "premier", "vice president": "vice-president",
    "president": "president", "vice minister": "vice-minister", "deputy minister": "deputy-minister",
    "minister": "minister", "deputy secretary-general": "deputy-secretary-general",
    "secretary-general": "secretary-general", "secretary general": "secretary-general", "envoy": "envoy",
    "special envoy": "envoy", "ambassador": "ambassador", "chairman": "chair", "chairwoman": "chair",
    "chairperson": "chair", "chair": "chair", "deputy director-general": "deputy-director-general",
    "director-general": "director-general", "director general": "director-general",
    "deputy director": "deputy-director", "executive director": "director", "director": "director",
    "head": "head", "member": "member", "professor": "professor", "academician": "academician",
    "researcher": "researcher", "research fellow": "researcher", "scientist": "scientist",
    "chief scientist": "scientist", "reporter": "reporter", "correspondent": "reporter", "editor": "editor",
    "responsible editor": "responsible-editor", "photographer": "photographer", "mayor": "mayor",
    "governor": "governor", "party secretary": "party-secretary", "secretary": "secretary",
    "ceo": "chief-executive", "chief executive": "chief-executive", "founder": "founder", "dean": "dean",
    "spokesperson": "spokesperson", "spokesman": "spokesperson", "spokeswoman": "spokesperson",
    "commissioner": "commissioner", "adviser": "adviser", "advisor": "adviser", "fellow": "fellow",
    "general manager": "general-manager", "vice chairman": "vice-chair", "deputy head": "deputy-head",
}

# Verbs that report speech: a person who "said" something at an event took part in it as a speaker.
SPEECH_VERBS = frozenset({
    "said", "says", "stated", "noted", "stressed", "added", "told", "underscored", "emphasized", "emphasised",
    "highlighted", "remarked", "called", "urged", "pointed", "announced", "declared", "delivered", "addressed",
    "reinforced", "explained", "praised", "welcomed", "pledged", "vowed", "suggested", "hailed",
})

# Groups of countries and continents that sources name as one partner (bri:Region).
REGIONS = frozenset({
    "ASEAN", "Africa", "Latin America", "Latin America and the Caribbean", "Europe", "Asia", "Central Asia",
    "South Asia", "Southeast Asia", "West Asia", "East Asia", "Middle East", "Arab States", "Arab world",
    "Caribbean", "Pacific Islands", "Oceania", "Central and Eastern Europe", "Eastern Europe", "Eurasia",
    "European Union", "EU", "Global South", "North Africa", "Sub-Saharan Africa", "Gulf", "Asia-Pacific",
    "BRICS", "SCO", "Mekong", "Lancang-Mekong", "Central and Eastern European Countries", "Nordic countries",
})

# Demonyms -> country names (pycountry has names and codes but no adjectives).
DEMONYMS: dict[str, str] = {
    "Chinese": "China", "Thai": "Thailand", "Russian": "Russian Federation", "Indian": "India",
    "Pakistani": "Pakistan", "Kazakh": "Kazakhstan", "Uzbek": "Uzbekistan", "Kyrgyz": "Kyrgyzstan",
    "Indonesian": "Indonesia", "Malaysian": "Malaysia", "Vietnamese": "Viet Nam",
    "Lao": "Lao People's Democratic Republic",
    "Cambodian": "Cambodia", "Singaporean": "Singapore", "Philippine": "Philippines", "Filipino": "Philippines",
    "Burmese": "Myanmar", "Bangladeshi": "Bangladesh", "Sri Lankan": "Sri Lanka", "Nepali": "Nepal",
    "Mongolian": "Mongolia", "Iranian": "Iran, Islamic Republic of", "Turkish": "Türkiye", "Egyptian": "Egypt",
    "Saudi": "Saudi Arabia", "Emirati": "United Arab Emirates", "Kenyan": "Kenya", "Ethiopian": "Ethiopia",
    "Nigerian": "Nigeria", "South African": "South Africa", "Ghanaian": "Ghana",
    "Tanzanian": "Tanzania, United Republic of",
    "Brazilian": "Brazil", "Argentine": "Argentina", "Chilean": "Chile", "Peruvian": "Peru", "Mexican": "Mexico",
    "Cuban": "Cuba", "Serbian": "Serbia", "Hungarian": "Hungary", "Polish": "Poland", "Greek": "Greece",
    "Italian": "Italy", "Portuguese": "Portugal", "Belarusian": "Belarus", "Georgian": "Georgia",
    "Azerbaijani": "Azerbaijan", "Armenian": "Armenia", "Afghan": "Afghanistan", "Iraqi": "Iraq",
    "Israeli": "Israel", "Jordanian": "Jordan", "Moroccan": "Morocco", "Algerian": "Algeria",
    "Tunisian": "Tunisia", "Sudanese": "Sudan", "Zambian": "Zambia", "Zimbabwean": "Zimbabwe",
    "Korean": "Korea, Republic of", "Japanese": "Japan", "American": "United States", "British": "United Kingdom",
    "French": "France", "German": "Germany", "Spanish": "Spain", "Australian": "Australia",
    "New Zealand": "New Zealand", "Canadian": "Canada", "Swiss": "Switzerland", "Austrian": "Austria",
    "Dutch": "Netherlands", "Belgian": "Belgium", "Swedish": "Sweden", "Norwegian": "Norway", "Finnish": "Finland",
    "Danish": "Denmark", "Ukrainian": "Ukraine", "Uruguayan": "Uruguay", "Bolivian": "Bolivia, Plurinational State of",
    "Venezuelan": "Venezuela, Bolivarian Republic of", "Ecuadorian": "Ecuador", "Colombian": "Colombia",
    "Senegalese": "Senegal", "Cameroonian": "Cameroon", "Ugandan": "Uganda", "Rwandan": "Rwanda",
    "Mozambican": "Mozambique", "Angolan": "Angola", "Namibian": "Namibia", "Omani": "Oman", "Qatari": "Qatar",
    "Kuwaiti": "Kuwait", "Bahraini": "Bahrain", "Yemeni": "Yemen", "Syrian": "Syrian Arab Republic",
    "Lebanese": "Lebanon", "Tajik": "Tajikistan", "Turkmen": "Turkmenistan", "Brunei": "Brunei Darussalam",
}

# Words that announce a pledge in a policy document, speech or statement.
PLEDGE_CUES = ("will ", "shall ", "should ", "pledge", "commit", "are willing to", "is willing to", "calls for",
               "call for", "proposes:", "vow", "agree to", "agreed to", "undertake", "we support", "advocate",
               "jointly ", "resolve to", "looking forward", "look forward")
# Credit lines: a word before a person's name that makes them a reporter, editor or photographer.
CREDITS: dict[str, str] = {
    "reporter": "reporter", "reporters": "reporter", "edited by": "editor", "editor": "editor", "edit": "editor",
    "responsible editor": "responsible-editor", "by": "reporter", "photo by": "photographer", "photo": "photographer",
    "written by": "reporter", "author": "reporter", "correspondent": "reporter",
}
