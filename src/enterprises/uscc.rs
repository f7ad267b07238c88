//! The unified social credit code (统一社会信用代码, GB 32100-2015): 18
//! characters from a 31-character alphabet (digits and capitals without I,
//! O, S, V, Z); the last is a check character over the first 17.

use std::fmt;

use serde::Serialize;

use crate::error::{Code, FieldError};

const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// A valid unified social credit code. Only [`Uscc::parse`] makes one.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Uscc(String);

impl Uscc {
    /// Accepts lower case and surrounding spaces; checks length, alphabet
    /// and the check character.
    pub fn parse(field: &'static str, raw: &str) -> Result<Uscc, FieldError> {
        let code: String = raw.trim().to_ascii_uppercase();
        let invalid = || FieldError::new(field, Code::UsccInvalid);
        if code.len() != 18 {
            return Err(FieldError::new(field, Code::UsccLength));
        }
        let values: Vec<u32> = code
            .bytes()
            .map(|b| ALPHABET.iter().position(|a| *a == b).map(|p| p as u32))
            .collect::<Option<_>>()
            .ok_or_else(invalid)?;
        if values[17] != check_value(&values[..17]) {
            return Err(FieldError::new(field, Code::UsccCheckFailed));
        }
        Ok(Uscc(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The check character's value for the first 17 characters' values.
fn check_value(values: &[u32]) -> u32 {
    let sum: u32 = values.iter().zip(WEIGHTS).map(|(v, w)| v * w).sum();
    (31 - sum % 31) % 31
}

/// Completes 17 characters with their check character (demo data, tests).
pub fn with_check_character(first17: &str) -> Option<String> {
    let values: Vec<u32> = first17
        .bytes()
        .map(|b| ALPHABET.iter().position(|a| *a == b).map(|p| p as u32))
        .collect::<Option<_>>()?;
    (values.len() == 17).then(|| {
        format!(
            "{first17}{}",
            ALPHABET[check_value(&values) as usize] as char
        )
    })
}

impl fmt::Display for Uscc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_examples_validate() {
        // Codes printed on public business licences and in the standard's examples.
        for code in [
            "91350100M000100Y43",
            "91110000600037341L",
            "9144030071526726XG",
        ] {
            assert!(Uscc::parse("uscc", code).is_ok(), "{code}");
        }
    }

    #[test]
    fn wrong_codes_say_why() {
        assert_eq!(
            Uscc::parse("uscc", "91350100M000100Y4").unwrap_err().code,
            Code::UsccLength
        );
        assert_eq!(
            Uscc::parse("uscc", "91350100M000100Y44").unwrap_err().code,
            Code::UsccCheckFailed
        );
        assert_eq!(
            Uscc::parse("uscc", "91350100M000100YI3").unwrap_err().code,
            Code::UsccInvalid
        );
        assert_eq!(
            Uscc::parse("uscc", " 91350100m000100y43 ")
                .unwrap()
                .as_str(),
            "91350100M000100Y43"
        );
    }

    #[test]
    fn the_check_character_can_be_computed() {
        assert_eq!(
            with_check_character("91350100M000100Y4").as_deref(),
            Some("91350100M000100Y43")
        );
        let made = with_check_character("91210200MA0QX1234").unwrap();
        assert!(Uscc::parse("uscc", &made).is_ok());
    }
}
