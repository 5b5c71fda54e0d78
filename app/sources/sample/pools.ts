/** Word lists the sample people, authorities and traffic are drawn from. */

export const GIVEN_NAMES = [
  "Thomas", "Thomas", "Anna", "Anna", "Michael", "Sabine", "Jürgen", "Jörg", "Björn", "Sören", "Käthe", "Günter",
  "Uwe", "Heike", "Katrin", "Stefan", "Andreas", "Petra", "Monika", "Claudia", "Lena", "Lea", "Lukas", "Jonas",
  "Marie", "Sophie", "Maximilian", "Paul", "Emma", "Mia", "Ben", "Finn", "Hannelore", "Dörte", "Anne-Kathrin",
  "Hans-Peter", "Karl-Heinz", "Zoë", "René", "André", "Chloé", "José", "Łukasz", "Małgorzata", "Agnieszka",
  "Piotr", "Katarzyna", "Mehmet", "Ayşe", "Emine", "Oğuz", "Nguyễn Văn", "Olga", "Dmitrij", "Søren", "Ingrid",
  "François", "Ángel", "Marta", "João", "Fatma", "Yusuf", "Anja", "Ute", "Ralf", "Frank", "Gisela", "Brigitte",
] as const;

export const FAMILY_NAMES = [
  "Müller", "Möller", "Müllner", "Schmidt", "Schmitt", "Schneider", "Fischer", "Weber", "Meyer", "Meier", "Maier",
  "Mayer", "Wagner", "Becker", "Schulz", "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf",
  "Schröder", "Neumann", "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann", "Hartmann", "Lange", "Schmitz",
  "Krause", "Weiß", "Weiss", "Groß", "Große", "Köhler", "Jäger", "Günther", "Böhm", "Meyer-Lüdenscheidt",
  "Müller-Thurgau", "Schulze-Boysen", "von der Heyde", "Wiśniewski", "Kowalski", "Wójcik", "Nowak", "Yılmaz",
  "Kaya", "Öztürk", "Đorđević", "Nguyễn", "Petrović", "Ivanova", "García", "Løvgren", "Ødegaard", "Dubois",
  "O'Connor", "Straßburger", "Thüringer", "Sauer", "Blümel", "Döring", "Fuß", "Nußbaum", "Eßer",
] as const;

export const STREETS = [
  "Hauptstraße", "Bahnhofstraße", "Schillerstraße", "Goethestraße", "Gartenweg", "Am Anger", "Lindenallee",
  "Mühlweg", "Löberstraße", "Juri-Gagarin-Ring", "Schlößchenstraße", "Krämerbrücke", "Marktplatz", "Ährenweg",
  "Weimarische Straße", "Jenaer Straße", "Straße der Einheit", "Am Südhang", "Großer Herrenberg",
] as const;

export const CITIES: readonly { postcode: string; city: string; areaCode: string }[] = [
  { postcode: "99084", city: "Erfurt", areaCode: "361" },
  { postcode: "99096", city: "Erfurt", areaCode: "361" },
  { postcode: "07743", city: "Jena", areaCode: "3641" },
  { postcode: "99423", city: "Weimar", areaCode: "3643" },
  { postcode: "07545", city: "Gera", areaCode: "365" },
  { postcode: "99867", city: "Gotha", areaCode: "3621" },
  { postcode: "98527", city: "Suhl", areaCode: "3681" },
  { postcode: "99734", city: "Nordhausen", areaCode: "3631" },
  { postcode: "07318", city: "Saalfeld/Saale", areaCode: "3671" },
  { postcode: "04600", city: "Altenburg", areaCode: "3447" },
];

export const MOBILE_PREFIXES = ["151", "152", "157", "160", "162", "170", "171", "172", "175", "176", "177", "179"] as const;

export const MAIL_DOMAINS = ["example.org", "example.net", "example.com", "example.de", "beispiel.example"] as const;

/** Authorities that run Melderegister look-ups; `security` ones fall under § 21(3) ThürDSG. */
export interface Authority {
  key: string;
  name: string;
  dvdv: string;
  security: boolean;
  street: string;
  postcode: string;
  city: string;
  areaCode: string;
  mailDomain: string;
  natIp: string;
}

export const AUTHORITIES: readonly Authority[] = [
  { key: "ef-buergeramt", name: "Stadtverwaltung Erfurt, Bürgeramt", dvdv: "dvdv:meldb:16051000", security: false, street: "Bürgermeister-Wagner-Straße 1", postcode: "99084", city: "Erfurt", areaCode: "361", mailDomain: "erfurt.example", natIp: "194.94.20.17" },
  { key: "j-ordnungsamt", name: "Stadt Jena, Ordnungsamt", dvdv: "dvdv:ordb:16053000", security: false, street: "Am Anger 26", postcode: "07743", city: "Jena", areaCode: "3641", mailDomain: "jena.example", natIp: "194.94.31.2" },
  { key: "lpi-erfurt", name: "Landespolizeiinspektion Erfurt", dvdv: "dvdv:pol:16000511", security: true, street: "Andreasstraße 38", postcode: "99084", city: "Erfurt", areaCode: "361", mailDomain: "polizei.thueringen.example", natIp: "10.160.4.1" },
  { key: "sta-gera", name: "Staatsanwaltschaft Gera", dvdv: "dvdv:sta:16000720", security: true, street: "Rudolf-Diener-Straße 2", postcode: "07545", city: "Gera", areaCode: "365", mailDomain: "justiz.thueringen.example", natIp: "194.94.66.130" },
  { key: "tlfv", name: "Amt für Verfassungsschutz Thüringen", dvdv: "dvdv:vs:16000900", security: true, street: "Haarbergstraße 61", postcode: "99097", city: "Erfurt", areaCode: "361", mailDomain: "verfassungsschutz.thueringen.example", natIp: "194.94.70.9" },
  { key: "we-jobcenter", name: "Jobcenter Weimar", dvdv: "dvdv:sgb:16055000", security: false, street: "Schwanseestraße 17", postcode: "99423", city: "Weimar", areaCode: "3643", mailDomain: "jobcenter.example", natIp: "194.94.88.41" },
];

export const TLRZ = {
  poststelle: "poststelle@tlrz.thueringen.de",
  support: "support@servicecenter.thueringen.de",
  fax: "fax-gateway@tlrz.thueringen.de",
  switchboard: "+49 361 57-100",
  phone: "+49 361 57-3635800",
  faxNumber: "+49 361 57-3635848",
  agents: ["Servicecenter TLRZ <support@servicecenter.thueringen.de>", "Poststelle TLRZ <poststelle@tlrz.thueringen.de>"],
} as const;

export const PAGES = [
  "/", "/", "/suche", "/login", "/hilfe", "/impressum", "/datenschutz", "/static/css/main.3f2a9c.css",
  "/static/js/app.91bc2e.js", "/favicon.ico", "/auskunft/ergebnis?id=", "/api/status",
] as const;

export const USER_AGENTS = [
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0.0.0 Safari/537.36",
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:131.0) Gecko/20100101 Firefox/131.0",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1",
  "Mozilla/5.0 (Linux; Android 14; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Mobile Safari/537.36",
  "Mozilla/5.0 (Windows NT 6.1; Trident/7.0; rv:11.0) like Gecko",
] as const;

/** User agents of bots, scanners and broken clients: quotes escaped as nginx does, empty, huge. */
export const ODD_USER_AGENTS = [
  "-",
  "curl/8.5.0",
  "python-requests/2.31.0",
  "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
  "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
  "Go-http-client/1.1",
  "Mozilla/5.0 zgrab/0.x",
  "\\x22><script>alert(1)</script>",
  "Mozilla/5.0 (X11; Linux x86_64) \\x22Quoted\\x22 Agent",
  `Mozilla/5.0 ${"(very long token) ".repeat(40)}`.trim(),
  "Nessus SOAP v0.0.1",
  "\\xC3\\x9Cn\\xC3\\xAFc\\xC3\\xB6d\\xC3\\xA9-Agent/1.0",
] as const;

export const REFERERS = ["-", "-", "https://tsr.thueringen.de/", "https://www.google.de/", "https://beaus.thlv.de/suche"] as const;

export const LETTER_SUBJECTS = [
  "Anfrage zur Speicherung meiner Daten",
  "Beschwerde über die Bearbeitungsdauer",
  "Antrag auf Auskunft nach Art. 15 DSGVO",
  "Änderung meiner Anschrift",
  "Rückfrage zu Ihrem Schreiben vom",
  "Störung im Beauskunftungssystem",
  "Zugang für neue Kollegin",
  "Passwort zurücksetzen – dringend",
] as const;

export const ANLAESSE = [
  "Ermittlungsverfahren",
  "Zustellung eines Bescheids",
  "Prüfung der Zuständigkeit",
  "Gefahrenabwehr",
  "Leistungsgewährung SGB II",
  "Bußgeldverfahren",
  "Aufenthaltsermittlung",
] as const;

/**
 * More names, streets and towns for samples of a data centre's size: the pools above give about
 * 4 500 distinct names and 25 000 addresses, so `uniqueName` and the address picker reach for these
 * (and for double given names, middle names and double family names) only once the small pools are
 * taken — small samples keep the names of the pools above.
 */
export const MORE_GIVEN_NAMES = [
  "Peter", "Klaus", "Wolfgang", "Manfred", "Dieter", "Werner", "Horst", "Helmut", "Gerhard", "Bernd", "Rainer", "Holger",
  "Matthias", "Christian", "Markus", "Tobias", "Florian", "Sebastian", "Alexander", "Daniel", "Jan", "Tim", "Niklas", "Leon",
  "Elias", "Noah", "Felix", "Moritz", "Emil", "Anton", "Theo", "Karl", "Friedrich", "Wilhelm", "Ernst", "Otto", "Lothar",
  "Ursula", "Renate", "Helga", "Karin", "Birgit", "Susanne", "Andrea", "Nicole", "Stefanie", "Julia", "Laura", "Sarah",
  "Lisa", "Hannah", "Leonie", "Johanna", "Charlotte", "Clara", "Greta", "Ida", "Frieda", "Marlene", "Elisabeth", "Margarete",
  "Gertrud", "Erna", "Ilse", "Waltraud", "Christa", "Sigrid", "Bärbel", "Jürgen-Michael", "Annemarie", "Rosemarie",
  "Magdalena", "Zofia", "Krzysztof", "Tomasz", "Wojciech", "Aleksandra", "Ewa", "Ahmet", "Mustafa", "Elif", "Zeynep",
  "Hüseyin", "Gülşen", "İbrahim", "Selin", "Ivan", "Natalja", "Svetlana", "Wladimir", "Jelena", "Milan", "Dragan",
  "Ana", "Luca", "Giulia", "Matteo", "Chiara", "Pierre", "Amélie", "Hélène", "Inès", "Nuno", "Conceição", "Ramón",
  "Lucía", "Åsa", "Øystein", "Mai", "Thanh Hương", "Linh", "Minh", "Amir", "Leyla", "Omar", "Aaliyah", "Sean", "Siobhán",
] as const;

export const MORE_FAMILY_NAMES = [
  "Schubert", "Vogel", "Friedrich", "Keller", "Günzel", "Frank", "Berger", "Winkler", "Roth", "Beck", "Lorenz", "Baumann",
  "Franke", "Albrecht", "Schuster", "Simon", "Ludwig", "Böttcher", "Kraus", "Martin", "Schumacher", "Krämer", "Vogt",
  "Stein", "Jäckel", "Otto", "Sommer", "Groß-Albrecht", "Seidel", "Heinrich", "Brandt", "Haas", "Schreiber", "Graf",
  "Schulte", "Dietrich", "Ziegler", "Kuhn", "Kühn", "Pohl", "Engel", "Horn", "Busch", "Bergmann", "Thomas", "Voigt",
  "Sauerbrey", "Fröbel", "Rödiger", "Kästner", "Büttner", "Pfütze", "Gräfe", "Lämmerhirt", "Häßler", "Nöthlich",
  "Eichhorn", "Bräutigam", "Wölfel", "Apel", "Heß", "Möbius", "Döbereiner", "Kowalczyk", "Lewandowski", "Zieliński",
  "Szymański", "Woźniak", "Kamiński", "Demir", "Şahin", "Çelik", "Aydın", "Arslan", "Doğan", "Popov", "Smirnow",
  "Kuznezow", "Jovanović", "Nikolić", "Marković", "Rossi", "Russo", "Ferrari", "Esposito", "Lefèvre", "Moreau",
  "Fernández", "González", "Pereira", "Gonçalves", "Johansson", "Andersen", "Trần", "Lê", "Phạm", "Hoàng", "Al-Hassan",
  "El-Amin", "Murphy", "O'Brien", "van den Berg", "de Vries", "zu Solms", "von Trotha", "Mac Gregor", "Schmid",
] as const;

export const MORE_STREETS = [
  "Rosenweg", "Birkenweg", "Ahornstraße", "Eichendorffstraße", "Lessingstraße", "Herderstraße", "Wielandstraße",
  "Kirchgasse", "Schulstraße", "Feldstraße", "Waldstraße", "Bergstraße", "Wiesenweg", "Friedhofsweg", "Am Bach",
  "Karl-Marx-Allee", "Thomas-Müntzer-Straße", "Nordhäuser Straße", "Gothaer Platz", "Domplatz", "Fischmarkt",
  "Johannesstraße", "Magdeburger Allee", "Stauffenbergallee", "Leipziger Straße", "Geraer Straße", "Zur Mühle",
  "Ringstraße", "Sonnenhang", "Im Winkel", "Auf der Höhe", "Töpfergasse", "Brühl", "Unterm Berg", "Försterweg",
] as const;

/** Further Thuringian towns (postcode, area code) for addresses once the pools above are taken. */
export const MORE_CITIES: readonly { postcode: string; city: string; areaCode: string }[] = [
  { postcode: "99817", city: "Eisenach", areaCode: "3691" },
  { postcode: "98693", city: "Ilmenau", areaCode: "3677" },
  { postcode: "99974", city: "Mühlhausen/Thüringen", areaCode: "3601" },
  { postcode: "99310", city: "Arnstadt", areaCode: "3628" },
  { postcode: "96515", city: "Sonneberg", areaCode: "3675" },
  { postcode: "99510", city: "Apolda", areaCode: "3644" },
  { postcode: "99610", city: "Sömmerda", areaCode: "3634" },
  { postcode: "07407", city: "Rudolstadt", areaCode: "3672" },
  { postcode: "98617", city: "Meiningen", areaCode: "3693" },
  { postcode: "07973", city: "Greiz", areaCode: "3661" },
  { postcode: "99085", city: "Erfurt", areaCode: "361" },
  { postcode: "07745", city: "Jena", areaCode: "3641" },
];
