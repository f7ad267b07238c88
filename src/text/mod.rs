//! Text as Liaison reads it for search and for finding the same problem
//! twice. Chinese, Japanese and Korean are written without spaces between
//! words, so a run of their characters is cut into overlapping pairs
//! (bigrams): any word of two or more characters inside the run is then a
//! sequence of pairs, whatever the segmentation would have been. Latin
//! words are lower-cased and stemmed (English). Before either, every
//! character is folded: full-width forms to ASCII, upper to lower case, and
//! Japanese and traditional Chinese forms of a Han character to the
//! simplified one (関 → 关), so 通関 and 通关 are the same pairs.
//!
//! One function cuts text for the search index, for queries, for the
//! glossary and for similarity, so the four cannot drift apart.

mod han;
pub mod hangul;

use std::sync::OnceLock;

/// The version of this analysis. The search index records it and is
/// rebuilt when it changes, since stored terms would no longer match.
pub const ANALYSIS_VERSION: u32 = 1;

/// One term of a text, with where it came from (byte offsets into the
/// original text, for highlighting).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub text: String,
    pub from: usize,
    pub to: usize,
    pub kind: TokenKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// A stemmed Latin word or a number.
    Word,
    /// Two adjacent CJK characters.
    Pair,
    /// A CJK character standing alone between separators.
    Single,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Word,
    Cjk,
    Space,
    Mark,
}

fn class(c: char) -> Class {
    if is_cjk(c) {
        Class::Cjk
    } else if c.is_alphanumeric() {
        Class::Word
    } else if c.is_whitespace() {
        Class::Space
    } else {
        Class::Mark
    }
}

pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF // hiragana, katakana
        | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF // Han
        | 0x1100..=0x11FF | 0x3130..=0x318F | 0xAC00..=0xD7AF // Hangul
        | 0xFF66..=0xFF9F // half-width katakana
        | 0x3005 // 々
    )
}

fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x3005)
}

fn is_hiragana(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x309F)
}

/// The folded form of one character: full-width ASCII to ASCII, lower
/// case, Han variants to simplified Chinese.
pub fn fold_char(c: char) -> char {
    let c = match c as u32 {
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        0x3000 => ' ',
        _ => c,
    };
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    if is_cjk(c) {
        return han::simplified(c);
    }
    c.to_lowercase().next().unwrap_or(c)
}

/// Words too common to tell texts apart. Left out of the index and of
/// similarity alike.
const STOPWORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "can", "could", "do", "for",
    "from", "had", "has", "have", "i", "in", "into", "is", "it", "its", "me", "my", "of", "on",
    "or", "our", "so", "that", "the", "their", "there", "these", "they", "this", "to", "us", "was",
    "we", "were", "will", "with", "would", "you", "your",
];

fn stem(word: &str) -> String {
    static STEMMER: OnceLock<rust_stemmers::Stemmer> = OnceLock::new();
    let stemmer =
        STEMMER.get_or_init(|| rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English));
    if word.bytes().all(|b| b.is_ascii_lowercase()) {
        stemmer.stem(word).into_owned()
    } else {
        word.to_string()
    }
}

/// A word with only its plural ending taken off: what glossary terms are
/// matched on. A full stemmer would make "parking" the "park" of an
/// industrial park.
fn singular(word: &str) -> String {
    let n = word.len();
    if n <= 3 || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return word.to_string();
    }
    if let Some(stem) = word.strip_suffix("ies") {
        return format!("{stem}y");
    }
    for ending in ["sses", "xes", "ches", "shes"] {
        if word.ends_with(ending) {
            return word[..n - 2].to_string();
        }
    }
    if word.ends_with('s')
        && !word.ends_with("ss")
        && !word.ends_with("us")
        && !word.ends_with("is")
    {
        return word[..n - 1].to_string();
    }
    word.to_string()
}

/// A stretch of text of one class, as (byte offset, folded char) pairs.
struct Run {
    class: Class,
    chars: Vec<(usize, char)>,
    end: usize,
}

fn runs(text: &str) -> Vec<Run> {
    let mut runs: Vec<Run> = Vec::new();
    for (at, c) in text.char_indices() {
        let folded = fold_char(c);
        let class = class(folded);
        let end = at + c.len_utf8();
        match runs.last_mut() {
            Some(run) if run.class == class && class != Class::Mark => {
                run.chars.push((at, folded));
                run.end = end;
            }
            _ => runs.push(Run {
                class,
                chars: vec![(at, folded)],
                end,
            }),
        }
    }
    runs
}

/// Cuts text into terms: stemmed words and CJK pairs.
pub fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    for run in runs(text) {
        match run.class {
            Class::Word => {
                let word: String = run.chars.iter().map(|&(_, c)| c).collect();
                if STOPWORDS.contains(&word.as_str()) {
                    continue;
                }
                out.push(Token {
                    text: stem(&word),
                    from: run.chars[0].0,
                    to: run.end,
                    kind: TokenKind::Word,
                });
            }
            Class::Cjk if run.chars.len() == 1 => out.push(Token {
                text: run.chars[0].1.to_string(),
                from: run.chars[0].0,
                to: run.end,
                kind: TokenKind::Single,
            }),
            Class::Cjk => {
                for (i, pair) in run.chars.windows(2).enumerate() {
                    let to = run.chars.get(i + 2).map_or(run.end, |&(at, _)| at);
                    out.push(Token {
                        text: [pair[0].1, pair[1].1].iter().collect(),
                        from: pair[0].0,
                        to,
                        kind: TokenKind::Pair,
                    });
                }
            }
            Class::Space | Class::Mark => {}
        }
    }
    out
}

/// A shipped two-column table of characters (`data/han_*.csv`, with a
/// header line): the first column's character maps to the second's.
fn char_table(csv: &str) -> std::collections::HashMap<char, char> {
    csv.lines()
        .skip(1)
        .filter_map(|line| {
            let mut cells = line.split(',').map(|cell| cell.trim().chars());
            Some((cells.next()?.next()?, cells.next()?.next()?))
        })
        .collect()
}

/// Whether a term carries meaning for similarity: a pair of two hiragana
/// is nearly always grammar (して, ます), not subject matter.
pub fn is_content(token: &Token) -> bool {
    match token.kind {
        TokenKind::Pair => !token.text.chars().all(is_hiragana),
        TokenKind::Single => false,
        TokenKind::Word => token.text.len() > 1,
    }
}

/// The pairs of a text as they sound in Korean, for similarity across
/// Chinese, Japanese and Korean: Korean pairs as written, pairs of Han
/// characters by their Korean readings (see [`hangul`]), every syllable in
/// its word-initial form. Pairs with kana or unread characters are left out.
pub fn korean_pairs(tokens: &[Token]) -> Vec<String> {
    tokens
        .iter()
        .filter(|t| t.kind == TokenKind::Pair)
        .filter_map(|t| {
            t.text
                .chars()
                .map(|c| {
                    if (0xAC00..=0xD7A3).contains(&(c as u32)) {
                        Some(hangul::initial_form(c))
                    } else {
                        hangul::reading(c).map(hangul::initial_form)
                    }
                })
                .collect::<Option<String>>()
        })
        .collect()
}

/// Text folded for finding glossary terms in it: words in the singular and
/// set between spaces, CJK runs folded and kept whole. Runs of CJK parted only
/// by spaces are joined, since Korean spacing varies (취업 허가, 취업허가).
/// A term folded the same way is found in a text by plain substring search
/// (see [`term_pattern`]).
pub fn match_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push(' ');
    let mut last = Class::Space;
    let mut gap_was_space = false;
    for run in runs(text) {
        match run.class {
            Class::Word => {
                let word: String = run.chars.iter().map(|&(_, c)| c).collect();
                if !out.ends_with(' ') {
                    out.push(' ');
                }
                out.push_str(&singular(&word));
                out.push(' ');
                last = Class::Word;
            }
            Class::Cjk => {
                if last == Class::Cjk && !gap_was_space && !out.ends_with(' ') {
                    out.push(' ');
                }
                // Japanese joins nouns with の where a compound would do
                // (道路の損傷, 道路損傷): between two Han characters it is
                // left out, so both forms meet the same term.
                let chars: Vec<char> = run.chars.iter().map(|&(_, c)| c).collect();
                for (i, &c) in chars.iter().enumerate() {
                    let between_han = i > 0
                        && chars.get(i + 1).is_some_and(|&n| is_han(n))
                        && is_han(chars[i - 1]);
                    if !(c == 'の' && between_han) {
                        out.push(c);
                    }
                }
                last = Class::Cjk;
            }
            Class::Space => {
                gap_was_space = true;
                continue;
            }
            Class::Mark => {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
                last = Class::Mark;
            }
        }
        gap_was_space = false;
    }
    if !out.ends_with(' ') {
        out.push(' ');
    }
    out
}

/// A glossary term as it is searched for in a [`match_text`]: folded the
/// same way, with the spaces that bound a word kept only where the term
/// begins or ends with a word (so "vat" does not match inside "private",
/// while 通关 matches inside 进口通关手续).
pub fn term_pattern(term: &str) -> Option<String> {
    let folded = match_text(term);
    let inner = folded.trim();
    if inner.is_empty() {
        return None;
    }
    let first = inner.chars().next().is_some_and(|c| !is_cjk(c));
    let last = inner.chars().last().is_some_and(|c| !is_cjk(c));
    let mut pattern = String::new();
    if first {
        pattern.push(' ');
    }
    pattern.push_str(inner);
    if last {
        pattern.push(' ');
    }
    Some(pattern)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<String> {
        tokens(text).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn cjk_runs_become_pairs_and_words_are_stemmed() {
        assert_eq!(texts("通关手续"), ["通关", "关手", "手续"]);
        assert_eq!(texts("Customs clearances"), ["custom", "clearanc"]);
        assert_eq!(texts("税 VAT"), ["税", "vat"]);
        // Japanese forms fold to simplified Chinese ones.
        assert_eq!(texts("通関"), texts("通关"));
        // Full-width Latin letters and digits are plain ASCII.
        assert_eq!(texts("ＨＳ８４７１"), ["hs8471"]);
        assert_eq!(texts("통관이 지연"), ["통관", "관이", "지연"]);
        assert_eq!(texts("the delay of refunds"), ["delay", "refund"]);
    }

    #[test]
    fn offsets_point_into_the_original_text() {
        let text = "VAT還付が遅い";
        let tokens = tokens(text);
        assert_eq!(&text[tokens[0].from..tokens[0].to], "VAT");
        assert_eq!(&text[tokens[1].from..tokens[1].to], "還付");
        assert_eq!(tokens[1].text, "还付");
        let last = tokens.last().unwrap();
        assert_eq!(&text[last.from..last.to], "遅い");
    }

    #[test]
    fn terms_are_found_by_substring_in_the_folded_text() {
        let text = match_text("请尽快办理进口通関手续，另外 VAT refunds 也延迟了。취업 허가");
        for (term, found) in [
            ("通关", true),
            ("customs clearance", false),
            ("VAT refund", true),
            ("vat", true),
            ("at", false),
            ("취업허가", true),
        ] {
            let pattern = term_pattern(term).unwrap();
            assert_eq!(text.contains(&pattern), found, "{term} in {text}");
        }
        assert!(!match_text("private sector").contains(&term_pattern("vat").unwrap()));
        // Plurals only: parking is not a park.
        assert!(match_text("Taxes and subsidies").contains(&term_pattern("subsidy").unwrap()));
        assert!(match_text("Taxes").contains(&term_pattern("tax").unwrap()));
        assert!(!match_text("industrial park").contains(&term_pattern("parking").unwrap()));
        assert!(match_text("customs").contains(&term_pattern("customs").unwrap()));
        // の between nouns is the compound.
        assert!(
            match_text("工場前道路の損傷について").contains(&term_pattern("道路損傷").unwrap())
        );
        assert!(match_text("道路损伤").contains(&term_pattern("道路の損傷").unwrap()));
        assert!(!match_text("ものづくり").contains("もづ"));
    }

    #[test]
    fn grammar_pairs_are_not_content() {
        let content: Vec<String> = tokens("遅れています")
            .into_iter()
            .filter(is_content)
            .map(|t| t.text)
            .collect();
        assert_eq!(content, ["迟れ"]);
    }
}
