//! Four languages: negotiation order, the switcher, and every string changing.

use reqwest::StatusCode;

use crate::helpers::TestApp;

fn visible_text(html: &str) -> String {
    // Drop the language switcher (it names each language in itself) and tags.
    let start = html
        .find("<form method=\"post\" action=\"/language\"")
        .unwrap_or(0);
    let end = html[start..]
        .find("</form>")
        .map(|e| start + e)
        .unwrap_or(start);
    let html = format!("{}{}", &html[..start], &html[end..]);
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

fn has_cjk(s: &str) -> bool {
    s.chars()
        .any(|c| matches!(c as u32, 0x3040..=0x30FF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF))
}

#[tokio::test]
async fn switching_the_language_changes_every_string_on_the_page() {
    let t = TestApp::spawn().await;
    t.user("amy", "admin", None, None).await;
    let browser = t.signed_in("amy").await;
    let (_, chinese) = browser.page("/users").await;
    assert!(chinese.contains("lang=\"zh-CN\""), "zh-CN is the default");
    let response = browser
        .post("/language", &[("lang", "en"), ("back", "/users")])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()["location"], "/users");
    let (_, english) = browser.page("/users").await;
    assert!(english.contains("lang=\"en\""));
    let text = visible_text(&english);
    assert!(
        !has_cjk(&text),
        "no Chinese left on the English page: {text}"
    );
    assert!(has_cjk(&visible_text(&chinese)));

    // Saved to the account: a new browser of the same user gets English too.
    let other = t.signed_in("amy").await;
    let (_, again) = other.page("/").await;
    assert!(again.contains("lang=\"en\""));
}

#[tokio::test]
async fn anonymous_pages_follow_the_cookie_then_accept_language() {
    let t = TestApp::spawn().await;
    let response = reqwest::Client::new()
        .get(t.url("/login"))
        .header("accept-language", "ko-KR,ko;q=0.9")
        .send()
        .await
        .unwrap();
    let body = response.text().await.unwrap();
    assert!(body.contains("lang=\"ko\""));
    let browser = t.browser();
    browser.page("/login").await;
    browser
        .post("/language", &[("lang", "ja"), ("back", "/login")])
        .await;
    let response = browser
        .client
        .get(t.url("/login"))
        .header("accept-language", "ko")
        .send()
        .await
        .unwrap();
    assert!(
        response.text().await.unwrap().contains("lang=\"ja\""),
        "the cookie outranks Accept-Language"
    );
}

#[tokio::test]
async fn api_errors_come_in_the_callers_language() {
    let t = TestApp::spawn().await;
    let admin = t.user("root", "admin", None, None).await;
    let token = t.token(admin.id).await;
    let i18n = liaison::i18n::I18n::load().unwrap();
    for (lang, locale) in [
        ("ja", liaison::i18n::Locale::Ja),
        ("ko", liaison::i18n::Locale::Ko),
        ("en", liaison::i18n::Locale::En),
    ] {
        let (_, body) = t
            .api(&token)
            .lang(lang)
            .post(
                "/api/v1/departments",
                serde_json::json!({"kind": "city", "name_zh": ""}),
            )
            .await;
        assert_eq!(
            body["errors"][0]["detail"],
            i18n.t(locale, "error-required"),
            "{lang}"
        );
    }
}
