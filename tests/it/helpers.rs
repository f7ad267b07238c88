//! `TestApp`: the real server with an isolated database, a manual clock,
//! and typed helpers for browsers (cookies + CSRF) and API clients (tokens).

use std::net::SocketAddr;
use std::sync::Arc;

use chrono::{Duration, Utc};
use liaison::App;
use liaison::auth::{Actor, tokens};
use liaison::clock::ManualClock;
use liaison::config::{Config, Overrides};
use liaison::demands::categories::{self, CategoryDraft};
use liaison::enterprises::{self, EnterpriseDraft};
use liaison::org::{self, DepartmentDraft};
use liaison::startup::Server;
use liaison::users::{self, Profile, User};
use reqwest::StatusCode;
use reqwest::redirect::Policy;
use serde_json::Value;
use sqlx::Connection;
use tokio::sync::oneshot;

pub const PASSWORD: &str = "correct-horse-battery";

/// A database of one test, dropped when the test ends.
pub enum TestDb {
    /// The directory is removed when the test ends.
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres {
        admin_url: String,
        name: String,
    },
}

impl TestDb {
    pub async fn create() -> (TestDb, String) {
        match std::env::var("LIAISON_TEST_DATABASE_URL") {
            Ok(admin_url) if !admin_url.is_empty() => {
                let name = format!("liaison_t_{}", &liaison::auth::secret::generate("")[..16]);
                let mut conn = sqlx::PgConnection::connect(&admin_url)
                    .await
                    .expect("PostgreSQL for tests");
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&mut conn)
                    .await
                    .unwrap();
                let url = database_url_with_name(&admin_url, &name);
                (TestDb::Postgres { admin_url, name }, url)
            }
            _ => {
                let dir = tempfile::tempdir().unwrap();
                let url = format!("sqlite://{}", dir.path().join("liaison.db").display());
                (TestDb::Sqlite(dir), url)
            }
        }
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self, TestDb::Postgres { .. })
    }
}

/// A fresh, valid unified social credit code.
pub fn uscc() -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(1);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    liaison::enterprises::uscc::with_check_character(&format!("91210200MA0{n:06}")).unwrap()
}

pub fn database_url_with_name(url: &str, name: &str) -> String {
    let (base, _) = url.rsplit_once('/').expect("a database URL with a name");
    format!("{base}/{name}")
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let TestDb::Postgres { admin_url, name } = self {
            let (admin_url, name) = (admin_url.clone(), name.clone());
            // Async drop is not a thing; a short-lived runtime on a thread is.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                rt.block_on(async {
                    if let Ok(mut conn) = sqlx::PgConnection::connect(&admin_url).await {
                        let _ =
                            sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                                .execute(&mut conn)
                                .await;
                    }
                });
            })
            .join();
        }
    }
}

pub struct TestApp {
    pub addr: SocketAddr,
    pub app: App,
    pub clock: ManualClock,
    /// Kept so the database lives as long as the app (dropped after it).
    #[allow(dead_code)]
    pub db: TestDb,
    pub database_url: String,
    /// This app's own search index folder.
    #[allow(dead_code)]
    pub index_dir: tempfile::TempDir,
    stop: Option<oneshot::Sender<()>>,
}

pub struct Builder {
    tweak: Box<dyn FnOnce(&mut Config)>,
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::builder().spawn().await
    }

    pub fn builder() -> Builder {
        Builder {
            tweak: Box::new(|_| {}),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub async fn department(&self, name: &str, kind: &str, parent: Option<i64>) -> i64 {
        let draft = DepartmentDraft {
            parent_id: parent,
            kind: kind.into(),
            name_zh: name.into(),
            ..Default::default()
        };
        org::service::create(&self.app, &Actor::system(), &draft)
            .await
            .unwrap()
            .id
    }

    /// A demand category (an enquiry) led by `lead`, as an administrator
    /// would set it up.
    pub async fn category(&self, draft: CategoryDraft) -> i64 {
        let draft = CategoryDraft {
            sla_kind: "enquiry".into(),
            ..draft
        };
        categories::create(&self.app, &Actor::system(), &draft)
            .await
            .unwrap()
            .id
    }

    pub async fn enterprise(&self, name: &str, country: &str) -> i64 {
        let draft = EnterpriseDraft {
            uscc: uscc(),
            name_en: Some(name.into()),
            country: country.into(),
            ..Default::default()
        };
        enterprises::service::create(&self.app, &Actor::system(), &draft)
            .await
            .unwrap()
            .id
    }

    /// Creates an account with [`PASSWORD`]. Officers need `department`,
    /// enterprise users `enterprise`.
    pub async fn user(
        &self,
        username: &str,
        role: &str,
        department: Option<i64>,
        enterprise: Option<i64>,
    ) -> User {
        let profile = Profile {
            display_name: format!("{username} name"),
            email: None,
            role: role.into(),
            department_id: department,
            enterprise_id: enterprise,
            locale: None,
        };
        users::service::create(&self.app, &Actor::system(), username, PASSWORD, &profile)
            .await
            .unwrap()
    }

    /// A bearer token for an existing user.
    pub async fn token(&self, user_id: i64) -> String {
        tokens::issue(&self.app, &Actor::system(), user_id, "test", None)
            .await
            .unwrap()
            .1
    }

    pub fn browser(&self) -> Browser {
        Browser::new(self.url(""))
    }

    /// A browser signed in as `username` (with [`PASSWORD`]).
    pub async fn signed_in(&self, username: &str) -> Browser {
        let browser = self.browser();
        let response = browser.login(username, PASSWORD).await;
        assert_eq!(
            response.status(),
            StatusCode::SEE_OTHER,
            "login of {username} failed"
        );
        browser
    }

    pub fn api(&self, token: &str) -> Api {
        Api {
            client: reqwest::Client::new(),
            base: self.url(""),
            token: token.to_string(),
            lang: None,
        }
    }

    /// Events recorded about an entity, oldest first: (action, actor).
    pub async fn events_of(&self, kind: &str, id: i64) -> Vec<(String, String)> {
        let mut conn = self.app.db.pool().acquire().await.unwrap();
        liaison::db::events::for_entity(
            &mut conn,
            liaison::db::events::Entity {
                kind: static_kind(kind),
                id,
            },
        )
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.action, e.actor_name))
        .collect()
    }
}

fn static_kind(kind: &str) -> &'static str {
    Box::leak(kind.to_string().into_boxed_str())
}

impl Builder {
    pub fn config(mut self, f: impl FnOnce(&mut Config) + 'static) -> Builder {
        self.tweak = Box::new(f);
        self
    }

    pub async fn spawn(self) -> TestApp {
        let (db, database_url) = TestDb::create().await;
        let overrides = Overrides {
            database_url: Some(database_url.clone()),
            addr: Some("127.0.0.1:0".into()),
        };
        let mut config = Config::load_from(None, Vec::new(), &overrides).unwrap();
        let index_dir = tempfile::tempdir().unwrap();
        config.search.index_dir = index_dir.path().display().to_string();
        (self.tweak)(&mut config);
        let clock = ManualClock::new(Utc::now());
        let app = App::open_with_clock(config, Arc::new(clock.clone()))
            .await
            .unwrap();
        // Jobs are run by the tests themselves (`drain`), so they see every step.
        let server = Server::bind(app.clone(), "127.0.0.1:0".parse().unwrap(), false)
            .await
            .unwrap();
        let addr = server.local_addr();
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(server.run(async move {
            let _ = stopped.await;
        }));
        TestApp {
            addr,
            app,
            clock,
            db,
            database_url,
            index_dir,
            stop: Some(stop),
        }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// A browser: keeps cookies, does not follow redirects, knows the CSRF token.
pub struct Browser {
    pub client: reqwest::Client,
    base: String,
    csrf: std::sync::Mutex<Option<String>>,
}

impl Browser {
    pub fn new(base: String) -> Browser {
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(Policy::none())
            .build()
            .unwrap();
        Browser {
            client,
            base,
            csrf: std::sync::Mutex::new(None),
        }
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{}", self.base, path))
            .send()
            .await
            .unwrap()
    }

    /// GETs a page and returns (status, body), remembering its CSRF token.
    pub async fn page(&self, path: &str) -> (StatusCode, String) {
        let response = self.get(path).await;
        let status = response.status();
        let body = response.text().await.unwrap();
        if let Some(token) = csrf_in(&body) {
            *self.csrf.lock().unwrap() = Some(token);
        }
        (status, body)
    }

    pub async fn csrf(&self) -> String {
        if let Some(t) = self.csrf.lock().unwrap().clone() {
            return t;
        }
        self.page("/login").await;
        self.csrf
            .lock()
            .unwrap()
            .clone()
            .expect("a CSRF token on the login page")
    }

    /// POSTs a form with the current CSRF token.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let mut form: Vec<(&str, String)> =
            fields.iter().map(|(k, v)| (*k, v.to_string())).collect();
        form.push(("_csrf", self.csrf().await));
        self.client
            .post(format!("{}{}", self.base, path))
            .form(&form)
            .send()
            .await
            .unwrap()
    }

    pub async fn login(&self, username: &str, password: &str) -> reqwest::Response {
        self.page("/login").await;
        let response = self
            .post(
                "/login",
                &[
                    ("username", username),
                    ("password", password),
                    ("next", "/"),
                ],
            )
            .await;
        // A new session has its own CSRF token; pick it up from the next page.
        *self.csrf.lock().unwrap() = None;
        if response.status() == StatusCode::SEE_OTHER {
            self.page("/").await;
        }
        response
    }
}

pub fn csrf_in(html: &str) -> Option<String> {
    let start = html.find("name=\"_csrf\" value=\"")? + "name=\"_csrf\" value=\"".len();
    Some(html[start..].split('"').next()?.to_string())
}

/// An API client with a bearer token.
#[derive(Clone)]
pub struct Api {
    pub client: reqwest::Client,
    base: String,
    pub token: String,
    pub lang: Option<&'static str>,
}

impl Api {
    pub fn lang(mut self, lang: &'static str) -> Api {
        self.lang = Some(lang);
        self
    }

    fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        let mut r = self
            .client
            .request(method, format!("{}{}", self.base, path))
            .bearer_auth(&self.token);
        if let Some(lang) = self.lang {
            r = r.header("accept-language", lang);
        }
        r
    }

    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        respond(
            self.request(reqwest::Method::GET, path)
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    pub async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        respond(
            self.request(reqwest::Method::POST, path)
                .json(&body)
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    pub async fn patch(&self, path: &str, body: Value) -> (StatusCode, Value) {
        respond(
            self.request(reqwest::Method::PATCH, path)
                .json(&body)
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    pub async fn put_json(&self, path: &str, body: Value) -> (StatusCode, Value) {
        respond(
            self.request(reqwest::Method::PUT, path)
                .json(&body)
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    pub async fn delete(&self, path: &str) -> (StatusCode, Value) {
        respond(
            self.request(reqwest::Method::DELETE, path)
                .send()
                .await
                .unwrap(),
        )
        .await
    }
}

async fn respond(response: reqwest::Response) -> (StatusCode, Value) {
    let status = response.status();
    let text = response.text().await.unwrap();
    let value = serde_json::from_str(&text).unwrap_or(Value::String(text));
    (status, value)
}

/// The codes of an API error body.
pub fn codes(body: &Value) -> Vec<String> {
    body["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| e["code"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// Sets the clock to a city time, "2026-09-30 10:00" (UTC+8).
pub fn set_city_time(app: &TestApp, local: &str) {
    let at = chrono::NaiveDateTime::parse_from_str(local, "%Y-%m-%d %H:%M").unwrap()
        - Duration::hours(8);
    app.clock.set(at.and_utc());
}

pub fn advance(app: &TestApp, minutes: i64) {
    app.clock.advance(Duration::minutes(minutes));
}
