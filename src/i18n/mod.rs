//! Four languages: zh-CN (default), ja, ko, en. Every user-visible string and
//! error message comes from the Fluent files under `locales/`, embedded in
//! the binary. The locale of a request is the user's preference, then the
//! `lang` cookie, then `Accept-Language`, then zh-CN.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

use crate::error::FieldError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum Locale {
    #[serde(rename = "zh-CN")]
    ZhCn,
    #[serde(rename = "ja")]
    Ja,
    #[serde(rename = "ko")]
    Ko,
    #[serde(rename = "en")]
    En,
}

impl Locale {
    pub const ALL: [Locale; 4] = [Locale::ZhCn, Locale::Ja, Locale::Ko, Locale::En];
    pub const DEFAULT: Locale = Locale::ZhCn;

    pub fn tag(self) -> &'static str {
        match self {
            Locale::ZhCn => "zh-CN",
            Locale::Ja => "ja",
            Locale::Ko => "ko",
            Locale::En => "en",
        }
    }

    /// The language's own name, shown in the switcher whatever the page's language.
    pub fn native_name(self) -> &'static str {
        match self {
            Locale::ZhCn => "中文",
            Locale::Ja => "日本語",
            Locale::Ko => "한국어",
            Locale::En => "English",
        }
    }

    /// Accepts a tag such as `ja`, `ko-KR`, `zh`, `zh-Hans-CN` or `en-US`.
    pub fn parse(tag: &str) -> Option<Locale> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "zh" => Some(Locale::ZhCn),
            "ja" => Some(Locale::Ja),
            "ko" => Some(Locale::Ko),
            "en" => Some(Locale::En),
            _ => None,
        }
    }

    fn index(self) -> usize {
        self as usize
    }

    fn dir(self) -> &'static str {
        self.tag()
    }
}

/// A name kept in Chinese with optional translations: the one for `locale`,
/// else the Chinese name (the official one).
pub fn localized_name<'a>(
    locale: Locale,
    zh: &'a str,
    ja: Option<&'a str>,
    ko: Option<&'a str>,
    en: Option<&'a str>,
) -> &'a str {
    let translated = match locale {
        Locale::ZhCn => None,
        Locale::Ja => ja,
        Locale::Ko => ko,
        Locale::En => en,
    };
    translated.filter(|s| !s.is_empty()).unwrap_or(zh)
}

/// Picks the locale: preference, then cookie, then `Accept-Language`.
pub fn negotiate(preference: Option<&str>, cookie: Option<&str>, accept: Option<&str>) -> Locale {
    preference
        .and_then(Locale::parse)
        .or_else(|| cookie.and_then(Locale::parse))
        .or_else(|| accept.and_then(from_accept_language))
        .unwrap_or(Locale::DEFAULT)
}

fn from_accept_language(header: &str) -> Option<Locale> {
    let mut ranked: Vec<(f32, Locale)> = header
        .split(',')
        .filter_map(|part| {
            let mut pieces = part.split(';');
            let locale = Locale::parse(pieces.next()?)?;
            let q = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            (q > 0.0).then_some((q, locale))
        })
        .collect();
    // Stable sort keeps the header's order among equal weights.
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
    ranked.first().map(|(_, l)| *l)
}

/// The message files, embedded: (locale, file name, text).
const SOURCES: [(Locale, &str, &str); 8] = [
    (
        Locale::ZhCn,
        "ui.ftl",
        include_str!("../../locales/zh-CN/ui.ftl"),
    ),
    (
        Locale::ZhCn,
        "errors.ftl",
        include_str!("../../locales/zh-CN/errors.ftl"),
    ),
    (
        Locale::Ja,
        "ui.ftl",
        include_str!("../../locales/ja/ui.ftl"),
    ),
    (
        Locale::Ja,
        "errors.ftl",
        include_str!("../../locales/ja/errors.ftl"),
    ),
    (
        Locale::Ko,
        "ui.ftl",
        include_str!("../../locales/ko/ui.ftl"),
    ),
    (
        Locale::Ko,
        "errors.ftl",
        include_str!("../../locales/ko/errors.ftl"),
    ),
    (
        Locale::En,
        "ui.ftl",
        include_str!("../../locales/en/ui.ftl"),
    ),
    (
        Locale::En,
        "errors.ftl",
        include_str!("../../locales/en/errors.ftl"),
    ),
];

/// All messages of all locales, loaded once at start.
pub struct I18n {
    bundles: Vec<FluentBundle<FluentResource>>,
}

impl I18n {
    pub fn load() -> anyhow::Result<I18n> {
        let mut bundles = Vec::new();
        for locale in Locale::ALL {
            let id: LanguageIdentifier = locale.tag().parse()?;
            let mut bundle = FluentBundle::new_concurrent(vec![id]);
            // Unicode isolation marks would show up in HTML attributes and JSON.
            bundle.set_use_isolating(false);
            for (_, name, text) in SOURCES.iter().filter(|(l, _, _)| *l == locale) {
                let resource = FluentResource::try_new(text.to_string()).map_err(|(_, errs)| {
                    anyhow::anyhow!(
                        "locales/{}/{name} has syntax errors: {errs:?}",
                        locale.dir()
                    )
                })?;
                bundle.add_resource(resource).map_err(|errs| {
                    anyhow::anyhow!("locales/{}/{name} repeats messages: {errs:?}", locale.dir())
                })?;
            }
            bundles.push(bundle);
        }
        Ok(I18n { bundles })
    }

    /// The message `id` in `locale`, or the id itself when it is missing
    /// (the key-parity test keeps that from happening in a release).
    pub fn t(&self, locale: Locale, id: &str) -> String {
        self.format(locale, id, None)
    }

    pub fn t_args(&self, locale: Locale, id: &str, args: &[(&str, String)]) -> String {
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            // Numbers stay numbers so plural rules apply.
            match value.parse::<f64>() {
                Ok(n) => fluent_args.set(*name, FluentValue::from(n)),
                Err(_) => fluent_args.set(*name, FluentValue::from(value.as_str())),
            }
        }
        self.format(locale, id, Some(&fluent_args))
    }

    /// The message `id` if it exists, else `fallback` (for values such as
    /// event actions that may predate their translation).
    pub fn t_or(&self, locale: Locale, id: &str, fallback: &str) -> String {
        match self.bundles[locale.index()].get_message(id) {
            Some(_) => self.t(locale, id),
            None => fallback.to_string(),
        }
    }

    pub fn error_message(&self, locale: Locale, e: &FieldError) -> String {
        let args: Vec<(&str, String)> = e
            .args
            .iter()
            .map(
                |(name, value)| match value.strip_prefix(crate::error::MESSAGE_ARG) {
                    Some(id) => (*name, self.t(locale, id)),
                    None => (*name, value.clone()),
                },
            )
            .collect();
        self.t_args(locale, &e.code.message_id(), &args)
    }

    fn format(&self, locale: Locale, id: &str, args: Option<&FluentArgs>) -> String {
        let bundle = &self.bundles[locale.index()];
        let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
            tracing::warn!(message_id = id, locale = locale.tag(), "missing message");
            return id.to_string();
        };
        let mut errors = Vec::new();
        bundle
            .format_pattern(pattern, args, &mut errors)
            .into_owned()
    }
}

/// Message ids of each locale's files, for the key-parity test.
pub fn message_ids() -> Vec<(Locale, std::collections::BTreeSet<String>)> {
    Locale::ALL
        .iter()
        .map(|locale| {
            let ids = SOURCES
                .iter()
                .filter(|(l, _, _)| l == locale)
                .flat_map(|(_, _, text)| {
                    let resource = fluent_syntax::parser::parse(*text).unwrap_or_else(|(r, _)| r);
                    resource
                        .body
                        .into_iter()
                        .filter_map(|entry| match entry {
                            fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
                            _ => None,
                        })
                        .collect::<Vec<_>>()
                })
                .collect();
            (*locale, ids)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Code;

    #[test]
    fn every_locale_has_the_same_message_ids() {
        let all = message_ids();
        let (base_locale, base) = &all[0];
        assert!(!base.is_empty());
        for (locale, ids) in &all[1..] {
            let missing: Vec<_> = base.difference(ids).collect();
            let extra: Vec<_> = ids.difference(base).collect();
            assert!(
                missing.is_empty() && extra.is_empty(),
                "{} differs from {}: missing {missing:?}, extra {extra:?}",
                locale.tag(),
                base_locale.tag()
            );
        }
    }

    #[test]
    fn every_error_code_has_a_message_in_every_locale() {
        for (locale, ids) in message_ids() {
            for code in Code::ALL {
                assert!(
                    ids.contains(&code.message_id()),
                    "{} lacks {}",
                    locale.tag(),
                    code.message_id()
                );
            }
        }
    }

    #[test]
    fn files_parse_and_messages_format() {
        let i18n = I18n::load().unwrap();
        for locale in Locale::ALL {
            let text = i18n.t_args(locale, "error-password-too-short", &[("min", "10".into())]);
            assert!(text.contains("10"), "{}: {text}", locale.tag());
        }
    }

    #[test]
    fn negotiation_order() {
        assert_eq!(negotiate(Some("ko"), Some("ja"), Some("en")), Locale::Ko);
        assert_eq!(negotiate(None, Some("ja"), Some("en")), Locale::Ja);
        assert_eq!(
            negotiate(None, None, Some("fr-FR,en;q=0.8,ja;q=0.9")),
            Locale::Ja
        );
        assert_eq!(negotiate(None, Some("xx"), Some("de")), Locale::ZhCn);
        assert_eq!(
            negotiate(None, None, Some("zh-TW;q=0.5, ko-KR")),
            Locale::Ko
        );
    }
}
