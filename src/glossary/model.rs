//! Concepts and the matcher that finds them in text of any language.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, MatchKind};
use serde::{Deserialize, Serialize};

use crate::i18n::Locale;
use crate::text;

/// The glossary shipped with Liaison, loaded into an empty database and used
/// by `liaison cluster` when no database is at hand.
pub const DEFAULT_CSV: &str = include_str!("../../data/glossary.csv");

/// The domain of aspects: what is wrong (delayed, too expensive, closed),
/// whatever it is about. They are a layer of their own over the subjects.
pub const ASPECT_DOMAIN: &str = "aspect";

/// The four content languages, in the glossary's column order.
pub const LANGUAGES: [&str; 4] = ["zh", "ja", "ko", "en"];

/// A domain concept with its terms in each language. The first term of a
/// language is its label; the others are synonyms, abbreviations and the
/// spellings people actually write.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Concept {
    pub key: String,
    pub domain: String,
    pub zh: Vec<String>,
    pub ja: Vec<String>,
    pub ko: Vec<String>,
    pub en: Vec<String>,
}

impl Concept {
    pub fn terms(&self, language: &str) -> &[String] {
        match language {
            "zh" => &self.zh,
            "ja" => &self.ja,
            "ko" => &self.ko,
            _ => &self.en,
        }
    }

    pub fn is_aspect(&self) -> bool {
        self.domain == ASPECT_DOMAIN
    }

    pub fn all_terms(&self) -> impl Iterator<Item = &String> {
        self.zh
            .iter()
            .chain(&self.ja)
            .chain(&self.ko)
            .chain(&self.en)
    }

    /// The concept's name in a reader's language, falling back to English.
    pub fn label(&self, locale: Locale) -> &str {
        self.terms(column(locale))
            .first()
            .or_else(|| self.en.first())
            .map_or(self.key.as_str(), String::as_str)
    }
}

/// The glossary's column for a UI language.
pub fn column(locale: Locale) -> &'static str {
    match locale {
        Locale::ZhCn => "zh",
        Locale::Ja => "ja",
        Locale::Ko => "ko",
        Locale::En => "en",
    }
}

/// Splits a cell of `|`-separated terms.
pub fn split_terms(cell: &str) -> Vec<String> {
    cell.split('|')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

/// Reads a glossary CSV (`key,domain,en,zh,ja,ko`).
pub fn parse_csv(csv_text: &str) -> anyhow::Result<Vec<Concept>> {
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let mut concepts = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record?;
        let cell = |n: usize| record.get(n).unwrap_or("").trim();
        if cell(0).is_empty() {
            anyhow::bail!("glossary row {}: no key", i + 2);
        }
        concepts.push(Concept {
            key: cell(0).to_string(),
            domain: cell(1).to_string(),
            en: split_terms(cell(2)),
            zh: split_terms(cell(3)),
            ja: split_terms(cell(4)),
            ko: split_terms(cell(5)),
        });
    }
    Ok(concepts)
}

pub fn default_concepts() -> Vec<Concept> {
    parse_csv(DEFAULT_CSV).expect("the shipped glossary parses (tested)")
}

/// Where a concept was found in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    /// Index into [`Matcher::concepts`].
    pub concept: usize,
    pub start: usize,
    pub end: usize,
}

/// Finds every concept's terms in a text in one pass (Aho–Corasick over
/// the folded terms of all four languages: a Japanese text that quotes a
/// Chinese term finds it too).
pub struct Matcher {
    concepts: Vec<Concept>,
    automaton: Option<AhoCorasick>,
    /// Pattern number → concept index.
    owner: Vec<usize>,
}

impl Matcher {
    pub fn new(concepts: Vec<Concept>) -> Matcher {
        let mut patterns: HashMap<String, usize> = HashMap::new();
        let mut ordered = Vec::new();
        let mut owner = Vec::new();
        for (index, concept) in concepts.iter().enumerate() {
            for term in concept.all_terms() {
                let Some(pattern) = text::term_pattern(term) else {
                    continue;
                };
                // A pattern shared by two concepts names the first; the
                // glossary page warns about such terms.
                if patterns.contains_key(&pattern) {
                    continue;
                }
                patterns.insert(pattern.clone(), index);
                ordered.push(pattern);
                owner.push(index);
            }
        }
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(&ordered)
            .ok();
        Matcher {
            concepts,
            automaton,
            owner,
        }
    }

    pub fn concepts(&self) -> &[Concept] {
        &self.concepts
    }

    /// The concepts named in a [`text::match_text`]. A term found inside a
    /// longer term of another concept is left out: 出口退税 is the export
    /// rebate, not also some other refund named 退税. Subjects and aspects
    /// do not hide each other: 入金遅延 names a late payment and still says
    /// 遅延, delayed.
    pub fn find(&self, folded: &str) -> Vec<Found> {
        let Some(automaton) = &self.automaton else {
            return Vec::new();
        };
        let mut found: Vec<Found> = automaton
            .find_overlapping_iter(folded)
            .map(|m| Found {
                concept: self.owner[m.pattern().as_usize()],
                start: m.start(),
                end: m.end(),
            })
            .collect();
        let spans: Vec<Found> = found.clone();
        found.retain(|f| {
            !spans.iter().any(|g| {
                g.concept != f.concept
                    && self.concepts[g.concept].is_aspect() == self.concepts[f.concept].is_aspect()
                    && g.start <= f.start
                    && f.end <= g.end
                    && (g.end - g.start) > (f.end - f.start)
            })
        });
        found
    }

    /// The distinct concepts of a text, in order of first mention.
    pub fn concepts_in(&self, text: &str) -> Vec<usize> {
        let mut seen = Vec::new();
        for f in self.find(&text::match_text(text)) {
            if !seen.contains(&f.concept) {
                seen.push(f.concept);
            }
        }
        seen
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn concept(key: &str, zh: &str, ja: &str, ko: &str, en: &str) -> Concept {
        Concept {
            key: key.into(),
            domain: "tax".into(),
            zh: split_terms(zh),
            ja: split_terms(ja),
            ko: split_terms(ko),
            en: split_terms(en),
        }
    }

    #[test]
    fn the_same_concept_is_found_in_four_languages() {
        let matcher = Matcher::new(vec![
            concept(
                "customs_clearance",
                "通关|清关",
                "通関",
                "통관",
                "customs clearance",
            ),
            concept("tax_refund", "退税", "還付", "환급", "tax refund"),
            concept(
                "export_tax_rebate",
                "出口退税",
                "輸出還付",
                "수출환급",
                "export tax rebate",
            ),
        ]);
        let keys = |text: &str| keys_in(&matcher, text);
        assert_eq!(keys("进口零部件清关太慢"), ["customs_clearance"]);
        assert_eq!(keys("輸入部品の通関が遅い"), ["customs_clearance"]);
        assert_eq!(keys("부품 통관이 늦어지고"), ["customs_clearance"]);
        assert_eq!(keys("Customs clearance takes weeks"), ["customs_clearance"]);
        // The longer term wins its span.
        assert_eq!(keys("出口退税还没到账"), ["export_tax_rebate"]);
        assert_eq!(keys("增值税退税"), ["tax_refund"]);
    }

    /// The keys of the concepts a matcher finds in a text.
    fn keys_in<'a>(matcher: &'a Matcher, text: &str) -> Vec<&'a str> {
        matcher
            .concepts_in(text)
            .into_iter()
            .map(|i| matcher.concepts()[i].key.as_str())
            .collect()
    }

    #[test]
    fn an_aspect_inside_a_subject_term_is_still_found() {
        let mut delayed = concept("aspect_delay", "延误|迟迟", "遅延", "지연", "delayed");
        delayed.domain = ASPECT_DOMAIN.into();
        let matcher = Matcher::new(vec![
            concept(
                "receivables_overdue",
                "回款延误",
                "入金遅延",
                "입금 지연",
                "late payment",
            ),
            concept("tax_refund", "退税", "還付", "환급", "tax refund"),
            delayed,
        ]);
        let keys = |text: &str| keys_in(&matcher, text);
        assert_eq!(
            keys("輸出還付金の入金遅延について"),
            ["tax_refund", "receivables_overdue", "aspect_delay"]
        );
        assert_eq!(keys("입금 지연"), ["receivables_overdue", "aspect_delay"]);
    }

    #[test]
    fn the_shipped_glossary_is_large_and_complete() {
        let concepts = default_concepts();
        assert!(concepts.len() >= 150, "{} concepts", concepts.len());
        let mut keys = std::collections::HashSet::new();
        for c in &concepts {
            assert!(keys.insert(c.key.clone()), "duplicate key {}", c.key);
            for language in LANGUAGES {
                assert!(!c.terms(language).is_empty(), "{} has no {language}", c.key);
            }
        }
    }
}
