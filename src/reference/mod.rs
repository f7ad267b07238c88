//! Reference data shipped with Liaison as CSV files under `data/`: ISO
//! 3166-1 countries and GB/T 4754-2017 industries, each named in the four
//! languages. Read once from the binary, never changed at run time.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::i18n::Locale;

/// Names of one code in the four languages.
#[derive(Debug, Clone, Deserialize)]
pub struct Names {
    pub name_zh: String,
    pub name_ja: String,
    pub name_ko: String,
    pub name_en: String,
}

impl Names {
    pub fn get(&self, locale: Locale) -> &str {
        match locale {
            Locale::ZhCn => &self.name_zh,
            Locale::Ja => &self.name_ja,
            Locale::Ko => &self.name_ko,
            Locale::En => &self.name_en,
        }
    }
}

#[derive(Debug, Deserialize)]
struct CountryRow {
    code: String,
    #[serde(flatten)]
    names: Names,
}

/// A section (A–T) or division (01–97) of GB/T 4754-2017.
#[derive(Debug, Clone, Deserialize)]
pub struct Industry {
    pub code: String,
    pub level: String,
    pub parent: String,
    #[serde(flatten)]
    pub names: Names,
}

const COUNTRIES_CSV: &str = include_str!("../../data/countries.csv");
const DISTRICTS_CSV: &str = include_str!("../../data/districts.csv");
const INDUSTRIES_CSV: &str = include_str!("../../data/industries.csv");

fn read<T: for<'de> Deserialize<'de>>(name: &str, text: &str) -> Vec<T> {
    csv::Reader::from_reader(text.as_bytes())
        .deserialize()
        .collect::<Result<Vec<T>, _>>()
        // The files are part of the source tree and tested; a broken one is a build defect.
        .unwrap_or_else(|e| panic!("data/{name} is malformed: {e}"))
}

fn countries() -> &'static HashMap<String, Names> {
    static COUNTRIES: OnceLock<HashMap<String, Names>> = OnceLock::new();
    COUNTRIES.get_or_init(|| {
        read::<CountryRow>("countries.csv", COUNTRIES_CSV)
            .into_iter()
            .map(|r| (r.code, r.names))
            .collect()
    })
}

/// Whether `code` is an assigned ISO 3166-1 alpha-2 code.
pub fn is_country(code: &str) -> bool {
    countries().contains_key(code)
}

/// The country's name in `locale`, or the code itself if unknown.
pub fn country_name(code: &str, locale: Locale) -> String {
    countries()
        .get(code)
        .map(|n| n.get(locale).to_string())
        .unwrap_or_else(|| code.to_string())
}

/// The city's districts and zones: (code, names), in the file's order.
pub fn districts() -> &'static [(String, Names)] {
    static DISTRICTS: OnceLock<Vec<(String, Names)>> = OnceLock::new();
    DISTRICTS.get_or_init(|| {
        read::<CountryRow>("districts.csv", DISTRICTS_CSV)
            .into_iter()
            .map(|r| (r.code, r.names))
            .collect()
    })
}

pub fn is_district(code: &str) -> bool {
    districts().iter().any(|(c, _)| c == code)
}

pub fn district_name(code: &str, locale: Locale) -> String {
    districts()
        .iter()
        .find(|(c, _)| c == code)
        .map(|(_, n)| n.get(locale).to_string())
        .unwrap_or_else(|| code.to_string())
}

/// Every assigned country code with its name in `locale`, sorted by name.
pub fn countries_by_name(locale: Locale) -> Vec<(&'static str, &'static str)> {
    let mut all: Vec<(&str, &str)> = countries()
        .iter()
        .map(|(c, n)| (c.as_str(), n.get(locale)))
        .collect();
    all.sort_by(|a, b| a.1.cmp(b.1));
    all
}

/// Sections and divisions in the standard's order.
pub fn industries() -> &'static [Industry] {
    static INDUSTRIES: OnceLock<Vec<Industry>> = OnceLock::new();
    INDUSTRIES.get_or_init(|| read("industries.csv", INDUSTRIES_CSV))
}

pub fn industry(code: &str) -> Option<&'static Industry> {
    industries().iter().find(|i| i.code == code)
}

/// A country code from a code or a name in any of the four languages.
pub fn country_code_from(text: &str) -> Option<String> {
    let text = text.trim();
    let upper = text.to_ascii_uppercase();
    if is_country(&upper) {
        return Some(upper);
    }
    countries()
        .iter()
        .find(|(_, n)| {
            [&n.name_zh, &n.name_ja, &n.name_ko, &n.name_en]
                .iter()
                .any(|name| name.eq_ignore_ascii_case(text))
        })
        .map(|(code, _)| code.clone())
}

/// A district code from a code or a name in any of the four languages.
pub fn district_code_from(text: &str) -> Option<String> {
    let text = text.trim();
    districts()
        .iter()
        .find(|(code, n)| {
            code.eq_ignore_ascii_case(text)
                || [&n.name_zh, &n.name_ja, &n.name_ko, &n.name_en]
                    .iter()
                    .any(|name| name.eq_ignore_ascii_case(text))
        })
        .map(|(code, _)| code.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countries_are_complete_and_named_in_four_languages() {
        assert_eq!(countries().len(), 249);
        assert!(is_country("JP") && is_country("KR") && !is_country("XX") && !is_country("jp"));
        assert_eq!(country_name("KR", Locale::ZhCn), "韩国");
        assert_eq!(country_name("JP", Locale::En), "Japan");
        assert!(countries().values().all(|n| {
            [Locale::ZhCn, Locale::Ja, Locale::Ko, Locale::En]
                .iter()
                .all(|l| !n.get(*l).is_empty())
        }));
    }

    #[test]
    fn industries_have_twenty_sections_and_ninety_seven_divisions() {
        let all = industries();
        assert_eq!(all.iter().filter(|i| i.level == "section").count(), 20);
        assert_eq!(all.iter().filter(|i| i.level == "division").count(), 97);
        let cars = industry("36").unwrap();
        assert_eq!(
            (cars.parent.as_str(), cars.names.name_zh.as_str()),
            ("C", "汽车制造业")
        );
        for division in all.iter().filter(|i| i.level == "division") {
            assert!(
                industry(&division.parent).is_some_and(|p| p.level == "section"),
                "{}",
                division.code
            );
        }
    }
}
