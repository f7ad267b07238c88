//! Han characters read as Korean: most Korean words of administration are
//! Sino-Korean (통관 is 通關, 소방 is 消防, 허가 is 許可), so a Chinese or
//! Japanese text read aloud in Korean shares words with a Korean one.
//! `data/han_hangul.csv` gives each (folded) Han character its common
//! Korean reading.

use std::collections::HashMap;
use std::sync::OnceLock;

const READINGS_CSV: &str = include_str!("../../data/han_hangul.csv");

fn table() -> &'static HashMap<char, char> {
    static TABLE: OnceLock<HashMap<char, char>> = OnceLock::new();
    TABLE.get_or_init(|| super::char_table(READINGS_CSV))
}

/// The Korean reading of a folded Han character.
pub fn reading(c: char) -> Option<char> {
    table().get(&c).copied()
}

/// A Hangul syllable with the initial-sound rule (두음법칙) applied, as
/// if it began a word: 로동 and 노동 (劳动) become one. Applied to every
/// syllable on both sides, so a reading from the table meets the word as
/// Koreans write it wherever it stands.
pub fn initial_form(c: char) -> char {
    let code = c as u32;
    if !(0xAC00..=0xD7A3).contains(&code) {
        return c;
    }
    let offset = code - 0xAC00;
    let (initial, medial, last) = (offset / 588, (offset % 588) / 28, offset % 28);
    // ㅑ ㅕ ㅖ ㅛ ㅠ ㅣ: the vowels before which ㄴ and ㄹ fall silent.
    let y_vowel = matches!(medial, 2 | 6 | 7 | 12 | 17 | 20);
    const NIEUN: u32 = 2;
    const RIEUL: u32 = 5;
    const IEUNG: u32 = 11;
    let initial = match initial {
        RIEUL | NIEUN if y_vowel => IEUNG,
        RIEUL => NIEUN,
        other => other,
    };
    char::from_u32(0xAC00 + initial * 588 + medial * 28 + last).unwrap_or(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn han_reads_as_korean_and_initial_sounds_agree() {
        let read = |s: &str| -> String {
            s.chars()
                .map(|c| initial_form(reading(crate::text::fold_char(c)).unwrap_or(c)))
                .collect()
        };
        assert_eq!(read("通関"), "통관");
        assert_eq!(read("消防"), "소방");
        assert_eq!(read("労働"), "노동");
        let written: String = "노동".chars().map(initial_form).collect();
        assert_eq!(written, "노동");
        assert_eq!(read("理由"), "이유");
        assert_eq!(initial_form('력'), '역');
        assert_eq!(initial_form('a'), 'a');
    }
}
