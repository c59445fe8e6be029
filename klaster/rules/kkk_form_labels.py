"""The 2021 application form's labels, attachment titles and table 7 categories as message
codes (issue 9 point 4): what "Sprawdź wniosek" names in the reader's language.

The application's content keeps the official Polish form (its labels are part of the checksum,
KKK-3); a problem found in it names its field by the code declared here for the field's id
(`ITEMS`) or the table's column (`COLUMNS`), whose Polish is the form's own label word for word
(tests/kkk/test_application_messages.py compares them). Two labels carry the years they cover
(`PARAMS`): the check reads them back from the stored label.
"""

from __future__ import annotations

from klaster.rules.message import define

ITEMS: dict[str, str] = {
    "1": define("kkk.form.1", "Cluster name"),
    "1a": define("kkk.form.1a", "Cluster website address"),
    "2.klasyfikacja": define(
        "kkk.form.2.klasyfikacja", "Classification (PKD, EKD or a description)"
    ),
    "2.kody": define("kkk.form.2.kody", "PKD/EKD codes"),
    "2.opis": define("kkk.form.2.opis", "Description of the specialisation"),
    "3": define("kkk.form.3", "Applicant's name"),
    "3.1": define("kkk.form.3.1", "Applicant's full name as in its registration document"),
    "3.2": define("kkk.form.3.2", "Applicant's registered office address"),
    "3.3": define("kkk.form.3.3", "Applicant's website address"),
    "3.4.nip": define("kkk.form.3.4.nip", "NIP"),
    "3.4.regon": define("kkk.form.3.4.regon", "REGON"),
    "3.4.krs": define("kkk.form.3.4.krs", "KRS"),
    "3.5.dokument": define("kkk.form.3.5.dokument", "Document appointing the Coordinator"),
    "3.5.data": define("kkk.form.3.5.data", "Date of the document"),
    "3.6.imie": define("kkk.form.3.6.imie", "Contact person: full name"),
    "3.6.stanowisko": define("kkk.form.3.6.stanowisko", "Position"),
    "3.6.adres": define("kkk.form.3.6.adres", "Correspondence address"),
    "3.6.telefon": define("kkk.form.3.6.telefon", "Phone"),
    "3.6.email": define("kkk.form.3.6.email", "E-mail"),
    "4": define("kkk.form.4", "Table 4. Cluster members (as on the day the application is filed)"),
    "4a": define(
        "kkk.form.4a", "Science units with scientific category A/A+ (not counted as members)"
    ),
    "4.samodzielne": define(
        "kkk.form.4.samodzielne", "Share of independent enterprises among the enterprises"
    ),
    "3.7": define("kkk.form.3.7", "Date of the formal start of activity (the Cluster agreement)"),
    "3.8": define("kkk.form.3.8", "Year of the actual start of activity"),
    "3.8.rodzaj": define("kkk.form.3.8.rodzaj", "Kind of activity confirming the actual start"),
    "3.8.opis": define(
        "kkk.form.3.8.opis", "Description of the activity confirming the actual start"
    ),
    "3.9": define(
        "kkk.form.3.9", "Cluster registered on the European Cluster Collaboration Platform"
    ),
    "6.1": define("kkk.form.6.1", "Strategy name"),
    "6.2": define("kkk.form.6.2", "Date the strategy was adopted (updated)"),
    "6.3.od": define("kkk.form.6.3.od", "Period of validity: from"),
    "6.3.do": define("kkk.form.6.3.do", "Period of validity: to"),
    "7": define("kkk.form.7", "Number and share of members by category"),
    "7.ponad_rok": define(
        "kkk.form.7.ponad_rok", "Share of members belonging to the Cluster for over a year"
    ),
    "8.liczba": define(
        "kkk.form.8.liczba", "Number of members within 200 km of the Coordinator's seat"
    ),
    "8.udzial": define("kkk.form.8.udzial", "Share of members within 200 km"),
    "9.1": define("kkk.form.9.1", "Persons managing the Cluster"),
    "9.2": define(
        "kkk.form.9.2", "Staff the Coordinator assigns to the Cluster (management included)"
    ),
    "9.doswiadczenie": define(
        "kkk.form.9.doswiadczenie",
        "Coordinator's years of experience running and animating cluster activities",
    ),
    "9.relacja": define("kkk.form.9.relacja", "Members per member of the Coordinator's staff"),
    "10": define("kkk.form.10", "Coordinator's current management quality certificates"),
    "11.komunikacja": define("kkk.form.11.komunikacja", "IT platform for internal communication"),
    "11.zakupy": define("kkk.form.11.zakupy", "Purchasing platform"),
    "11.sprzedaz": define("kkk.form.11.sprzedaz", "Sales platform"),
    "12": define("kkk.form.12", "Resources shared for common use (equal, preferential access)"),
    "13": define(
        "kkk.form.13", "Cluster members' own contribution to joint projects (last 3 years)"
    ),
    "13.suma": define("kkk.form.13.suma", "Private funds in total (PLN)"),
    "14": define("kkk.form.14", "Funding applications filed for members' projects (last 3 years)"),
    "15": define("kkk.form.15", "Sales revenue of the Cluster's enterprises in {years} (PLN)"),
    "16.eksporterzy": define(
        "kkk.form.16.eksporterzy", "Number of enterprises with export revenue (3 financial years)"
    ),
    "16.przedsiebiorstwa": define(
        "kkk.form.16.przedsiebiorstwa", "Total number of the Cluster's enterprises"
    ),
    "16.udzial": define("kkk.form.16.udzial", "Share of exporting enterprises"),
    "17.liczba": define("kkk.form.17.liczba", "Number of exporting enterprises in the average"),
    "17.intensywnosc": define(
        "kkk.form.17.intensywnosc", "Average share of export revenue in sales revenue"
    ),
    "18": define(
        "kkk.form.18",
        "International projects of Cluster members (finished or running in the last 3 years)",
    ),
    "18.liczba": define(
        "kkk.form.18.liczba",
        "Number of projects meeting the criterion (the Coordinator or ≥ 3 members)",
    ),
    "19.liczba": define(
        "kkk.form.19.liczba", "Number of enterprises with R&D spending (3 financial years)"
    ),
    "19.udzial": define("kkk.form.19.udzial", "Share of enterprises doing R&D"),
    "20": define("kkk.form.20", "Joint R&D projects (finished or running in the last 3 years)"),
    "20.liczba": define(
        "kkk.form.20.liczba",
        "Number of projects meeting the criterion (≥ 3 members, a science unit and an enterprise)",
    ),
    "21": define(
        "kkk.form.21",
        "Industrial property rights of the Cluster's enterprises (protected on the filing day)",
    ),
    "22": define("kkk.form.22", "Innovations from R&D introduced in the last 3 years"),
    "23": define("kkk.form.23", "Events in the last 3 years"),
    "24": define("kkk.form.24", "Services and activities in the last 12 months"),
    "25": define("kkk.form.25", "National Smart Specialisations (at most 3)"),
    "26": define("kkk.form.26", "Dual education initiatives"),
    "27.liczba": define("kkk.form.27.liczba", "Number of enterprises using Industry 4.0 solutions"),
    "27.udzial": define("kkk.form.27.udzial", "Industry 4.0 and initiatives (computed value)"),
    "27.inicjatywy": define(
        "kkk.form.27.inicjatywy", "Coordinator's initiatives spreading knowledge of digitalisation"
    ),
    "28": define("kkk.form.28", "Cooperation with start-ups in acceleration programmes"),
    "29": define("kkk.form.29", "Solutions and activities"),
    "30": define("kkk.form.30", "Solutions and activities"),
    "31": define("kkk.form.31", "Joint products/services introduced in the last 3 years"),
    "32": define("kkk.form.32", "Missions, fairs and meetings in the last 3 years"),
    "32.liczba": define("kkk.form.32.liczba", "Number of participating enterprises"),
    "32.udzial": define("kkk.form.32.udzial", "Share of participating enterprises"),
    "33.liczba": define(
        "kkk.form.33.liczba", "Number of enterprises with ISO standards implemented"
    ),
    "33.udzial": define(
        "kkk.form.33.udzial", "Share of enterprises with ISO and the ICS areas (computed value)"
    ),
    "34": define("kkk.form.34", "Members' specialist and industry certificates"),
    "Z": define("kkk.form.Z", "Attachments (PDF format)"),
    "O": define("kkk.form.O", "The applicant states that"),
}

COLUMNS: dict[tuple[str, str], str] = {
    ("4", "lp"): define("kkk.form.4:lp", "No."),
    ("4", "name"): define("kkk.form.4:name", "Entity name"),
    ("4", "type"): define("kkk.form.4:type", "Entity type"),
    ("4", "address"): define("kkk.form.4:address", "Registered office address"),
    ("4", "distance_km"): define(
        "kkk.form.4:distance_km", "Distance from the Coordinator's seat (km)"
    ),
    ("4", "independent"): define("kkk.form.4:independent", "Independent enterprise (Y/N)"),
    ("4a", "name"): define("kkk.form.4a:name", "Unit name"),
    ("4a", "category"): define("kkk.form.4a:category", "Scientific category"),
    ("4a", "member"): define("kkk.form.4a:member", "Cluster member"),
    ("7", "category"): define("kkk.form.7:category", "Category"),
    ("7", "count"): define("kkk.form.7:count", "Number"),
    ("7", "share"): define("kkk.form.7:share", "Share"),
    ("7", "fte"): define("kkk.form.7:fte", "Employment (FTE, annual average {year})"),
    ("9.1", "name"): define("kkk.form.9.1:name", "Full name"),
    ("9.1", "email"): define("kkk.form.9.1:email", "E-mail"),
    ("9.1", "role"): define("kkk.form.9.1:role", "Function in the managing body"),
    ("9.1", "years_private_mgmt"): define(
        "kkk.form.9.1:years_private_mgmt", "Years of management experience in the private sector"
    ),
    ("9.1", "years_cluster_mgmt"): define(
        "kkk.form.9.1:years_cluster_mgmt", "Years of experience managing the Cluster"
    ),
    ("9.1", "years_intl_projects"): define(
        "kkk.form.9.1:years_intl_projects", "Years of experience leading international projects"
    ),
    ("9.2", "name"): define("kkk.form.9.2:name", "Full name (title)"),
    ("9.2", "email"): define("kkk.form.9.2:email", "E-mail"),
    ("9.2", "role"): define("kkk.form.9.2:role", "Responsibilities / tasks"),
    ("9.2", "contract"): define("kkk.form.9.2:contract", "Basis of employment"),
    ("10", "kind"): define("kkk.form.10:kind", "Kind of certificate"),
    ("10", "name"): define("kkk.form.10:name", "Certificate name"),
    ("10", "valid_until"): define("kkk.form.10:valid_until", "Valid until"),
    ("12", "name"): define("kkk.form.12:name", "Resource name"),
    ("12", "kind"): define("kkk.form.12:kind", "Kind of infrastructure"),
    ("12", "provider"): define("kkk.form.12:provider", "Provided by"),
    ("13", "name"): define("kkk.form.13:name", "Project name"),
    ("13", "private_contribution"): define(
        "kkk.form.13:private_contribution", "Private contribution (PLN)"
    ),
    ("14", "name"): define("kkk.form.14:name", "Application name"),
    ("14", "programme"): define("kkk.form.14:programme", "Programme"),
    ("14", "submitted"): define("kkk.form.14:submitted", "Date filed"),
    ("14", "funded"): define("kkk.form.14:funded", "Funded (Y/N)"),
    ("14", "applicants"): define("kkk.form.14:applicants", "Applicants (members)"),
    ("18", "name"): define("kkk.form.18:name", "Project name"),
    ("18", "description"): define("kkk.form.18:description", "Short description"),
    ("18", "type"): define("kkk.form.18:type", "Project type"),
    ("18", "participants"): define("kkk.form.18:participants", "Number of Cluster members"),
    ("18", "coordinator"): define("kkk.form.18:coordinator", "Coordinator takes part (Y/N)"),
    ("18", "value"): define("kkk.form.18:value", "Project value (PLN)"),
    ("18", "funding_source"): define("kkk.form.18:funding_source", "Source of funding"),
    ("18", "start"): define("kkk.form.18:start", "Start"),
    ("18", "end"): define("kkk.form.18:end", "End"),
    ("20", "name"): define("kkk.form.20:name", "Project title"),
    ("20", "participants"): define("kkk.form.20:participants", "Number of Cluster members"),
    ("20", "participant_types"): define("kkk.form.20:participant_types", "Entity types"),
    ("20", "value"): define("kkk.form.20:value", "Project value (PLN)"),
    ("20", "funding_source"): define("kkk.form.20:funding_source", "Source of funding"),
    ("20", "start"): define("kkk.form.20:start", "Start"),
    ("20", "end"): define("kkk.form.20:end", "End"),
    ("21", "kind"): define("kkk.form.21:kind", "Kind"),
    ("21", "number"): define("kkk.form.21:number", "Number"),
    ("21", "title"): define("kkk.form.21:title", "Title"),
    ("21", "holder"): define("kkk.form.21:holder", "Right holder"),
    ("21", "protected_until"): define("kkk.form.21:protected_until", "Protection ends"),
    ("21", "mode"): define("kkk.form.21:mode", "Protection mode"),
    ("22", "name"): define("kkk.form.22:name", "Innovation name"),
    ("22", "introduced"): define("kkk.form.22:introduced", "Date introduced"),
    ("22", "by"): define("kkk.form.22:by", "Introduced by"),
    ("23", "name"): define("kkk.form.23:name", "Event name"),
    ("23", "kind"): define("kkk.form.23:kind", "Kind"),
    ("23", "location"): define("kkk.form.23:location", "Place"),
    ("23", "online"): define("kkk.form.23:online", "Online (Y/N)"),
    ("23", "date"): define("kkk.form.23:date", "Date"),
    ("23", "coordinator"): define("kkk.form.23:coordinator", "Coordinator takes part (Y/N)"),
    ("23", "participants"): define("kkk.form.23:participants", "Number of participating members"),
    ("24", "name"): define("kkk.form.24:name", "Service / activity name"),
    ("24", "description"): define("kkk.form.24:description", "Short description"),
    ("24", "kind"): define("kkk.form.24:kind", "Category"),
    ("24", "date"): define("kkk.form.24:date", "Date"),
    ("24", "beneficiaries"): define("kkk.form.24:beneficiaries", "Number of members served"),
    ("25", "number"): define("kkk.form.25:number", "KIS number"),
    ("25", "justification"): define(
        "kkk.form.25:justification", "Justification (the Cluster's projects and undertakings)"
    ),
    ("26", "kind"): define("kkk.form.26:kind", "Kind"),
    ("26", "name"): define("kkk.form.26:name", "Name"),
    ("26", "description"): define("kkk.form.26:description", "Short description"),
    ("26", "entities"): define("kkk.form.26:entities", "Entities taking part"),
    ("26", "from"): define("kkk.form.26:from", "Carried out from"),
    ("26", "to"): define("kkk.form.26:to", "Carried out until"),
    ("27.inicjatywy", "name"): define("kkk.form.27.inicjatywy:name", "Initiative name"),
    ("27.inicjatywy", "date"): define("kkk.form.27.inicjatywy:date", "Date"),
    ("28", "member"): define("kkk.form.28:member", "Cluster member (business partner)"),
    ("28", "startup"): define("kkk.form.28:startup", "Start-up"),
    ("28", "programme"): define("kkk.form.28:programme", "Acceleration programme"),
    ("28", "description"): define(
        "kkk.form.28:description", "Type of cooperation and a short description"
    ),
    ("28", "basis"): define("kkk.form.28:basis", "Formal basis (contract, agreement)"),
    ("28", "from"): define("kkk.form.28:from", "From"),
    ("28", "to"): define("kkk.form.28:to", "To"),
    ("29", "kind"): define("kkk.form.29:kind", "Kind"),
    ("29", "description"): define("kkk.form.29:description", "Description"),
    ("29", "entities"): define("kkk.form.29:entities", "Entities applying them"),
    ("30", "kind"): define("kkk.form.30:kind", "Kind"),
    ("30", "description"): define("kkk.form.30:description", "Description"),
    ("30", "entities"): define("kkk.form.30:entities", "Entities applying them"),
    ("31", "name"): define("kkk.form.31:name", "Product / service name"),
    ("31", "description"): define("kkk.form.31:description", "Description"),
    ("31", "introduced"): define("kkk.form.31:introduced", "Introduced to the offer"),
    ("31", "offered_by"): define("kkk.form.31:offered_by", "Members offering it"),
    ("31", "by_coordinator"): define("kkk.form.31:by_coordinator", "Coordinator's product (Y/N)"),
    ("31", "revenue"): define("kkk.form.31:revenue", "Sales revenue (Y/N)"),
    ("32", "name"): define("kkk.form.32:name", "Event name"),
    ("32", "kind"): define("kkk.form.32:kind", "Nature / type"),
    ("32", "date"): define("kkk.form.32:date", "Date"),
    ("32", "participants"): define(
        "kkk.form.32:participants", "Number of participants from the Cluster"
    ),
    ("34", "name"): define("kkk.form.34:name", "Certificate"),
    ("34", "count"): define("kkk.form.34:count", "Number of members"),
    ("34", "holders"): define("kkk.form.34:holders", "Members"),
    ("Z", "kind"): define("kkk.form.Z:kind", "No."),
    ("Z", "title"): define("kkk.form.Z:title", "Attachment"),
    ("Z", "required"): define("kkk.form.Z:required", "Required (Y/N)"),
    ("Z", "files"): define("kkk.form.Z:files", "Files"),
    ("O", "number"): define("kkk.form.O:number", "No."),
    ("O", "text"): define("kkk.form.O:text", "Statement"),
    ("O", "accepted"): define("kkk.form.O:accepted", "Made (Y/N)"),
}

# a label's parameter, read back from the stored label: the years it covers
PARAMS: dict[str, str] = {"kkk.form.15": "years", "kkk.form.7:fte": "year"}

# Term("kkk_attachment", kind): the titles of 004 "Załączniki do wniosku"
ATTACHMENT_TITLES: dict[str, str] = {
    "1": define(
        "kkk_attachment.1",
        "Signed Cluster agreement or another document establishing the Cluster, with annexes or accession declarations",
    ),
    "2": define("kkk_attachment.2", "Cluster statute or rules"),
    "3": define("kkk_attachment.3", "Statement that the stage I criteria are met (status renewal)"),
    "4": define("kkk_attachment.4", "Cluster development strategy"),
    "5": define("kkk_attachment.5", "Decision of a Cluster body to apply for the KKK status"),
    "6": define("kkk_attachment.6", "Current ESCA cluster management certificate"),
    "7": define("kkk_attachment.7", "Current certificates"),
    "8": define("kkk_attachment.8", "Other attachments"),
}

# Term("kkk_category", key): the rows of table 7
CATEGORIES: dict[str, str] = {
    "micro": define("kkk_category.micro", "Micro enterprises"),
    "small": define("kkk_category.small", "Small enterprises"),
    "medium": define("kkk_category.medium", "Medium enterprises"),
    "large": define("kkk_category.large", "Large enterprises"),
    "enterprises": define("kkk_category.enterprises", "Enterprises (in total)"),
    "science": define("kkk_category.science", "Science units"),
    "science_a": define(
        "kkk_category.science_a", "of which units with category A/A+ (for information)"
    ),
    "iob": define("kkk_category.iob", "IOB"),
    "other": define("kkk_category.other", "Other members"),
    "total": define("kkk_category.total", "Total"),
}
