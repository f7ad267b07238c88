//! Parsers for the kinds of text many features accept (an email address, a
//! phone number, a bounded piece of text), so each is checked one way.

use crate::error::{Code, FieldError, Problems};

/// Trimmed text, or `None` when empty; too long is a problem on `field`.
pub fn text(
    problems: &mut Problems,
    field: &'static str,
    value: Option<&str>,
    max: usize,
) -> Option<String> {
    let value = value
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string);
    if value.as_ref().is_some_and(|v| v.chars().count() > max) {
        problems.add(FieldError::new(field, Code::TooLong).with("max", max));
    }
    value
}

/// An email address of the usual shape (something@host.tld), or `None`.
pub fn email(field: &'static str, raw: Option<&str>) -> Result<Option<String>, FieldError> {
    let Some(email) = raw.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    let looks_valid = email.split_once('@').is_some_and(|(user, host)| {
        !user.is_empty() && host.contains('.') && !host.starts_with('.') && !host.ends_with('.')
    }) && !email.contains(char::is_whitespace);
    if email.len() > 200 || !looks_valid {
        return Err(FieldError::new(field, Code::InvalidFormat));
    }
    Ok(Some(email.to_string()))
}

/// A phone number as people write it: digits with spaces, dashes, dots,
/// parentheses, a leading + and an optional extension; 5–20 digits.
pub fn phone(field: &'static str, raw: Option<&str>) -> Result<Option<String>, FieldError> {
    let Some(phone) = raw.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    let allowed = phone.chars().enumerate().all(|(i, c)| {
        c.is_ascii_digit()
            || " -.()/".contains(c)
            || (c == '+' && i == 0)
            || "xX".contains(c)
            || c == '#'
    });
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    if !allowed || !(5..=20).contains(&digits) || phone.len() > 40 {
        return Err(FieldError::new(field, Code::InvalidFormat));
    }
    Ok(Some(phone.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_and_phones() {
        assert_eq!(
            email("e", Some(" a@b.jp ")).unwrap().as_deref(),
            Some("a@b.jp")
        );
        assert!(email("e", Some("nobody")).is_err());
        assert!(email("e", Some("a@b.")).is_err());
        assert_eq!(email("e", Some("")).unwrap(), None);
        assert!(phone("p", Some("+86 411-8765 4321")).unwrap().is_some());
        assert!(phone("p", Some("0411 (8765) 4321 x12")).unwrap().is_some());
        assert!(phone("p", Some("call me")).is_err());
        assert!(phone("p", Some("123")).is_err());
    }
}
