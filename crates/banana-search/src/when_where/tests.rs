//! Table-driven tests of the query parser. Today is Monday 2024-07-15 unless a test says
//! otherwise.

use super::*;

const TODAY: Date = Date::new(2024, 7, 15);

fn place(name: &str, kind: PlaceKind, code: &str) -> KnownPlace {
    KnownPlace {
        name: name.to_string(),
        kind,
        country_code: code.to_string(),
    }
}

fn places() -> Vec<KnownPlace> {
    use PlaceKind::{City, Country};
    vec![
        place("Paris", City, "FR"),
        place("France", Country, "FR"),
        place("Nice", City, "FR"),
        place("Saint-Étienne", City, "FR"),
        place("Tokyo", City, "JP"),
        place("São Paulo", City, "BR"),
        place("New York", City, "US"),
        place("New York City", City, "US"),
        place("Mexico City", City, "MX"),
        place("Reading", City, "GB"),
    ]
}

fn cameras() -> Vec<String> {
    [
        "Canon",
        "Canon EOS 5D Mark II",
        "Canon EOS R5",
        "NIKON CORPORATION",
        "NIKON D750",
        "Apple",
        "iPhone 13 Pro",
        "iPhone 8",
        "samsung",
        "SM-G991B",
        "Google",
        "Pixel 7",
        "FUJIFILM",
        "X-T3",
    ]
    .map(String::from)
    .to_vec()
}

fn parse_with(q: &str, today: Date, places: &[KnownPlace], cameras: &[String]) -> Parsed {
    parse(q, today, &Vocabulary { places, cameras })
}

fn p(q: &str) -> Parsed {
    parse_with(q, TODAY, &places(), &cameras())
}

type Shown = Option<(String, String)>;

fn range(from: &str, to: &str) -> Shown {
    Some((from.to_string(), to.to_string()))
}

fn shown(r: Option<DateRange>) -> Shown {
    r.map(|r| (r.from.to_string(), r.to.to_string()))
}

/// (query, rest, matched)
#[test]
fn rest_and_matched() {
    let cases: &[(&str, &str, &[&str])] = &[
        // Nothing to parse.
        ("", "", &[]),
        ("   ", "", &[]),
        ("the a of in", "the a of in", &[]),
        ("show me photos", "show me photos", &[]),
        ("a man in red", "a man in red", &[]),
        ("  a   beach   ", "a beach", &[]),
        // Years.
        ("2008", "", &["taken 2008"]),
        ("in 2008", "", &["taken 2008"]),
        ("from 2019", "", &["taken 2019"]),
        ("photos from 2019", "", &["taken 2019"]),
        ("a beach in 2019", "a beach", &["taken 2019"]),
        ("a beach 2019", "a beach", &["taken 2019"]),
        ("beach pictures 2019", "beach", &["taken 2019"]),
        ("cats and dogs in 2019", "cats and dogs", &["taken 2019"]),
        ("2025", "", &["taken 2025"]),
        ("(2008)", "", &["taken 2008"]),
        // Numbers that are not years.
        ("3 cats", "3 cats", &[]),
        ("1000 islands", "1000 islands", &[]),
        ("1799", "1799", &[]),
        ("2026", "2026", &[]),
        ("20080", "20080", &[]),
        ("2000 km road trip", "2000 km road trip", &[]),
        ("1920 x 1080 wallpaper", "1920 x 1080 wallpaper", &[]),
        ("route 2008", "route 2008", &[]),
        ("$2000 watch", "$2000 watch", &[]),
        ("2000% growth", "2000% growth", &[]),
        ("10/05/2008", "10/05/2008", &[]),
        // Months.
        ("October 2008", "", &["taken October 2008"]),
        ("oct 2008", "", &["taken October 2008"]),
        ("Oct. 2008", "", &["taken October 2008"]),
        ("october of 2008", "", &["taken October 2008"]),
        ("taken in july 2021", "", &["taken July 2021"]),
        ("dogs in October", "dogs", &["taken October 2023"]),
        ("july", "", &["taken July 2024"]),
        ("oct", "oct", &[]),
        ("may", "may", &[]),
        ("what may happen", "what may happen", &[]),
        ("in may", "", &["taken May 2024"]),
        ("may 2019", "", &["taken May 2019"]),
        ("protest march", "protest march", &[]),
        ("march 2020", "", &["taken March 2020"]),
        ("MARCH 2020", "", &["taken March 2020"]),
        ("in march", "", &["taken March 2024"]),
        // Days.
        ("5 October 2008", "", &["taken 5 October 2008"]),
        ("October 5, 2008", "", &["taken 5 October 2008"]),
        ("on the 5th of oct 2008", "", &["taken 5 October 2008"]),
        ("2008-10-05", "", &["taken 5 October 2008"]),
        ("2008-10", "", &["taken October 2008"]),
        ("31 February 2008", "31", &["taken February 2008"]),
        // Seasons.
        ("summer 2019", "", &["taken summer 2019"]),
        ("in the summer of 2019", "", &["taken summer 2019"]),
        ("winter 2020", "", &["taken winter 2020"]),
        ("fall 2019", "", &["taken fall 2019"]),
        ("autumn 2019", "", &["taken autumn 2019"]),
        ("fall", "fall", &[]),
        ("waterfall", "waterfall", &[]),
        ("beach in summer", "beach in summer", &[]),
        ("spring flowers", "spring flowers", &[]),
        // Relative.
        ("last summer", "", &["taken last summer"]),
        ("this year", "", &["taken this year"]),
        ("photos from last year", "", &["taken last year"]),
        ("this month", "", &["taken this month"]),
        ("last month", "", &["taken last month"]),
        ("today", "", &["taken today"]),
        ("yesterday", "", &["taken yesterday"]),
        ("last week", "", &["taken last week"]),
        ("2 years ago", "", &["taken 2 years ago"]),
        ("a year ago", "", &["taken a year ago"]),
        ("three months ago", "", &["taken three months ago"]),
        ("last october", "", &["taken last October"]),
        ("this december", "", &["taken this December"]),
        ("last", "last", &[]),
        ("the last supper", "the last supper", &[]),
        // Ranges.
        ("2018-2020", "", &["taken 2018 to 2020"]),
        ("2018–2020", "", &["taken 2018 to 2020"]),
        ("2018 to 2020", "", &["taken 2018 to 2020"]),
        ("from 2018 to 2020", "", &["taken 2018 to 2020"]),
        ("2018 - 2020", "", &["taken 2018 to 2020"]),
        ("between 2018 and 2020", "", &["taken 2018 to 2020"]),
        ("2020 to 2018", "", &["taken 2018 to 2020"]),
        (
            "June to August 2019",
            "",
            &["taken June 2019 to August 2019"],
        ),
        ("since 2018", "", &["taken since 2018"]),
        ("before 2010", "", &["taken before 2010"]),
        ("after 2015", "", &["taken after 2015"]),
        ("until 2010", "", &["taken until 2010"]),
        ("since", "since", &[]),
        (
            "trip from 2018 to Paris",
            "trip to",
            &["taken 2018", "place: Paris"],
        ),
        ("1990s", "", &["taken 1990s"]),
        ("the 1990s", "", &["taken 1990s"]),
        ("1995s", "1995s", &[]),
        // Two dates: one spanning range.
        ("2008 2009", "", &["taken 2008 to 2009"]),
        ("2008 and 2012", "", &["taken 2008 to 2012"]),
        ("2012 and 2008", "", &["taken 2008 to 2012"]),
        ("October 2008 2008", "", &["taken 2008"]),
        ("2019 2019", "", &["taken 2019"]),
        // Places.
        ("in Paris", "", &["place: Paris"]),
        ("photos in France", "", &["place: France"]),
        ("Tokyo", "", &["place: Tokyo"]),
        ("tokyo", "", &["place: Tokyo"]),
        ("TOKYO", "", &["place: Tokyo"]),
        ("Sao Paulo", "", &["place: São Paulo"]),
        ("são paulo", "", &["place: São Paulo"]),
        ("saint etienne", "", &["place: Saint-Étienne"]),
        ("New York City", "", &["place: New York City"]),
        ("new york skyline", "skyline", &["place: New York"]),
        ("Mexico City", "", &["place: Mexico City"]),
        ("Paris, France", "", &["place: Paris, France"]),
        ("Paris France", "", &["place: Paris, France"]),
        ("Paris in France", "", &["place: Paris, France"]),
        ("Paris in 2019", "", &["place: Paris", "taken 2019"]),
        ("united states", "", &["place: United States"]),
        ("the USA", "", &["place: United States"]),
        (
            "at the beach in the USA",
            "at the beach",
            &["place: United States"],
        ),
        ("photos of us", "photos of us", &[]),
        ("Germany", "Germany", &[]),
        ("Berlin", "Berlin", &[]),
        ("Paris Tokyo", "Tokyo", &["place: Paris"]),
        ("a nice beach", "a nice beach", &[]),
        ("Nice beach", "Nice beach", &[]),
        ("beach in nice", "beach", &["place: Nice"]),
        ("sunset Nice", "sunset", &["place: Nice"]),
        ("reading a book", "reading a book", &[]),
        ("show me photos taken in Paris", "", &["place: Paris"]),
        ("the streets of Paris", "the streets", &["place: Paris"]),
        // Cameras.
        ("taken with a Canon", "", &["camera: Canon"]),
        ("canon", "", &["camera: Canon"]),
        ("Nikon", "", &["camera: NIKON"]),
        ("nikon corporation", "", &["camera: NIKON CORPORATION"]),
        ("shot on iPhone", "", &["camera: iPhone"]),
        ("iphone 13 pro", "", &["camera: iPhone 13 Pro"]),
        ("cat iPhone 8", "cat", &["camera: iPhone 8"]),
        ("eos r5", "", &["camera: EOS R5"]),
        ("d750", "", &["camera: D750"]),
        ("x-t3", "", &["camera: X T3"]),
        ("pro skateboarder", "pro skateboarder", &[]),
        ("mark", "mark", &[]),
        ("x", "x", &[]),
        ("pixel art", "pixel art", &[]),
        ("shot on a pixel", "", &["camera: Pixel"]),
        ("pixel 7", "", &["camera: Pixel 7"]),
        ("galaxy", "galaxy", &[]),
        ("shot on my galaxy", "", &["camera: Samsung Galaxy"]),
        ("a Canon camera", "", &["camera: Canon"]),
        ("dogs with a Canon", "dogs", &["camera: Canon"]),
        ("canon nikon", "nikon", &["camera: Canon"]),
        // Everything at once.
        (
            "a beach in Paris in 2019 with a Canon",
            "a beach",
            &["place: Paris", "taken 2019", "camera: Canon"],
        ),
        (
            "dogs shot on iPhone last summer",
            "dogs",
            &["camera: iPhone", "taken last summer"],
        ),
        (
            "Tokyo October 2008 iphone",
            "",
            &["place: Tokyo", "taken October 2008", "camera: iPhone"],
        ),
        (
            "2019 Tokyo and Paris",
            "Paris",
            &["taken 2019", "place: Tokyo"],
        ),
    ];
    let mut failures = Vec::new();
    for (q, rest, matched) in cases {
        let got = p(q);
        if got.rest != *rest || got.matched != *matched {
            failures.push(format!(
                "{q:?}: got rest {:?} matched {:?}, want {rest:?} {matched:?}",
                got.rest, got.matched
            ));
        }
        assert_eq!(got.has_filters(), !got.matched.is_empty(), "{q:?}");
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// (query, taken)
#[test]
fn taken_ranges() {
    let cases: &[(&str, Shown)] = &[
        ("2008", range("2008-01-01", "2008-12-31")),
        ("October 2008", range("2008-10-01", "2008-10-31")),
        ("feb 2024", range("2024-02-01", "2024-02-29")),
        ("feb 2023", range("2023-02-01", "2023-02-28")),
        ("july", range("2024-07-01", "2024-07-31")),
        ("august", range("2023-08-01", "2023-08-31")),
        ("in may", range("2024-05-01", "2024-05-31")),
        ("5 October 2008", range("2008-10-05", "2008-10-05")),
        ("29 feb 2024", range("2024-02-29", "2024-02-29")),
        ("spring 2019", range("2019-03-01", "2019-05-31")),
        ("summer 2019", range("2019-06-01", "2019-08-31")),
        ("fall 2019", range("2019-09-01", "2019-11-30")),
        ("winter 2020", range("2019-12-01", "2020-02-29")),
        ("winter 2019", range("2018-12-01", "2019-02-28")),
        ("last summer", range("2023-06-01", "2023-08-31")),
        ("this summer", range("2024-06-01", "2024-08-31")),
        ("last winter", range("2023-12-01", "2024-02-29")),
        ("last spring", range("2024-03-01", "2024-05-31")),
        ("last fall", range("2023-09-01", "2023-11-30")),
        ("this winter", range("2023-12-01", "2024-02-29")),
        ("this year", range("2024-01-01", "2024-12-31")),
        ("last year", range("2023-01-01", "2023-12-31")),
        ("this month", range("2024-07-01", "2024-07-31")),
        ("last month", range("2024-06-01", "2024-06-30")),
        ("this week", range("2024-07-15", "2024-07-21")),
        ("last week", range("2024-07-08", "2024-07-14")),
        ("today", range("2024-07-15", "2024-07-15")),
        ("yesterday", range("2024-07-14", "2024-07-14")),
        ("2 years ago", range("2022-01-01", "2022-12-31")),
        ("three months ago", range("2024-04-01", "2024-04-30")),
        ("ten months ago", range("2023-09-01", "2023-09-30")),
        ("last october", range("2023-10-01", "2023-10-31")),
        ("last june", range("2024-06-01", "2024-06-30")),
        ("last july", range("2023-07-01", "2023-07-31")),
        ("this december", range("2024-12-01", "2024-12-31")),
        ("2018-2020", range("2018-01-01", "2020-12-31")),
        ("between 2018 and 2020", range("2018-01-01", "2020-12-31")),
        (
            "October 2008 to March 2009",
            range("2008-10-01", "2009-03-31"),
        ),
        ("June to August 2019", range("2019-06-01", "2019-08-31")),
        (
            "November to February 2020",
            range("2019-11-01", "2020-02-29"),
        ),
        ("since 2018", range("2018-01-01", "2024-07-15")),
        ("since may", range("2024-05-01", "2024-07-15")),
        ("after 2015", range("2016-01-01", "2024-07-15")),
        ("before 2010", range("1800-01-01", "2009-12-31")),
        ("until 2010", range("1800-01-01", "2010-12-31")),
        ("1990s", range("1990-01-01", "1999-12-31")),
        ("2008 2009", range("2008-01-01", "2009-12-31")),
        ("2008 and 2012", range("2008-01-01", "2012-12-31")),
        ("summer 2019 and 2008", range("2008-01-01", "2019-08-31")),
        ("3 cats", None),
        ("beach in summer", None),
    ];
    for (q, want) in cases {
        assert_eq!(shown(p(q).taken), *want, "{q:?}");
    }
    let after = p("after 2025").taken.expect("a range");
    assert!(after.is_empty(), "after next year: nothing yet");
}

#[test]
fn relative_dates_around_new_year() {
    let jan = Date::new(2024, 1, 10);
    let dec = Date::new(2024, 12, 10);
    let cases: &[(Date, &str, Shown)] = &[
        (jan, "last month", range("2023-12-01", "2023-12-31")),
        (jan, "last summer", range("2023-06-01", "2023-08-31")),
        (jan, "last winter", range("2022-12-01", "2023-02-28")),
        (jan, "this winter", range("2023-12-01", "2024-02-29")),
        (jan, "last week", range("2024-01-01", "2024-01-07")),
        (jan, "july", range("2023-07-01", "2023-07-31")),
        (jan, "last january", range("2023-01-01", "2023-01-31")),
        (jan, "two months ago", range("2023-11-01", "2023-11-30")),
        (jan, "yesterday", range("2024-01-09", "2024-01-09")),
        (
            Date::new(2024, 1, 1),
            "yesterday",
            range("2023-12-31", "2023-12-31"),
        ),
        (
            Date::new(2024, 3, 1),
            "yesterday",
            range("2024-02-29", "2024-02-29"),
        ),
        (dec, "this winter", range("2024-12-01", "2025-02-28")),
        (dec, "last winter", range("2023-12-01", "2024-02-29")),
        (dec, "last fall", range("2024-09-01", "2024-11-30")),
        (dec, "2025", range("2025-01-01", "2025-12-31")),
    ];
    for (today, q, want) in cases {
        let got = parse_with(q, *today, &[], &[]);
        assert_eq!(shown(got.taken), *want, "{q:?} on {today}");
    }
    assert_eq!(
        parse_with("2026", dec, &[], &[]).rest,
        "2026",
        "two years ahead is no year"
    );
}

#[test]
fn place_filters() {
    let city = |name: &str, code: Option<&str>| {
        Some(PlaceFilter::City {
            name: name.to_string(),
            country_code: code.map(str::to_string),
        })
    };
    let country = |code: &str, name: &str| {
        Some(PlaceFilter::Country {
            code: code.to_string(),
            name: name.to_string(),
        })
    };
    let cases: &[(&str, Option<PlaceFilter>)] = &[
        ("in Paris", city("Paris", None)),
        ("Paris, France", city("Paris", Some("FR"))),
        ("photos in France", country("FR", "France")),
        ("sao paulo", city("São Paulo", None)),
        ("usa", country("US", "United States")),
        ("in holland", None),
        ("Brazil", country("BR", "Brazil")),
        ("Japan", country("JP", "Japan")),
        ("UK", country("GB", "United Kingdom")),
        ("beach", None),
    ];
    for (q, want) in cases {
        assert_eq!(p(q).place, *want, "{q:?}");
    }

    // Only the caller's own places: no Paris, no filter.
    let got = parse_with(
        "photos in Paris",
        TODAY,
        &[place("Tokyo", PlaceKind::City, "JP")],
        &[],
    );
    assert_eq!((got.place, got.rest.as_str()), (None, "photos in Paris"));
    let got = parse_with("Paris", TODAY, &[], &[]);
    assert_eq!((got.place, got.rest.as_str()), (None, "Paris"));

    // Two cities of one name: any of them, unless the country says which.
    let two = [
        place("Paris", PlaceKind::City, "FR"),
        place("Paris", PlaceKind::City, "US"),
    ];
    assert_eq!(
        parse_with("Paris", TODAY, &two, &[]).place,
        city("Paris", None)
    );
    let got = parse_with("Paris, United States", TODAY, &two, &[]);
    assert_eq!(got.place, city("Paris", Some("US")));
    assert_eq!(got.matched, ["place: Paris, United States"]);

    // A city that is also a country: the country.
    let sg = [place("Singapore", PlaceKind::City, "SG")];
    assert_eq!(
        parse_with("singapore", TODAY, &sg, &[]).place,
        country("SG", "Singapore")
    );

    // Lower-case codes in the vocabulary are kept as given.
    let lower = [place("Lyon", PlaceKind::City, "fr")];
    assert_eq!(
        parse_with("France", TODAY, &lower, &[]).place,
        country("fr", "France")
    );
}

#[test]
fn camera_filters() {
    let entries = |q: &str| {
        let mut e = p(q).camera.map(|c| c.entries).unwrap_or_default();
        e.sort();
        e
    };
    assert_eq!(
        entries("canon"),
        ["Canon", "Canon EOS 5D Mark II", "Canon EOS R5"]
    );
    assert_eq!(entries("canon eos 5d mark ii"), ["Canon EOS 5D Mark II"]);
    assert_eq!(entries("nikon"), ["NIKON CORPORATION", "NIKON D750"]);
    assert_eq!(entries("iphone"), ["iPhone 13 Pro", "iPhone 8"]);
    assert_eq!(entries("eos r5"), ["Canon EOS R5"]);
    assert_eq!(
        entries("shot on a galaxy"),
        ["samsung"],
        "the make, not unrelated models"
    );
    assert_eq!(
        entries("eos"),
        Vec::<String>::new(),
        "a model word without a code is not enough"
    );
    assert_eq!(entries("13 pro"), Vec::<String>::new());

    // No iPhone model in the library, but the make: the alias names Apple.
    let apple = ["Apple".to_string()];
    let got = parse_with("taken with an iphone", TODAY, &[], &apple);
    assert_eq!(
        got.camera,
        Some(CameraFilter {
            name: "iPhone".to_string(),
            entries: vec!["Apple".to_string()],
        })
    );
    assert_eq!(got.rest, "");

    // No cameras in the library: nothing is a camera.
    let got = parse_with("taken with a Canon", TODAY, &[], &[]);
    assert_eq!(
        (got.camera, got.rest.as_str()),
        (None, "taken with a Canon")
    );
    // An alias whose make the library lacks.
    let got = parse_with("shot on my galaxy", TODAY, &[], &["Canon".to_string()]);
    assert_eq!(got.camera, None);
}

#[test]
fn only_filters_leave_an_empty_rest() {
    for q in [
        "2019",
        "photos from 2019",
        "pictures taken in Paris in 2019 with my iPhone",
        "show me all my photos from last summer",
        "Paris and 2019",
        "images shot on a Canon camera in Tokyo",
    ] {
        let got = p(q);
        assert!(got.has_filters(), "{q:?}");
        assert_eq!(got.rest, "", "{q:?}");
    }
}

#[test]
fn fold_lowercases_and_strips_diacritics() {
    let cases = [
        ("São Paulo", "sao paulo"),
        ("Zürich", "zurich"),
        ("Straße", "strasse"),
        ("Łódź", "lodz"),
        ("ÉCOLE", "ecole"),
        ("Sa\u{0303}o", "sao"),
        ("Kraków", "krakow"),
        ("Ærø", "aero"),
        ("İstanbul", "istanbul"),
        ("Tokyo", "tokyo"),
        ("東京", "東京"),
        ("it’s", "it's"),
    ];
    for (s, want) in cases {
        assert_eq!(fold(s), want, "{s:?}");
    }
}

#[test]
fn day_arithmetic_round_trips() {
    assert_eq!(to_days(Date::new(1970, 1, 1)), 0);
    assert_eq!(from_days(0), Date::new(1970, 1, 1));
    assert_eq!(to_days(Date::new(2000, 3, 1)), 11_017);
    let start = to_days(Date::new(1799, 12, 25));
    let mut prev = from_days(start - 1);
    for z in start..start + 250 * 366 {
        let d = from_days(z);
        assert_eq!(to_days(d), z);
        assert!(
            d > prev && d.day >= 1 && d.day <= days_in_month(d.year, d.month),
            "{d}"
        );
        prev = d;
    }
    assert_eq!(Date::new(2024, 2, 28).add_days(1), Date::new(2024, 2, 29));
    assert_eq!(Date::new(2023, 12, 31).add_days(1), Date::new(2024, 1, 1));
    assert_eq!(Date::new(1900, 3, 1).add_days(-1), Date::new(1900, 2, 28));
    assert_eq!(Date::last_of_month(2000, 2), Date::new(2000, 2, 29));
}

#[test]
fn date_range_helpers() {
    let r = DateRange::month(2024, 2);
    assert!(r.contains(Date::new(2024, 2, 29)));
    assert!(!r.contains(Date::new(2024, 3, 1)));
    assert!(!r.is_empty());
    assert_eq!(DateRange::year(2008).to, Date::new(2008, 12, 31));
    assert_eq!(Date::new(2008, 10, 5).to_string(), "2008-10-05");
}

/// Odd and truncated inputs: no panic, and `rest` is always the query's own tokens, in order.
#[test]
fn odd_inputs_keep_rest_a_subsequence_of_the_query() {
    let queries = [
        "-",
        "–",
        "to",
        "between",
        "between 2018",
        "between 2018 and",
        "between and 2018",
        "since",
        "since since 2018",
        "2018 to",
        "to 2018",
        "5",
        "5 of",
        "5 of may",
        "31 may",
        "0000",
        "9999",
        "2008-13",
        "2008-02-30",
        "2008-2",
        "2008-",
        "-2008",
        "x-",
        "'s",
        "s",
        "1990's",
        "of",
        "the",
        "last last",
        "ago",
        "a years ago",
        "0 years ago",
        "999 years ago",
        "this this year",
        "last winter winter",
        "Paris,",
        ",Paris",
        "Paris,,France",
        "in in in Paris",
        "with with a a Canon",
        "camera",
        "canon camera camera",
        "東京 2019",
        "🙂 2019 🙂",
        "iphone iphone",
        "New",
        "New York City City",
        "and",
        "and 2019 or",
        "photos photos",
        "2019 2019 2019",
        "oct. 5, 2008,",
        "2008-10-05-01",
    ];
    for q in queries {
        let got = p(q);
        let words: Vec<&str> = q.split_whitespace().collect();
        let mut rest = got.rest.split_whitespace().peekable();
        for w in &words {
            if rest.peek() == Some(w) {
                rest.next();
            }
        }
        assert!(rest.next().is_none(), "{q:?}: rest {:?}", got.rest);
        assert_eq!(got.has_filters(), !got.matched.is_empty(), "{q:?}");
        if let Some(r) = got.taken {
            assert!(r.from.year >= MIN_YEAR, "{q:?}: {r:?}");
        }
    }
    assert_eq!(p("999 years ago").taken, None);
    assert_eq!(p("2008-02-30").taken, None);
}
