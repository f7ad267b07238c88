//! Rich text written by officials (a visit's findings, a symposium's
//! minutes): a small set of formatting kept, everything else removed, so
//! that what one user writes can never run in another's browser. Text
//! without tags is plain text and keeps its paragraphs and line breaks.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::empty();
    builder
        .tags(HashSet::from([
            "p",
            "br",
            "strong",
            "b",
            "em",
            "i",
            "u",
            "s",
            "ul",
            "ol",
            "li",
            "h3",
            "h4",
            "blockquote",
            "a",
            "table",
            "thead",
            "tbody",
            "tr",
            "th",
            "td",
        ]))
        .tag_attributes(HashMap::from([("a", HashSet::from(["href"]))]))
        .url_schemes(HashSet::from(["http", "https", "mailto"]))
        .url_relative(ammonia::UrlRelative::Deny)
        .link_rel(Some("noopener noreferrer nofollow"))
        .strip_comments(true);
    builder
});

/// Safe HTML from what a user wrote: HTML is cleaned to the allowed
/// formatting, plain text becomes paragraphs.
pub fn sanitize(input: &str) -> String {
    let input = input.trim();
    if looks_like_html(input) {
        CLEANER.clean(input).to_string()
    } else {
        paragraphs(input)
    }
}

fn looks_like_html(s: &str) -> bool {
    s.contains('<') && s.contains('>')
}

fn paragraphs(text: &str) -> String {
    text.replace("\r\n", "\n")
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            let lines: Vec<String> = p.lines().map(escape).collect();
            format!("<p>{}</p>", lines.join("<br>"))
        })
        .collect()
}

/// Text made safe to place in HTML, between tags or in a quoted attribute.
pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The words of stored rich text, for indexing: block tags become line
/// breaks, inline ones vanish, the entities [`escape`] and ammonia write
/// become characters again.
pub fn to_plain_text(html: &str) -> String {
    const BLOCKS: &[&str] = &[
        "p",
        "br",
        "li",
        "div",
        "tr",
        "h1",
        "h2",
        "h3",
        "h4",
        "blockquote",
    ];
    let mut out = String::with_capacity(html.len());
    let mut tag: Option<String> = None;
    for c in html.chars() {
        match (&mut tag, c) {
            (None, '<') => tag = Some(String::new()),
            (Some(name), '>') => {
                let name = name
                    .trim_start_matches('/')
                    .split([' ', '/'])
                    .next()
                    .unwrap_or("");
                if BLOCKS.contains(&name.to_ascii_lowercase().as_str()) && !out.ends_with('\n') {
                    out.push('\n');
                }
                tag = None;
            }
            (Some(name), c) => name.push(c),
            (None, c) => out.push(c),
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rich_text_reads_back_as_its_words() {
        assert_eq!(
            to_plain_text("<p>通関 &amp; <b>VAT</b></p><p>a &lt; b</p>"),
            "通関 & VAT\na < b"
        );
    }

    #[test]
    fn scripts_handlers_and_foreign_links_are_removed() {
        let dirty = r#"<p onclick="x()">電力<strong>不足</strong><script>alert(1)</script></p><img src=x onerror=alert(2)><a href="javascript:alert(3)">link</a><a href="https://example.jp/a">ok</a>"#;
        let clean = sanitize(dirty);
        assert_eq!(
            clean,
            "<p>電力<strong>不足</strong></p><a rel=\"noopener noreferrer nofollow\">link</a><a href=\"https://example.jp/a\" rel=\"noopener noreferrer nofollow\">ok</a>"
        );
        assert_eq!(sanitize(&clean), clean, "cleaning twice changes nothing");
    }

    #[test]
    fn plain_text_keeps_its_paragraphs_and_escapes_markup_like_characters() {
        assert_eq!(
            sanitize("冬季の電力供給\n一次側 3 < 5\n\n次回は 12 月"),
            "<p>冬季の電力供給<br>一次側 3 &lt; 5</p><p>次回は 12 月</p>"
        );
        assert_eq!(sanitize("  "), "");
    }
}
