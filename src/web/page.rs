//! What every page template gets: the translator, the actor, the CSRF token,
//! the navigation for the actor's role, and the language switcher.

use askama::Template;
use axum::response::{Html, IntoResponse, Response};

use crate::app::App;
use crate::auth::permission::{Action, allows};
use crate::auth::{Actor, Role};
use crate::error::FieldError;
use crate::i18n::Locale;
use crate::web::context::RequestContext;

pub struct NavItem {
    pub href: String,
    pub label: String,
    pub current: bool,
}

pub struct Page {
    app: App,
    pub locale: Locale,
    pub actor: Option<Actor>,
    pub csrf: String,
    pub path: String,
    /// Where the language switcher returns to (this page, query included).
    pub back: String,
    pub title: String,
    pub nav: Vec<NavItem>,
    /// "Name · role" of the signed-in user, for the header.
    pub who: Option<String>,
    pub languages: Vec<LanguageChoice>,
    /// Unread notifications, for the bell.
    pub unread: i64,
}

pub struct LanguageChoice {
    pub tag: &'static str,
    pub name: &'static str,
    pub current: bool,
}

impl Page {
    pub fn new(app: &App, ctx: &RequestContext, title_id: &str) -> Page {
        let mut page = Page {
            app: app.clone(),
            locale: ctx.locale,
            actor: ctx.actor.clone(),
            csrf: ctx.csrf_token.clone(),
            path: ctx.path.clone(),
            back: ctx.back.clone(),
            title: String::new(),
            nav: Vec::new(),
            who: None,
            unread: ctx.unread_notifications,
            languages: Locale::ALL
                .into_iter()
                .map(|l| LanguageChoice {
                    tag: l.tag(),
                    name: l.native_name(),
                    current: l == ctx.locale,
                })
                .collect(),
        };
        page.title = page.t(title_id);
        page.nav = page.navigation();
        page.who = page
            .actor
            .as_ref()
            .map(|a| format!("{} · {}", a.display_name, page.t(&a.role.message_id())));
        page
    }

    /// A message in the page's language.
    pub fn t(&self, id: &str) -> String {
        self.app.i18n.t(self.locale, id)
    }

    /// A message with one variable.
    pub fn t1(&self, id: &str, name: &str, value: &dyn std::fmt::Display) -> String {
        self.app
            .i18n
            .t_args(self.locale, id, &[(name, value.to_string())])
    }

    /// A message for a stored value (an event action, a job kind): the
    /// translation of `prefix-value`, or the value itself.
    pub fn label(&self, prefix: &str, value: &str) -> String {
        self.app.i18n.t_or(
            self.locale,
            &format!("{prefix}-{}", value.replace('_', "-")),
            value,
        )
    }

    pub fn lang(&self) -> &'static str {
        self.locale.tag()
    }

    pub fn signed_in(&self) -> bool {
        self.actor.is_some()
    }

    fn navigation(&self) -> Vec<NavItem> {
        let Some(actor) = &self.actor else {
            return Vec::new();
        };
        let mut items: Vec<(String, &str)> = vec![("/".into(), "nav-home")];
        match (actor.role, actor.enterprise_id) {
            (Role::Enterprise, Some(id)) => {
                items.push((format!("/enterprises/{id}"), "nav-my-enterprise"))
            }
            (Role::Enterprise, None) => {}
            _ => items.push(("/enterprises".into(), "nav-enterprises")),
        }
        items.push(("/demands".into(), "nav-demands"));
        let gated = [
            (Action::ViewDemandFigures, "/demands/figures", "nav-figures"),
            (Action::ViewEngagements, "/engagements", "nav-engagements"),
            (
                Action::ViewCommonProblems,
                "/common-problems",
                "nav-common-problems",
            ),
            (Action::ViewPlans, "/plans", "nav-plans"),
            (Action::ViewPlans, "/tasks", "nav-tasks"),
            (Action::ViewOrganisation, "/departments", "nav-departments"),
            (Action::ListUsers, "/users", "nav-users"),
            (Action::ManageTags, "/tags", "nav-tags"),
            (
                Action::ManageDemandSettings,
                "/admin/demand-categories",
                "nav-demand-categories",
            ),
            (Action::ManageCalendar, "/admin/calendar", "nav-calendar"),
            (Action::ViewGlossary, "/admin/glossary", "nav-glossary"),
            (Action::ViewJobs, "/admin/jobs", "nav-jobs"),
            (Action::ViewAudit, "/admin/events", "nav-audit"),
        ];
        for (action, href, label) in gated {
            if allows(actor, action) {
                items.push((href.into(), label));
            }
        }
        items.push(("/profile".into(), "nav-profile"));
        items
            .into_iter()
            .map(|(href, label)| NavItem {
                current: if href == "/" {
                    self.path == "/"
                } else {
                    self.path.starts_with(&href)
                },
                label: self.t(label),
                href,
            })
            .collect()
    }
}

/// One option of a `<select>`.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// Messages for a form: by field, and those that belong to no field.
#[derive(Default)]
pub struct FormErrors {
    by_field: Vec<(String, String)>,
    general: Vec<String>,
}

impl FormErrors {
    pub fn new(app: &App, locale: Locale, errors: &[FieldError]) -> FormErrors {
        let mut out = FormErrors::default();
        for e in errors {
            let message = app.i18n.error_message(locale, e);
            match &e.field {
                Some(field) => out.by_field.push((field.to_string(), message)),
                None => out.general.push(message),
            }
        }
        out
    }

    pub fn of(&self, field: &str) -> Vec<&str> {
        self.by_field
            .iter()
            .filter(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
            .collect()
    }

    pub fn has(&self, field: &str) -> bool {
        self.by_field.iter().any(|(f, _)| *f == field)
    }

    pub fn general(&self) -> &[String] {
        &self.general
    }

    pub fn any(&self) -> bool {
        !self.by_field.is_empty() || !self.general.is_empty()
    }
}

pub fn render(template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            crate::error::Error::Internal(anyhow::anyhow!("template failed: {e}")).into_response()
        }
    }
}

/// A file download. The name is given plainly for old clients and as UTF-8
/// (RFC 6266) so that Chinese, Japanese and Korean names survive.
pub fn download(bytes: Vec<u8>, content_type: &str, file_name: &str) -> Response {
    let plain: String = file_name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let disposition = format!(
        "attachment; filename=\"{plain}\"; filename*=UTF-8''{}",
        percent_encode(file_name)
    );
    (
        [
            (axum::http::header::CONTENT_TYPE, content_type.to_string()),
            (axum::http::header::CONTENT_DISPOSITION, disposition),
            (
                axum::http::header::X_CONTENT_TYPE_OPTIONS,
                "nosniff".to_string(),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// RFC 5987 encoding: everything but letters, digits and a few marks.
fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
