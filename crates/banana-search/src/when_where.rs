//! When, where and with what: the time, place and camera parts of a search query, parsed into
//! structured filters. Pure (no clock, no database): the caller passes today's local date and
//! the [`Vocabulary`] of its own library (the places and camera makes/models its images have),
//! and gets back the filters plus the `rest` of the query, which ranks as any other query.
//!
//! ```text
//! "a beach in 2019"              rest "a beach"   taken 2019-01-01..2019-12-31  matched ["taken 2019"]
//! "photos taken in Paris"        rest ""          place City Paris              matched ["place: Paris"]
//! "dogs shot on iPhone last summer" rest "dogs"   camera iPhone, taken 2023-06-01..2023-08-31
//!                                                   (on 2024-07-15)
//! ```
//!
//! # Grammar
//!
//! The query is split on whitespace into tokens; each token is compared case- and
//! diacritics-insensitively ([`fold`]), without the punctuation around it ("Paris," = "paris").
//! Scanning left to right, at each token the longest of these that starts there applies (ties:
//! date, then place, then camera):
//!
//! * **Dates** (`taken`), each an inclusive range of local dates ([`DateRange`]):
//!   * a year `YYYY` in `1800..=today.year + 1`, unless it is clearly a quantity: next to a
//!     unit or count word ("2000 km", "1920 x 1080", "route 2008"), or glued to a symbol
//!     ("$2000", "2000%"). Other numbers ("3 cats", "1000 islands") are never dates.
//!   * a decade `YYYYs` / `YYYY's` whose year ends in 0 ("1990s");
//!   * `YYYY-MM` and `YYYY-MM-DD` (ISO, one token); `YYYY-YYYY` (also `–`, `—`): a range;
//!   * `<month> [of] <year>` ("October 2008", "oct 2008", "may 2019", "july of 2021");
//!   * `<day> [of] <month> [of] <year>` and `<month> <day>[,] <year>` ("5 October 2008",
//!     "5th of oct 2008", "October 5, 2008"): one day;
//!   * `<season> [of] <year>` ("summer 2019"): northern-hemisphere meteorological seasons,
//!     spring = Mar–May, summer = Jun–Aug, autumn/fall = Sep–Nov, and winter Y = Dec (Y−1) to
//!     the end of Feb Y (the winter that *ends* in Y: "winter 2020" = Dec 2019 – Feb 2020);
//!   * a month alone: the most recent such month that has begun (this year's if it is the
//!     current month or earlier, else last year's). "may" and "march" (also verbs and nouns)
//!     are months alone only right after "in", "during", "since", "before", "after",
//!     "until", "till", "from" or "through"; abbreviations ("oct") never stand alone;
//!   * relative: "today", "yesterday", "this/last week" (Monday to Sunday), "this/last
//!     month", "this/last year", "N years ago" / "N months ago" (that calendar year/month;
//!     N a number or "a", "one" … "ten"), "this <month>" (this year's), "last <month>" (the
//!     most recent one before the current month), "this <season>" (this year's; in December
//!     "this winter" is the winter that started this month), "last <season>" (the most
//!     recent one that has completely ended before today);
//!   * ranges of two of the above: `<date> to|until|till|through|thru|-|– <date>` and
//!     `between <date> and <date>` (from the start of the first to the end of the second,
//!     whichever order they come in; "June to August 2019" gives June the year of August);
//!     `since <date>` (to today), `after <date>` (from the next day to today: empty if that
//!     is in the future), `before <date>` (from 1800-01-01 to the day before),
//!     `until|till <date>` (from 1800-01-01 to its end).
//!
//!   A season alone ("beach in summer") is *not* a filter: "every summer" is not a range.
//!   Several dates in one query ("2008 2009", "2008 and 2012") make **one** range spanning
//!   all of them (2008-01-01..2009-12-31, resp. ..2012-12-31), named after the earliest and
//!   the latest ("taken 2008 to 2009"). Ambiguous numeric forms ("10/05/2008") are not dates.
//! * **Places** (`place`): the longest run of tokens whose letters and digits equal a
//!   vocabulary place's name ("New York City" before "New York"; "Sao Paulo" = "São Paulo";
//!   "Saint Etienne" = "Saint-Étienne"), or a common English country name or alias ("United
//!   States", "USA", "UK", "Holland", …) of a country code the vocabulary has. Two-letter codes
//!   alone ("us", "in") are never places. A country wins over a city of the same name. A city
//!   directly followed by its country ("Paris, France", "Paris in France") takes that country
//!   as the city's `country_code`. Nothing outside the vocabulary is a place:
//!   "Paris" in a library without Paris stays in `rest`.
//! * **Cameras** (`camera`): the longest run of tokens whose words are the first words of
//!   vocabulary makes/models ("canon" → "Canon", "Canon EOS 5D"; "nikon" → "NIKON
//!   CORPORATION"; "iphone 13 pro" → "iPhone 13 Pro"), or appear inside one when they include
//!   a model code mixing letters and digits ("eos r5" → "Canon EOS R5"). Generic words
//!   ("pro", "camera", "mark", numbers, single letters) never match on their own. When
//!   nothing matches directly, aliases name a make: "iphone"/"ipad" → Apple, "pixel" → Google,
//!   "galaxy" → Samsung (if the vocabulary has that make).
//!
//! Single words that are also common English words ("nice", "reading", "turkey", "china",
//! "jersey", "pixel", "galaxy", …) are a place or camera only when deliberately so: right
//! after a glue preposition ("in Nice", "shot on a pixel") or capitalised and not the first
//! word ("beach in Nice", "a Galaxy"). The filter is only ever preferred to the word when the
//! vocabulary has it.
//!
//! Each applied filter also takes the glue words right before it, in this order backwards:
//! an article ("the"; for cameras also "a", "an", "my", "our"), a preposition (dates: "in",
//! "from", "during", "of", "on"; places: "in", "at", "of", "from", "near", "around"; cameras:
//! "with", "on", "using", "by"), a verb ("taken", "shot", "captured", "snapped", "made") and a
//! photo noun ("photos", "pictures", "pics", "images", "shots", …): "photos taken in July 2021"
//! goes entirely, "the streets of Paris" leaves "the streets". A camera also takes a following
//! "camera"/"phone"/"smartphone". Other words between filters stay ("trip from 2018 to Paris"
//! leaves "trip to").
//!
//! # Invariants
//!
//! * `rest` is the query's remaining tokens, unchanged and in order, joined by single spaces;
//!   a filter never takes a word that is not part of it or its glue ("in" stays in "a man in
//!   red"). When at least one filter applied, a dangling "and"/"or" at either end of `rest`
//!   goes, and if only glue and filler words remain ("show me", "photos", "all") `rest` is
//!   empty: the query was only filters, and the caller lists results newest first.
//! * At most one place and one camera: a second place or camera is not a filter and stays in
//!   `rest`. Dates always merge into the one range.
//! * `matched` has one human name per applied filter, in query order: "taken 2008",
//!   "taken October 2008", "taken summer 2021", "taken this year", "taken 2018 to 2020",
//!   "place: Paris", "place: Paris, France", "place: France", "camera: Canon".
//! * Filters name vocabulary spellings ([`PlaceFilter`], [`CameraFilter::entries`]), so the
//!   caller can match them exactly; nothing is invented.

use std::collections::HashMap;
use std::fmt;

/// The first year a date filter accepts (also the start of "before …" ranges).
pub const MIN_YEAR: i32 = 1800;

/// A local calendar date. Ordering is chronological.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// The date `year-month-day` (not validated; [`parse`] expects `today` to be a real date).
    pub const fn new(year: i32, month: u8, day: u8) -> Self {
        Self { year, month, day }
    }

    /// The last day of `month` in `year`.
    pub fn last_of_month(year: i32, month: u8) -> Self {
        Self::new(year, month, days_in_month(year, month))
    }

    /// This date moved by `days` (negative: back).
    pub fn add_days(self, days: i64) -> Self {
        from_days(to_days(self) + days)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// An inclusive range of local dates. Can be empty (`from > to`), e.g. "after 2025" in 2024.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DateRange {
    pub from: Date,
    pub to: Date,
}

impl DateRange {
    /// The whole of `year`.
    pub fn year(year: i32) -> Self {
        Self {
            from: Date::new(year, 1, 1),
            to: Date::new(year, 12, 31),
        }
    }

    /// The whole of `month` in `year`.
    pub fn month(year: i32, month: u8) -> Self {
        Self {
            from: Date::new(year, month, 1),
            to: Date::last_of_month(year, month),
        }
    }

    /// The single day `date`.
    pub fn day(date: Date) -> Self {
        Self {
            from: date,
            to: date,
        }
    }

    /// Whether `date` is in the range.
    pub fn contains(&self, date: Date) -> bool {
        self.from <= date && date <= self.to
    }

    /// Whether no date is in the range.
    pub fn is_empty(&self) -> bool {
        self.from > self.to
    }
}

/// What a [`KnownPlace`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PlaceKind {
    City,
    Country,
}

/// A place some of the caller's images were taken at.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct KnownPlace {
    /// The name as the library spells it ("São Paulo", "France").
    pub name: String,
    pub kind: PlaceKind,
    /// ISO 3166-1 alpha-2 code of the country ("BR", "FR"); compared case-insensitively.
    pub country_code: String,
}

/// What the caller's own library has: only these can become place and camera filters.
#[derive(Debug, Clone, Copy, Default)]
pub struct Vocabulary<'a> {
    /// Distinct places (cities and countries) of the caller's images.
    pub places: &'a [KnownPlace],
    /// Distinct camera makes and models of the caller's images, as stored ("Canon",
    /// "Canon EOS 5D Mark II", "Apple", "iPhone 13 Pro").
    pub cameras: &'a [String],
}

/// A place filter, in the vocabulary's spelling.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PlaceFilter {
    /// Images taken in the city `name` (exactly as in the vocabulary); if `country_code` is
    /// set (the query named the country too: "Paris, France"), only in that country.
    City {
        name: String,
        country_code: Option<String>,
    },
    /// Images taken anywhere in the country `code` (as in the vocabulary); `name` is for
    /// display (the vocabulary's name for it, else its common English name).
    Country { code: String, name: String },
}

/// A camera filter: images whose make **or** model is one of `entries`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CameraFilter {
    /// For display: the matched words as the library spells them ("Canon", "iPhone"), or
    /// the alias's name ("Samsung Galaxy").
    pub name: String,
    /// The vocabulary's makes and models (exact strings) that the query named; never empty.
    pub entries: Vec<String>,
}

/// The result of [`parse`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    /// The query without the filters and their glue words, for ranking; empty when the query
    /// was only filters.
    pub rest: String,
    pub taken: Option<DateRange>,
    pub place: Option<PlaceFilter>,
    pub camera: Option<CameraFilter>,
    /// Human names of the applied filters, in query order ("taken 2008", "place: Paris").
    pub matched: Vec<String>,
}

impl Parsed {
    /// Whether any filter applied.
    pub fn has_filters(&self) -> bool {
        self.taken.is_some() || self.place.is_some() || self.camera.is_some()
    }
}

/// Parses the time, place and camera parts of `query` (see the module documentation for the
/// grammar), with relative dates resolved against `today` and places and cameras limited to
/// `vocab`.
pub fn parse(query: &str, today: Date, vocab: &Vocabulary<'_>) -> Parsed {
    let toks = tokenize(query);
    let places = PlaceIndex::new(vocab.places);
    let cameras: Vec<CameraEntry> = vocab.cameras.iter().map(|c| CameraEntry::new(c)).collect();
    let mut used = vec![false; toks.len()];
    let mut dates: Vec<(usize, DateMatch)> = Vec::new();
    let mut place: Option<(usize, PlaceFilter, String)> = None;
    let mut camera: Option<(usize, CameraFilter)> = None;

    let mut i = 0;
    while i < toks.len() {
        if used[i] {
            i += 1;
            continue;
        }
        let mut best: Option<(usize, Found)> = None;
        if let Some(d) = date_at(&toks, i, today) {
            best = Some((d.len, Found::Date(d)));
        }
        if place.is_none() {
            if let Some((len, f, label)) = places.at(&toks, i) {
                if best.as_ref().is_none_or(|(l, _)| len > *l) {
                    best = Some((len, Found::Place(f, label)));
                }
            }
        }
        if camera.is_none() {
            if let Some((len, f)) = camera_at(&toks, i, &cameras) {
                if best.as_ref().is_none_or(|(l, _)| len > *l) {
                    best = Some((len, Found::Camera(f)));
                }
            }
        }
        let Some((len, found)) = best else {
            i += 1;
            continue;
        };
        used[i..i + len].iter_mut().for_each(|u| *u = true);
        match found {
            Found::Date(d) => {
                eat_glue_before(&toks, &mut used, i, &["the"], DATE_PREPS);
                dates.push((i, d));
            }
            Found::Place(f, label) => {
                eat_glue_before(&toks, &mut used, i, &["the"], PLACE_PREPS);
                place = Some((i, f, label));
            }
            Found::Camera(f) => {
                eat_glue_before(&toks, &mut used, i, CAMERA_ARTICLES, CAMERA_PREPS);
                if let Some(next) = toks.get(i + len) {
                    if CAMERA_NOUNS.contains(&next.norm.as_str()) {
                        used[i + len] = true;
                    }
                }
                camera = Some((i, f));
            }
        }
        i += len;
    }

    let mut out = Parsed::default();
    let mut matched: Vec<(usize, String)> = Vec::new();
    if let Some((pos, range, label)) = merge_dates(&dates) {
        out.taken = Some(range);
        matched.push((pos, format!("taken {label}")));
    }
    if let Some((pos, f, label)) = place {
        out.place = Some(f);
        matched.push((pos, format!("place: {label}")));
    }
    if let Some((pos, f)) = camera {
        matched.push((pos, format!("camera: {}", f.name)));
        out.camera = Some(f);
    }
    matched.sort_by_key(|(pos, _)| *pos);
    out.matched = matched.into_iter().map(|(_, m)| m).collect();

    let mut rest: Vec<&Tok> = toks
        .iter()
        .zip(&used)
        .filter(|(_, u)| !**u)
        .map(|(t, _)| t)
        .collect();
    if out.has_filters() {
        let dangling = |t: &&Tok| matches!(t.norm.as_str(), "and" | "or" | "");
        while rest.first().is_some_and(dangling) {
            rest.remove(0);
        }
        while rest.last().is_some_and(dangling) {
            rest.pop();
        }
        if rest.iter().all(|t| is_filler(&t.norm)) {
            rest.clear();
        }
    }
    out.rest = rest.iter().map(|t| t.raw).collect::<Vec<_>>().join(" ");
    out
}

/// Lowercases `s` and strips diacritics from Latin letters ("São" → "sao", "Straße" →
/// "strasse", "Łódź" → "lodz"); combining marks are dropped. What the parser compares.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().flat_map(char::to_lowercase) {
        let plain = match c {
            'à'..='å' | 'ā' | 'ă' | 'ą' => "a",
            'æ' => "ae",
            'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
            'ð' | 'ď' | 'đ' => "d",
            'è'..='ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
            'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
            'ĥ' | 'ħ' => "h",
            'ì'..='ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => "i",
            'ĵ' => "j",
            'ķ' => "k",
            'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
            'ñ' | 'ń' | 'ņ' | 'ň' => "n",
            'ò'..='ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => "o",
            'œ' => "oe",
            'ŕ' | 'ŗ' | 'ř' => "r",
            'ś' | 'ŝ' | 'ş' | 'š' | 'ș' => "s",
            'ß' => "ss",
            'ţ' | 'ť' | 'ŧ' | 'ț' => "t",
            'þ' => "th",
            'ù'..='ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => "u",
            'ŵ' => "w",
            'ý' | 'ÿ' | 'ŷ' => "y",
            'ź' | 'ż' | 'ž' => "z",
            '\u{2018}' | '\u{2019}' => "'",
            '\u{0300}'..='\u{036f}' => "",
            _ => {
                out.push(c);
                continue;
            }
        };
        out.push_str(plain);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Tokens and word lists

struct Tok<'q> {
    /// As in the query (kept for `rest`).
    raw: &'q str,
    /// Folded, without leading and trailing punctuation ("Paris," → "paris", "-" → "").
    norm: String,
    /// `norm`'s runs of letters and digits ("saint-etienne" → ["saint", "etienne"]).
    words: Vec<String>,
    /// `words` concatenated: what place names are compared by.
    key: String,
    /// Whether the raw token starts with an uppercase letter.
    capitalised: bool,
}

fn tokenize(query: &str) -> Vec<Tok<'_>> {
    query
        .split_whitespace()
        .map(|raw| {
            let folded = fold(raw);
            let norm = folded
                .trim_matches(|c: char| !c.is_alphanumeric())
                .to_string();
            let words = alnum_words(&norm);
            Tok {
                raw,
                key: words.concat(),
                words,
                norm,
                capitalised: raw
                    .chars()
                    .find(|c| c.is_alphanumeric())
                    .is_some_and(char::is_uppercase),
            }
        })
        .collect()
}

fn alnum_words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

const PHOTO_NOUNS: &[&str] = &[
    "photos",
    "photo",
    "pictures",
    "picture",
    "pics",
    "pic",
    "images",
    "image",
    "shots",
    "snaps",
    "snapshots",
];
const VERBS: &[&str] = &["taken", "shot", "captured", "snapped", "made"];
const DATE_PREPS: &[&str] = &["in", "from", "during", "of", "on"];
const PLACE_PREPS: &[&str] = &["in", "at", "of", "from", "near", "around"];
const CAMERA_PREPS: &[&str] = &["with", "on", "using", "by"];
const CAMERA_ARTICLES: &[&str] = &["a", "an", "the", "my", "our"];
const CAMERA_NOUNS: &[&str] = &["camera", "cameras", "phone", "smartphone"];
/// Words that carry nothing for ranking once the filters are gone.
const FILLER: &[&str] = &[
    "show", "me", "all", "my", "our", "some", "any", "find", "search", "for", "and", "or", "the",
    "a", "an", "in", "at", "from", "near", "around", "during", "of", "on", "with", "using", "by",
    "that", "were", "was", "i", "we", "took",
];

fn is_filler(norm: &str) -> bool {
    norm.is_empty()
        || FILLER.contains(&norm)
        || PHOTO_NOUNS.contains(&norm)
        || VERBS.contains(&norm)
}

/// Single words that are also common English words: a place or camera only deliberately.
const COMMON_WORDS: &[&str] = &[
    "nice", "reading", "bath", "split", "mobile", "orange", "cork", "sale", "hope", "derby",
    "phoenix", "turkey", "china", "chile", "jersey", "chad", "jordan", "georgia", "panama",
    "guinea", "victoria", "florence", "pixel", "galaxy", "leader", "best", "mark",
];

/// Right after one of `preps` (an article in between allowed), or capitalised and not first.
fn deliberate(toks: &[Tok], i: usize, articles: &[&str], preps: &[&str]) -> bool {
    if toks[i].capitalised && i > 0 {
        return true;
    }
    let mut k = i;
    if k > 0 && articles.contains(&toks[k - 1].norm.as_str()) {
        k -= 1;
    }
    k > 0 && preps.contains(&toks[k - 1].norm.as_str())
}

/// Marks the glue right before a filter starting at `i` as used: [noun] [verb] [prep] [article].
fn eat_glue_before(toks: &[Tok], used: &mut [bool], i: usize, articles: &[&str], preps: &[&str]) {
    let mut k = i;
    for set in [articles, preps, VERBS, PHOTO_NOUNS] {
        if k > 0 && !used[k - 1] && set.contains(&toks[k - 1].norm.as_str()) {
            k -= 1;
            used[k] = true;
        }
    }
}

enum Found {
    Date(DateMatch),
    Place(PlaceFilter, String),
    Camera(CameraFilter),
}

// ---------------------------------------------------------------------------------------------
// Dates

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 (proleptic Gregorian; H. Hinnant's `days_from_civil`).
fn to_days(d: Date) -> i64 {
    let y = i64::from(d.year) - i64::from(d.month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (i64::from(d.month) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(d.day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn from_days(z: i64) -> Date {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    Date::new(year as i32, month as u8, day as u8)
}

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum MonthWord {
    /// "october": a month even alone.
    Full,
    /// "may", "march": alone only after a date preposition.
    Ambiguous,
    /// "oct": only with a day or year (or this/last).
    Abbrev,
}

fn month_word(s: &str) -> Option<(u8, MonthWord)> {
    if let Some(m) = MONTH_NAMES.iter().position(|n| n.eq_ignore_ascii_case(s)) {
        let kind = if matches!(s, "may" | "march") {
            MonthWord::Ambiguous
        } else {
            MonthWord::Full
        };
        return Some((m as u8 + 1, kind));
    }
    let m = match s {
        "jan" => 1,
        "feb" => 2,
        "mar" => 3,
        "apr" => 4,
        "jun" => 6,
        "jul" => 7,
        "aug" => 8,
        "sep" | "sept" => 9,
        "oct" => 10,
        "nov" => 11,
        "dec" => 12,
        _ => return None,
    };
    Some((m, MonthWord::Abbrev))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Season {
    Spring,
    Summer,
    Autumn,
    Winter,
}

fn season_word(s: &str) -> Option<Season> {
    Some(match s {
        "spring" => Season::Spring,
        "summer" => Season::Summer,
        "autumn" | "fall" => Season::Autumn,
        "winter" => Season::Winter,
        _ => return None,
    })
}

/// Season `s` of year `y` (winter `y` ends in February of `y`).
fn season_range(s: Season, y: i32) -> DateRange {
    let (from, to) = match s {
        Season::Spring => (Date::new(y, 3, 1), Date::new(y, 5, 31)),
        Season::Summer => (Date::new(y, 6, 1), Date::new(y, 8, 31)),
        Season::Autumn => (Date::new(y, 9, 1), Date::new(y, 11, 30)),
        Season::Winter => (Date::new(y - 1, 12, 1), Date::last_of_month(y, 2)),
    };
    DateRange { from, to }
}

/// A date expression: `len` tokens from where it was found.
#[derive(Debug, Clone)]
struct DateMatch {
    len: usize,
    range: DateRange,
    label: String,
    /// A month without a year ("october", resolved to the most recent): in "June to August
    /// 2019" it takes the year of the other end.
    bare_month: Option<u8>,
}

fn dm(len: usize, range: DateRange, label: impl Into<String>) -> DateMatch {
    DateMatch {
        len,
        range,
        label: label.into(),
        bare_month: None,
    }
}

fn norm_at<'t>(toks: &'t [Tok], i: usize) -> &'t str {
    toks.get(i).map_or("", |t| t.norm.as_str())
}

/// A year in `MIN_YEAR..=today.year + 1` written as exactly four digits.
fn year_word(s: &str, today: Date) -> Option<i32> {
    if s.len() != 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let y: i32 = s.parse().ok()?;
    (MIN_YEAR..=today.year + 1).contains(&y).then_some(y)
}

/// A day of the month: "5", "05", "5th", "1st", "22nd", "3rd".
fn day_word(s: &str) -> Option<u8> {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    let (num, suffix) = s.split_at(digits);
    if !(1..=2).contains(&num.len()) || !matches!(suffix, "" | "st" | "nd" | "rd" | "th") {
        return None;
    }
    let d: u8 = num.parse().ok()?;
    (1..=31).contains(&d).then_some(d)
}

fn small_number(s: &str) -> Option<i32> {
    const WORDS: [&str; 10] = [
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    ];
    if matches!(s, "a" | "an") {
        return Some(1);
    }
    if let Some(p) = WORDS.iter().position(|w| *w == s) {
        return Some(p as i32 + 1);
    }
    if (1..=3).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse().ok().filter(|n| *n >= 1);
    }
    None
}

/// Words after a number that make it a quantity, not a year.
const COUNT_WORDS: &[&str] = &[
    "people",
    "persons",
    "km",
    "kms",
    "kilometers",
    "kilometres",
    "miles",
    "mi",
    "meters",
    "metres",
    "m",
    "ft",
    "feet",
    "cm",
    "mm",
    "px",
    "pixels",
    "kg",
    "lbs",
    "pounds",
    "dollars",
    "euros",
    "points",
    "pieces",
    "x",
    "mph",
    "cc",
    "hp",
    "rpm",
    "mah",
    "mp",
    "megapixels",
    "calories",
    "steps",
    "views",
    "likes",
    "followers",
    "words",
    "pages",
    "times",
    "degrees",
];
/// Words before a number that make it a label, not a year.
const NUMBER_PREFIXES: &[&str] = &[
    "number",
    "no",
    "nr",
    "route",
    "rt",
    "highway",
    "hwy",
    "interstate",
    "room",
    "flight",
    "bus",
    "gate",
    "platform",
    "track",
    "pier",
    "row",
    "seat",
    "model",
    "peugeot",
    "apollo",
    "boeing",
];

/// A four-digit token that is a year here, not a quantity.
fn year_token(toks: &[Tok], i: usize, today: Date) -> Option<i32> {
    let t = toks.get(i)?;
    let y = year_word(&t.norm, today)?;
    let core = t.raw.trim_matches(|c: char| ",.;:!?()[]\"'".contains(c));
    if core != t.norm
        || COUNT_WORDS.contains(&norm_at(toks, i + 1))
        || (i > 0 && NUMBER_PREFIXES.contains(&norm_at(toks, i - 1)))
    {
        return None;
    }
    Some(y)
}

/// Prepositions after which "may"/"march" alone are months.
const BARE_MONTH_PREPS: &[&str] = &[
    "in", "during", "since", "before", "after", "until", "till", "from", "through",
];

fn month_label(m: u8, y: i32) -> String {
    format!("{} {y}", MONTH_NAMES[usize::from(m) - 1])
}

/// The most recent `month` that has begun by `today`.
fn recent_month(month: u8, today: Date) -> i32 {
    if month <= today.month {
        today.year
    } else {
        today.year - 1
    }
}

/// One date expression starting at token `i` (no ranges).
fn simple_date(toks: &[Tok], i: usize, today: Date) -> Option<DateMatch> {
    let w0 = norm_at(toks, i);
    let w1 = norm_at(toks, i + 1);
    let w2 = norm_at(toks, i + 2);
    if w0.is_empty() {
        return None;
    }

    // Relative.
    match w0 {
        "today" => return Some(dm(1, DateRange::day(today), "today")),
        "yesterday" => return Some(dm(1, DateRange::day(today.add_days(-1)), "yesterday")),
        "this" | "last" => {
            let last = w0 == "last";
            let range = match w1 {
                "year" => Some(DateRange::year(today.year - i32::from(last))),
                "month" => {
                    let (y, m) = if !last {
                        (today.year, today.month)
                    } else if today.month == 1 {
                        (today.year - 1, 12)
                    } else {
                        (today.year, today.month - 1)
                    };
                    Some(DateRange::month(y, m))
                }
                "week" => {
                    let monday = today.add_days(-(to_days(today) + 3).rem_euclid(7));
                    let monday = monday.add_days(if last { -7 } else { 0 });
                    Some(DateRange {
                        from: monday,
                        to: monday.add_days(6),
                    })
                }
                _ => None,
            };
            if let Some(range) = range {
                return Some(dm(2, range, format!("{w0} {w1}")));
            }
            if let Some(s) = season_word(w1) {
                let range = if last {
                    (today.year - 2..=today.year + 1)
                        .rev()
                        .map(|y| season_range(s, y))
                        .find(|r| r.to < today)?
                } else if s == Season::Winter && today.month == 12 {
                    season_range(s, today.year + 1)
                } else {
                    season_range(s, today.year)
                };
                return Some(dm(2, range, format!("{w0} {w1}")));
            }
            if let Some((m, _)) = month_word(w1) {
                let y = if !last || m < today.month {
                    today.year
                } else {
                    today.year - 1
                };
                let name = MONTH_NAMES[usize::from(m) - 1];
                return Some(dm(2, DateRange::month(y, m), format!("{w0} {name}")));
            }
            return None;
        }
        _ => {}
    }
    if let Some(n) = small_number(w0) {
        if w2 == "ago" {
            match w1 {
                "year" | "years" if today.year - n >= MIN_YEAR => {
                    let range = DateRange::year(today.year - n);
                    return Some(dm(3, range, format!("{w0} {w1} ago")));
                }
                "month" | "months" => {
                    let back = today.year * 12 + i32::from(today.month) - 1 - n;
                    let range =
                        DateRange::month(back.div_euclid(12), (back.rem_euclid(12) + 1) as u8);
                    return Some(dm(3, range, format!("{w0} {w1} ago")));
                }
                _ => {}
            }
        }
    }

    // <day> [of] <month> [of] <year>
    if let Some(d) = day_word(w0) {
        let mut k = i + 1;
        if norm_at(toks, k) == "of" {
            k += 1;
        }
        if let Some((m, _)) = month_word(norm_at(toks, k)) {
            let mut k2 = k + 1;
            if norm_at(toks, k2) == "of" {
                k2 += 1;
            }
            if let Some(y) = year_word(norm_at(toks, k2), today) {
                if d <= days_in_month(y, m) {
                    let date = Date::new(y, m, d);
                    let label = format!("{d} {}", month_label(m, y));
                    return Some(dm(k2 + 1 - i, DateRange::day(date), label));
                }
            }
        }
    }

    if let Some((m, kind)) = month_word(w0) {
        // <month> <day>[,] <year>
        if let (Some(d), Some(y)) = (day_word(w1), year_word(w2, today)) {
            if d <= days_in_month(y, m) {
                let label = format!("{d} {}", month_label(m, y));
                return Some(dm(3, DateRange::day(Date::new(y, m, d)), label));
            }
        }
        // <month> [of] <year>
        let (k, of) = if w1 == "of" { (i + 2, 1) } else { (i + 1, 0) };
        if let Some(y) = year_word(norm_at(toks, k), today) {
            return Some(dm(2 + of, DateRange::month(y, m), month_label(m, y)));
        }
        // <month> alone
        let alone = match kind {
            MonthWord::Full => true,
            MonthWord::Ambiguous => i > 0 && BARE_MONTH_PREPS.contains(&norm_at(toks, i - 1)),
            MonthWord::Abbrev => false,
        };
        if alone {
            let y = recent_month(m, today);
            let mut found = dm(1, DateRange::month(y, m), month_label(m, y));
            found.bare_month = Some(m);
            return Some(found);
        }
        return None;
    }

    // <season> [of] <year>
    if let Some(s) = season_word(w0) {
        let (k, of) = if w1 == "of" { (i + 2, 1) } else { (i + 1, 0) };
        let y = year_word(norm_at(toks, k), today)?;
        return Some(dm(2 + of, season_range(s, y), format!("{w0} {y}")));
    }

    // One token: YYYY-MM-DD, YYYY-MM, YYYY-YYYY, YYYYs, YYYY.
    let parts: Vec<&str> = w0.split(['-', '–', '—']).collect();
    match parts.as_slice() {
        [y, m, d] if m.len() == 2 && d.len() == 2 => {
            let y = year_word(y, today)?;
            let m: u8 = m.parse().ok().filter(|m| (1..=12).contains(m))?;
            let d: u8 = d
                .parse()
                .ok()
                .filter(|d| (1..=days_in_month(y, m)).contains(d))?;
            let date = Date::new(y, m, d);
            return Some(dm(
                1,
                DateRange::day(date),
                format!("{d} {}", month_label(m, y)),
            ));
        }
        [a, b] if b.len() == 2 => {
            let y = year_word(a, today)?;
            let m: u8 = b.parse().ok().filter(|m| (1..=12).contains(m))?;
            return Some(dm(1, DateRange::month(y, m), month_label(m, y)));
        }
        [a, b] => {
            let (a, b) = (year_word(a, today)?, year_word(b, today)?);
            let (a, b) = (a.min(b), a.max(b));
            let range = DateRange {
                from: Date::new(a, 1, 1),
                to: Date::new(b, 12, 31),
            };
            return Some(dm(1, range, format!("{a} to {b}")));
        }
        _ => {}
    }
    if let Some(decade) = w0.strip_suffix("'s").or_else(|| w0.strip_suffix('s')) {
        let y = year_word(decade, today).filter(|y| y % 10 == 0)?;
        let range = DateRange {
            from: Date::new(y, 1, 1),
            to: Date::new(y + 9, 12, 31),
        };
        return Some(dm(1, range, format!("{y}s")));
    }
    let y = year_token(toks, i, today)?;
    Some(dm(1, DateRange::year(y), y.to_string()))
}

/// A date expression or a range of two starting at token `i`.
fn date_at(toks: &[Tok], i: usize, today: Date) -> Option<DateMatch> {
    let w0 = norm_at(toks, i);
    let earliest = Date::new(MIN_YEAR, 1, 1);
    match w0 {
        "between" => {
            let a = simple_date(toks, i + 1, today)?;
            let and = i + 1 + a.len;
            if norm_at(toks, and) == "and" {
                if let Some(b) = simple_date(toks, and + 1, today) {
                    let len = and + 1 + b.len - i;
                    return Some(span(len, a, b));
                }
            }
            return None;
        }
        "since" | "after" | "before" | "until" | "till" => {
            let a = simple_date(toks, i + 1, today)?;
            let range = match w0 {
                "since" => DateRange {
                    from: a.range.from,
                    to: today,
                },
                "after" => DateRange {
                    from: a.range.to.add_days(1),
                    to: today,
                },
                "before" => DateRange {
                    from: earliest,
                    to: a.range.from.add_days(-1),
                },
                _ => DateRange {
                    from: earliest,
                    to: a.range.to,
                },
            };
            return Some(dm(1 + a.len, range, format!("{w0} {}", a.label)));
        }
        _ => {}
    }
    let a = simple_date(toks, i, today)?;
    let sep = i + a.len;
    let is_sep = toks.get(sep).is_some_and(|t| {
        matches!(
            t.norm.as_str(),
            "to" | "until" | "till" | "through" | "thru"
        ) || matches!(t.raw, "-" | "–" | "—")
    });
    if is_sep {
        if let Some(b) = simple_date(toks, sep + 1, today) {
            let len = sep + 1 + b.len - i;
            return Some(span(len, a, b));
        }
    }
    Some(a)
}

/// The range from `a` to `b` (either order); a bare month takes the other end's year.
fn span(len: usize, mut a: DateMatch, b: DateMatch) -> DateMatch {
    if let (Some(m), None) = (a.bare_month, b.bare_month) {
        let (by, bm) = (b.range.from.year, b.range.from.month);
        let y = if m <= bm { by } else { by - 1 };
        a.range = DateRange::month(y, m);
        a.label = month_label(m, y);
    }
    let (first, last) = if a.range.from <= b.range.from {
        (&a, &b)
    } else {
        (&b, &a)
    };
    let range = DateRange {
        from: first.range.from,
        to: a.range.to.max(b.range.to),
    };
    dm(len, range, format!("{} to {}", first.label, last.label))
}

/// All date expressions as one range: (position of the first, range, label).
fn merge_dates(dates: &[(usize, DateMatch)]) -> Option<(usize, DateRange, String)> {
    let (pos, first) = dates.first()?;
    if dates.len() == 1 {
        return Some((*pos, first.range, first.label.clone()));
    }
    let earliest = dates.iter().min_by_key(|(_, d)| d.range.from)?;
    let latest = dates.iter().max_by_key(|(_, d)| d.range.to)?;
    let range = DateRange {
        from: earliest.1.range.from,
        to: latest.1.range.to,
    };
    let label = if earliest.1.label == latest.1.label {
        earliest.1.label.clone()
    } else {
        format!("{} to {}", earliest.1.label, latest.1.label)
    };
    Some((*pos, range, label))
}

// ---------------------------------------------------------------------------------------------
// Places

/// Common English names of countries, by ISO code; the first is the display name. Only used
/// for codes the vocabulary has.
const COUNTRIES: &[(&str, &[&str])] = &[
    ("AE", &["United Arab Emirates", "UAE"]),
    ("AR", &["Argentina"]),
    ("AT", &["Austria"]),
    ("AU", &["Australia"]),
    ("BE", &["Belgium"]),
    ("BG", &["Bulgaria"]),
    ("BR", &["Brazil", "Brasil"]),
    ("CA", &["Canada"]),
    ("CH", &["Switzerland"]),
    ("CL", &["Chile"]),
    ("CN", &["China"]),
    ("CO", &["Colombia"]),
    ("CR", &["Costa Rica"]),
    ("CU", &["Cuba"]),
    ("CY", &["Cyprus"]),
    ("CZ", &["Czech Republic", "Czechia"]),
    ("DE", &["Germany", "Deutschland"]),
    ("DK", &["Denmark"]),
    ("EE", &["Estonia"]),
    ("EG", &["Egypt"]),
    ("ES", &["Spain", "España"]),
    ("FI", &["Finland"]),
    ("FR", &["France"]),
    ("GB", &["United Kingdom", "UK", "Great Britain", "Britain"]),
    ("GR", &["Greece"]),
    ("HK", &["Hong Kong"]),
    ("HR", &["Croatia"]),
    ("HU", &["Hungary"]),
    ("ID", &["Indonesia"]),
    ("IE", &["Ireland"]),
    ("IL", &["Israel"]),
    ("IN", &["India"]),
    ("IS", &["Iceland"]),
    ("IT", &["Italy", "Italia"]),
    ("JO", &["Jordan"]),
    ("JP", &["Japan"]),
    ("KE", &["Kenya"]),
    ("KH", &["Cambodia"]),
    ("KR", &["South Korea", "Korea"]),
    ("LK", &["Sri Lanka"]),
    ("LT", &["Lithuania"]),
    ("LU", &["Luxembourg"]),
    ("LV", &["Latvia"]),
    ("MA", &["Morocco"]),
    ("MT", &["Malta"]),
    ("MV", &["Maldives"]),
    ("MX", &["Mexico"]),
    ("MY", &["Malaysia"]),
    ("NL", &["Netherlands", "Holland"]),
    ("NO", &["Norway"]),
    ("NP", &["Nepal"]),
    ("NZ", &["New Zealand"]),
    ("PE", &["Peru"]),
    ("PH", &["Philippines"]),
    ("PL", &["Poland"]),
    ("PT", &["Portugal"]),
    ("RO", &["Romania"]),
    ("RS", &["Serbia"]),
    ("RU", &["Russia"]),
    ("SE", &["Sweden"]),
    ("SG", &["Singapore"]),
    ("SI", &["Slovenia"]),
    ("SK", &["Slovakia"]),
    ("TH", &["Thailand"]),
    ("TN", &["Tunisia"]),
    ("TR", &["Turkey", "Türkiye"]),
    ("TW", &["Taiwan"]),
    ("TZ", &["Tanzania"]),
    ("UA", &["Ukraine"]),
    ("US", &["United States", "United States of America", "USA"]),
    ("VN", &["Vietnam", "Viet Nam"]),
    ("ZA", &["South Africa"]),
];

#[derive(Clone)]
struct PlaceEntry {
    country: bool,
    name: String,
    code: String,
}

struct PlaceIndex {
    /// Folded letters and digits of a name → the places with it.
    by_key: HashMap<String, Vec<PlaceEntry>>,
    /// Most words in a name: the longest token run worth trying.
    max_words: usize,
}

fn place_key(name: &str) -> String {
    alnum_words(&fold(name)).concat()
}

impl PlaceIndex {
    fn new(places: &[KnownPlace]) -> Self {
        let mut by_key: HashMap<String, Vec<PlaceEntry>> = HashMap::new();
        let mut max_words = 0;
        let mut add = |name: &str, entry: PlaceEntry| {
            let key = place_key(name);
            if key.is_empty() || key.bytes().all(|b| b.is_ascii_digit()) {
                return;
            }
            max_words = max_words.max(alnum_words(&fold(name)).len());
            let list = by_key.entry(key).or_default();
            if !list.iter().any(|e| {
                e.country == entry.country
                    && e.code == entry.code
                    && (e.country || e.name == entry.name)
            }) {
                list.push(entry);
            }
        };
        // The library's own spellings first, so they win over the built-in names.
        for p in places {
            let country = p.kind == PlaceKind::Country;
            add(
                &p.name,
                PlaceEntry {
                    country,
                    name: p.name.clone(),
                    code: p.country_code.clone(),
                },
            );
        }
        for (code, names) in COUNTRIES {
            let Some(own) = places
                .iter()
                .find(|p| p.country_code.eq_ignore_ascii_case(code))
            else {
                continue;
            };
            let display = places
                .iter()
                .find(|p| p.kind == PlaceKind::Country && p.country_code.eq_ignore_ascii_case(code))
                .map_or(names[0], |p| p.name.as_str());
            for name in *names {
                add(
                    name,
                    PlaceEntry {
                        country: true,
                        name: display.to_string(),
                        code: own.country_code.clone(),
                    },
                );
            }
        }
        Self { by_key, max_words }
    }

    /// The longest place starting at token `i`: (tokens, filter, display name).
    fn at(&self, toks: &[Tok], i: usize) -> Option<(usize, PlaceFilter, String)> {
        let (len, entries) = self.longest(toks, i)?;
        if len == 1
            && COMMON_WORDS.contains(&toks[i].norm.as_str())
            && !deliberate(toks, i, &["the"], PLACE_PREPS)
        {
            return None;
        }
        if let Some(c) = entries.iter().find(|e| e.country) {
            let f = PlaceFilter::Country {
                code: c.code.clone(),
                name: c.name.clone(),
            };
            return Some((len, f, c.name.clone()));
        }
        let city = &entries[0];
        // "Paris, France" / "Paris France" / "Paris in France": the city in that country.
        let mut k = i + len;
        if matches!(norm_at(toks, k), "in" | "") && k < toks.len() {
            k += 1;
        }
        if let Some((clen, country)) = self.longest(toks, k) {
            let code = country.iter().find(|c| c.country).map(|c| c.code.clone());
            if let Some(code) = code {
                if let Some(city) = entries.iter().find(|e| e.code.eq_ignore_ascii_case(&code)) {
                    let cname = &country
                        .iter()
                        .find(|c| c.country)
                        .expect("found above")
                        .name;
                    let label = format!("{}, {cname}", city.name);
                    let f = PlaceFilter::City {
                        name: city.name.clone(),
                        country_code: Some(city.code.clone()),
                    };
                    return Some((k + clen - i, f, label));
                }
            }
        }
        let f = PlaceFilter::City {
            name: city.name.clone(),
            country_code: None,
        };
        Some((len, f, city.name.clone()))
    }

    fn longest(&self, toks: &[Tok], i: usize) -> Option<(usize, &Vec<PlaceEntry>)> {
        if toks.get(i)?.key.is_empty() {
            return None;
        }
        let max = self.max_words.min(toks.len() - i);
        (1..=max).rev().find_map(|len| {
            if toks[i + len - 1].key.is_empty() {
                return None;
            }
            let key: String = toks[i..i + len].iter().map(|t| t.key.as_str()).collect();
            self.by_key.get(&key).map(|e| (len, e))
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Cameras

struct CameraEntry {
    raw: String,
    /// Folded words.
    words: Vec<String>,
    /// The same words as the library spells them (for display).
    shown: Vec<String>,
}

impl CameraEntry {
    fn new(raw: &str) -> Self {
        let words = alnum_words(&fold(raw));
        let shown: Vec<String> = raw
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect();
        let shown = if shown.len() == words.len() {
            shown
        } else {
            words.clone()
        };
        Self {
            raw: raw.to_string(),
            words,
            shown,
        }
    }

    /// Where `q` (folded words) is in this entry: its first words, or anywhere if `q` has a
    /// model code (letters and digits, "r5", "d750").
    fn find(&self, q: &[&str]) -> Option<usize> {
        if q.is_empty() || q.len() > self.words.len() {
            return None;
        }
        let at = |p: usize| {
            self.words[p..p + q.len()]
                .iter()
                .zip(q)
                .all(|(a, b)| a == b)
        };
        if at(0) {
            return Some(0);
        }
        let code = q
            .iter()
            .any(|w| w.chars().any(|c| c.is_ascii_digit()) && w.chars().any(char::is_alphabetic));
        if code {
            return (1..=self.words.len() - q.len()).find(|&p| at(p));
        }
        None
    }
}

/// Words that do not name a camera on their own.
const GENERIC_CAMERA_WORDS: &[&str] = &[
    "camera",
    "digital",
    "the",
    "pro",
    "mini",
    "plus",
    "max",
    "ultra",
    "lite",
    "mark",
    "ii",
    "iii",
    "iv",
    "corporation",
    "corp",
    "inc",
    "co",
    "ltd",
    "company",
    "edition",
    "phone",
    "mobile",
    "se",
    "air",
    "new",
    "and",
    "of",
    "with",
    "on",
    "in",
    "a",
    "an",
];

fn distinctive(words: &[&str]) -> bool {
    words.iter().any(|w| {
        w.chars().count() >= 2
            && !w.bytes().all(|b| b.is_ascii_digit())
            && !GENERIC_CAMERA_WORDS.contains(w)
    })
}

/// (alias, make's first word, display name): makes that a word names without being in it.
const CAMERA_ALIASES: &[(&str, &str, &str)] = &[
    ("iphone", "apple", "iPhone"),
    ("ipad", "apple", "iPad"),
    ("pixel", "google", "Google Pixel"),
    ("galaxy", "samsung", "Samsung Galaxy"),
];

fn camera_at(toks: &[Tok], i: usize, cameras: &[CameraEntry]) -> Option<(usize, CameraFilter)> {
    if cameras.is_empty() || toks[i].key.is_empty() {
        return None;
    }
    let ok = |len: usize| {
        len > 1
            || !COMMON_WORDS.contains(&toks[i].norm.as_str())
            || deliberate(toks, i, CAMERA_ARTICLES, CAMERA_PREPS)
    };
    let max = 6.min(toks.len() - i);
    for len in (1..=max).rev() {
        if toks[i + len - 1].key.is_empty() {
            continue;
        }
        let q: Vec<&str> = toks[i..i + len]
            .iter()
            .flat_map(|t| t.words.iter().map(String::as_str))
            .collect();
        if !distinctive(&q) {
            continue;
        }
        let mut hits: Vec<(&CameraEntry, usize)> = cameras
            .iter()
            .filter_map(|e| e.find(&q).map(|p| (e, p)))
            .collect();
        if hits.is_empty() {
            continue;
        }
        if !ok(len) {
            return None;
        }
        hits.sort_by_key(|(e, _)| e.words.len());
        let (e, p) = hits[0];
        let name = e.shown[p..p + q.len()].join(" ");
        let entries = hits.iter().map(|(e, _)| e.raw.clone()).collect();
        return Some((len, CameraFilter { name, entries }));
    }
    let (alias, make, name) = CAMERA_ALIASES.iter().find(|(a, _, _)| *a == toks[i].norm)?;
    let entries: Vec<String> = cameras
        .iter()
        .filter(|e| {
            e.words.first().is_some_and(|w| w == make) || e.words.iter().any(|w| w == alias)
        })
        .map(|e| e.raw.clone())
        .collect();
    if entries.is_empty() || !ok(1) {
        return None;
    }
    Some((
        1,
        CameraFilter {
            name: (*name).to_string(),
            entries,
        },
    ))
}

#[cfg(test)]
mod tests;
