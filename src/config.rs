//! Settings: embedded defaults -> optional file -> `LIAISON_*` environment ->
//! command-line flags, then [`Config::validate`]. The result is passed around
//! in `App`; nothing reads settings from globals.

use std::fmt;
use std::net::SocketAddr;
use std::path::Path;

use serde::{Deserialize, Serialize};

/// The defaults, documented, shipped inside the binary.
pub const DEFAULT_TOML: &str = include_str!("../config/default.toml");

#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub database_url: String,
    pub server: ServerConfig,
    pub log: LogConfig,
    pub jobs: JobsConfig,
    pub auth: AuthConfig,
    pub privacy: PrivacyConfig,
    pub attachments: AttachmentsConfig,
    pub demands: DemandsConfig,
    pub mail: MailConfig,
    pub search: SearchConfig,
}

/// The search index: derived from the database, one per instance.
#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchConfig {
    /// The index folder; empty: `search` beside a SQLite database, or
    /// `./liaison-data/search` with PostgreSQL.
    pub index_dir: String,
    /// How often the index catches up with the event log.
    pub follow_interval_ms: i64,
}

/// Email: notices are also sent over SMTP to users with an address.
#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MailConfig {
    /// The SMTP server; empty turns email off.
    pub smtp_host: String,
    pub smtp_port: u16,
    /// "none", "starttls" or "tls".
    pub security: String,
    pub username: String,
    pub password: String,
    /// The sender, as `Name <address>` or a bare address.
    pub from: String,
    /// Where recipients open Liaison; links in emails start with it.
    pub public_url: String,
    /// Tries before an email is given up (the notice stays in the app).
    pub max_attempts: i64,
    /// How often queued emails are sent.
    pub interval_seconds: i64,
}

impl MailConfig {
    pub fn enabled(&self) -> bool {
        !self.smtp_host.trim().is_empty()
    }
}

impl fmt::Debug for MailConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MailConfig")
            .field("smtp_host", &self.smtp_host)
            .field("smtp_port", &self.smtp_port)
            .field("security", &self.security)
            .field("username", &self.username)
            .field("from", &self.from)
            .finish_non_exhaustive()
    }
}

/// Supervision of demands.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemandsConfig {
    /// A deadline this many working days away (or fewer) is "due soon".
    pub due_soon_days: u32,
    /// An overdue demand is escalated to the leaders after this many more
    /// working days.
    pub escalate_after_days: u32,
    /// How often the supervision job runs.
    pub supervise_interval_minutes: i64,
    /// Weights of the response, resolution and satisfaction rates in the
    /// department ranking.
    pub ranking_weights: [f64; 3],
    /// Show enterprises the names of the officials who handled their
    /// demands (off: the timeline says what was done, not by whom).
    pub officer_names_for_enterprises: bool,
}

/// Files attached to visits and other records.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttachmentsConfig {
    /// Largest file accepted, in megabytes.
    pub max_file_mb: u64,
}

/// Who besides administrators, leaders, coordinators and the enterprise
/// itself may see contacts' personal data.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrivacyConfig {
    pub officers_see_contacts: bool,
    pub viewers_see_contacts: bool,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerConfig {
    pub addr: String,
    pub secure_cookies: bool,
    pub trust_forwarded_for: bool,
    pub shutdown_grace_seconds: i64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogConfig {
    pub format: String,
    pub level: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JobsConfig {
    pub poll_interval_ms: i64,
    pub max_attempts: i64,
    pub lease_seconds: i64,
    pub purge_interval_minutes: i64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthConfig {
    pub session_idle_minutes: i64,
    pub session_max_hours: i64,
    pub token_days: i64,
    pub min_password_length: i64,
    pub login_window_minutes: i64,
    pub login_max_failures_per_account_address: i64,
    pub login_max_accounts_per_address: i64,
    pub login_max_failures_per_account: i64,
}

/// A problem with the settings, worded for the operator who must fix it.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(pub String);

/// Values given on the command line; they win over everything else.
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    pub database_url: Option<String>,
    pub addr: Option<String>,
}

impl Config {
    /// Where this instance keeps its search index.
    pub fn search_dir(&self) -> std::path::PathBuf {
        if !self.search.index_dir.is_empty() {
            return self.search.index_dir.clone().into();
        }
        match crate::db::DatabaseUrl::parse(&self.database_url) {
            Ok(crate::db::DatabaseUrl::Sqlite(path)) => path
                .parent()
                .map_or_else(|| "search".into(), |dir| dir.join("search")),
            _ => "./liaison-data/search".into(),
        }
    }

    /// Loads the settings in precedence order from the real environment.
    pub fn load(file: Option<&Path>, overrides: &Overrides) -> Result<Config, ConfigError> {
        Self::load_from(file, std::env::vars(), overrides)
    }

    /// Like [`Config::load`] with the environment given explicitly (tests).
    pub fn load_from(
        file: Option<&Path>,
        env: impl IntoIterator<Item = (String, String)>,
        overrides: &Overrides,
    ) -> Result<Config, ConfigError> {
        let mut merged: toml::Table = DEFAULT_TOML
            .parse()
            .map_err(|e| ConfigError(format!("built-in defaults are invalid: {e}")))?;
        let defaults = merged.clone();
        if let Some(path) = file {
            let text = std::fs::read_to_string(path).map_err(|e| {
                ConfigError(format!("cannot read config file {}: {e}", path.display()))
            })?;
            let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
                let line = e.span().map(|s| text[..s.start].lines().count().max(1));
                let at = line.map(|l| format!(" at line {l}")).unwrap_or_default();
                let what = e.message().trim().replace('\n', " ");
                ConfigError(format!(
                    "config file {} is not valid TOML{at}: {what}",
                    path.display()
                ))
            })?;
            check_types(&defaults, &table, "")?;
            merge(&mut merged, table);
        }
        for (name, value) in env {
            apply_env(&mut merged, &defaults, &name, &value)?;
        }
        if let Some(url) = &overrides.database_url {
            merged.insert("database_url".into(), toml::Value::String(url.clone()));
        }
        if let Some(addr) = &overrides.addr {
            if let Some(toml::Value::Table(server)) = merged.get_mut("server") {
                server.insert("addr".into(), toml::Value::String(addr.clone()));
            }
        }
        let config: Config =
            toml::Value::Table(merged)
                .try_into()
                .map_err(|e: toml::de::Error| {
                    ConfigError(format!("invalid setting: {}", e.message()))
                })?;
        config.validate()?;
        Ok(config)
    }

    /// Checks what types alone cannot; each message names the setting.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let bad = |key: &str, value: &dyn fmt::Display, why: &str| {
            Err(ConfigError(format!(
                "invalid setting {key} = \"{value}\": {why}"
            )))
        };
        if let Err(why) = crate::db::DatabaseUrl::parse(&self.database_url) {
            return bad("database_url", &redact_url(&self.database_url), &why);
        }
        if self.server.addr.parse::<SocketAddr>().is_err() {
            return bad(
                "server.addr",
                &self.server.addr,
                "expected an address and port such as 127.0.0.1:8080",
            );
        }
        if !matches!(self.log.format.as_str(), "text" | "json") {
            return bad(
                "log.format",
                &self.log.format,
                "expected \"text\" or \"json\"",
            );
        }
        if !is_log_filter(&self.log.level) {
            return bad(
                "log.level",
                &self.log.level,
                "expected a level (error, warn, info, debug, trace, off) or target=level pairs",
            );
        }
        if !matches!(self.mail.security.as_str(), "none" | "starttls" | "tls") {
            return bad(
                "mail.security",
                &self.mail.security,
                "expected \"none\", \"starttls\" or \"tls\"",
            );
        }
        if self.mail.enabled() && self.mail.from.parse::<lettre::message::Mailbox>().is_err() {
            return bad(
                "mail.from",
                &self.mail.from,
                "expected an address such as Liaison <liaison@example.gov.cn>",
            );
        }
        // Each number has a sensible range; the upper bounds also keep date
        // arithmetic far from overflow.
        let (server, jobs, auth) = (&self.server, &self.jobs, &self.auth);
        let ranges = [
            (
                "server.shutdown_grace_seconds",
                server.shutdown_grace_seconds,
                0,
                3600,
            ),
            ("jobs.poll_interval_ms", jobs.poll_interval_ms, 10, 60_000),
            ("jobs.max_attempts", jobs.max_attempts, 1, 100),
            ("jobs.lease_seconds", jobs.lease_seconds, 10, 86_400),
            (
                "jobs.purge_interval_minutes",
                jobs.purge_interval_minutes,
                1,
                10_080,
            ),
            (
                "auth.session_idle_minutes",
                auth.session_idle_minutes,
                1,
                525_600,
            ),
            ("auth.session_max_hours", auth.session_max_hours, 1, 8_760),
            ("auth.token_days", auth.token_days, 1, 3_650),
            ("auth.min_password_length", auth.min_password_length, 8, 128),
            (
                "auth.login_window_minutes",
                auth.login_window_minutes,
                1,
                1_440,
            ),
            (
                "auth.login_max_failures_per_account_address",
                auth.login_max_failures_per_account_address,
                1,
                1_000,
            ),
            (
                "auth.login_max_accounts_per_address",
                auth.login_max_accounts_per_address,
                1,
                100_000,
            ),
            (
                "auth.login_max_failures_per_account",
                auth.login_max_failures_per_account,
                1,
                1_000_000,
            ),
            ("mail.max_attempts", self.mail.max_attempts, 1, 100),
            (
                "mail.interval_seconds",
                self.mail.interval_seconds,
                1,
                3_600,
            ),
        ];
        for (key, value, min, max) in ranges {
            if !(min..=max).contains(&value) {
                return bad(
                    key,
                    &value,
                    &format!("expected a whole number from {min} to {max}"),
                );
            }
        }
        Ok(())
    }

    pub fn socket_addr(&self) -> SocketAddr {
        // validate() has checked it.
        self.server.addr.parse().expect("validated address")
    }

    /// The effective settings as TOML, with secrets redacted.
    pub fn to_redacted_toml(&self) -> String {
        let mut shown = self.clone();
        shown.database_url = redact_url(&self.database_url);
        if !shown.mail.password.is_empty() {
            shown.mail.password = "***".into();
        }
        toml::to_string_pretty(&shown).unwrap_or_default()
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("database_url", &redact_url(&self.database_url))
            .field("server", &self.server)
            .field("log", &self.log)
            .field("jobs", &self.jobs)
            .field("auth", &self.auth)
            .field("privacy", &self.privacy)
            .field("mail", &self.mail)
            .finish_non_exhaustive()
    }
}

/// Hides the password of a URL such as `postgres://user:secret@host/db` or
/// `postgres://host/db?password=secret`.
pub fn redact_url(url: &str) -> String {
    let (url, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let query = query.map(|q| {
        let pairs: Vec<String> = q
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((k, _)) if k.eq_ignore_ascii_case("password") => format!("{k}=***"),
                _ => pair.to_string(),
            })
            .collect();
        format!("?{}", pairs.join("&"))
    });
    format!("{}{}", redact_userinfo(url), query.unwrap_or_default())
}

fn redact_userinfo(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let Some((userinfo, host)) = rest.split_once('@') else {
        return url.to_string();
    };
    match userinfo.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_string(),
    }
}

/// `info`, `warn`, `liaison=debug,info`: each directive a level, or a
/// target and a level. (tracing would read `loud` as a target and log nothing.)
fn is_log_filter(filter: &str) -> bool {
    const LEVELS: [&str; 6] = ["off", "error", "warn", "info", "debug", "trace"];
    let level = |l: &str| LEVELS.contains(&l.trim().to_ascii_lowercase().as_str());
    !filter.trim().is_empty()
        && filter
            .split(',')
            .all(|directive| match directive.split_once('=') {
                Some((target, l)) => !target.trim().is_empty() && level(l),
                None => level(directive),
            })
}

/// Compares a settings file's values with the defaults' types, so that a
/// mistake names its setting: `jobs.max_attempts = "x"`, `server.adress`.
fn check_types(
    defaults: &toml::Table,
    given: &toml::Table,
    prefix: &str,
) -> Result<(), ConfigError> {
    for (key, value) in given {
        let path = format!("{prefix}{key}");
        let Some(default) = defaults.get(key) else {
            return Err(ConfigError(format!(
                "unknown setting {path}: see `liaison config print`"
            )));
        };
        let expected = match (default, value) {
            (toml::Value::Table(d), toml::Value::Table(g)) => {
                check_types(d, g, &format!("{path}."))?;
                continue;
            }
            (toml::Value::Table(_), _) => "a section",
            (toml::Value::Integer(_), toml::Value::Integer(_)) => continue,
            (toml::Value::Integer(_), _) => "a whole number",
            (toml::Value::Boolean(_), toml::Value::Boolean(_)) => continue,
            (toml::Value::Boolean(_), _) => "true or false",
            (toml::Value::String(_), toml::Value::String(_)) => continue,
            _ => "text in quotes",
        };
        return Err(ConfigError(format!(
            "invalid setting {path} = {value}: expected {expected}"
        )));
    }
    Ok(())
}

fn merge(into: &mut toml::Table, from: toml::Table) {
    for (key, value) in from {
        match (into.get_mut(&key), value) {
            (Some(toml::Value::Table(a)), toml::Value::Table(b)) => merge(a, b),
            (_, value) => {
                into.insert(key, value);
            }
        }
    }
}

/// Environment names that belong to Liaison but are not settings.
const NOT_SETTINGS: [&str; 2] = ["LIAISON_CONFIG", "LIAISON_TEST_"];

fn apply_env(
    merged: &mut toml::Table,
    defaults: &toml::Table,
    name: &str,
    raw: &str,
) -> Result<(), ConfigError> {
    let Some(path) = name.strip_prefix("LIAISON_") else {
        return Ok(());
    };
    if NOT_SETTINGS.iter().any(|p| name.starts_with(p)) {
        return Ok(());
    }
    let keys: Vec<String> = path.split("__").map(|k| k.to_ascii_lowercase()).collect();
    let unknown = || {
        ConfigError(format!(
            "unknown setting {name}: see `liaison config print`"
        ))
    };
    // The default decides the type, so "8080" becomes a number where a number is expected.
    let mut default = defaults.get(&keys[0]).ok_or_else(unknown)?;
    for key in &keys[1..] {
        default = default.get(key).ok_or_else(unknown)?;
    }
    let value = match default {
        toml::Value::Integer(_) => raw
            .trim()
            .parse::<i64>()
            .map(toml::Value::Integer)
            .map_err(|_| {
                ConfigError(format!(
                    "invalid setting {name} = \"{raw}\": expected a whole number"
                ))
            })?,
        toml::Value::Boolean(_) => match raw.trim() {
            "true" | "1" | "yes" => toml::Value::Boolean(true),
            "false" | "0" | "no" => toml::Value::Boolean(false),
            _ => {
                return Err(ConfigError(format!(
                    "invalid setting {name} = \"{raw}\": expected true or false"
                )));
            }
        },
        toml::Value::Table(_) => return Err(unknown()),
        _ => toml::Value::String(raw.to_string()),
    };
    let mut table = merged;
    for key in &keys[..keys.len() - 1] {
        table = match table.get_mut(key) {
            Some(toml::Value::Table(t)) => t,
            _ => return Err(unknown()),
        };
    }
    table.insert(keys[keys.len() - 1].clone(), value);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(env: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let env = env.iter().map(|(k, v)| (k.to_string(), v.to_string()));
        Config::load_from(None, env, &Overrides::default())
    }

    #[test]
    fn defaults_are_valid() {
        let config = load(&[]).unwrap();
        assert_eq!(config.server.addr, "127.0.0.1:8080");
        assert!(config.database_url.starts_with("sqlite://"));
    }

    #[test]
    fn environment_overrides_with_the_default_type() {
        let config = load(&[("LIAISON_JOBS__POLL_INTERVAL_MS", "250"), ("PATH", "/bin")]).unwrap();
        assert_eq!(config.jobs.poll_interval_ms, 250);
    }

    #[test]
    fn bad_values_name_the_setting() {
        let err = load(&[("LIAISON_JOBS__MAX_ATTEMPTS", "many")]).unwrap_err();
        assert!(err.0.contains("LIAISON_JOBS__MAX_ATTEMPTS"), "{err}");
        let err = load(&[("LIAISON_SERVER__ADDR", "nowhere")]).unwrap_err();
        assert!(err.0.contains("server.addr"), "{err}");
        let err = load(&[("LIAISON_DATABASE_URL", "mysql://x")]).unwrap_err();
        assert!(err.0.contains("database_url"), "{err}");
        let err = load(&[("LIAISON_SERVER__NOPE", "1")]).unwrap_err();
        assert!(err.0.contains("unknown setting"), "{err}");
        let err = load(&[("LIAISON_LOG__LEVEL", "loud")]).unwrap_err();
        assert!(err.0.contains("log.level"), "{err}");
        let err = load(&[("LIAISON_AUTH__SESSION_IDLE_MINUTES", "999999999999999")]).unwrap_err();
        assert!(
            err.0.contains("auth.session_idle_minutes") && err.0.contains("525600"),
            "{err}"
        );
        let err = load(&[("LIAISON_AUTH__MIN_PASSWORD_LENGTH", "-3")]).unwrap_err();
        assert!(err.0.contains("auth.min_password_length"), "{err}");
        assert!(load(&[("LIAISON_LOG__LEVEL", "liaison=debug,sqlx=warn,info")]).is_ok());
    }

    #[test]
    fn file_mistakes_name_the_setting_or_line() {
        let dir = std::env::temp_dir().join(format!("liaison-config-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let cases = [
            (
                "[jobs]\nmax_attempts = \"x\"\n",
                "invalid setting jobs.max_attempts = \"x\": expected a whole number",
            ),
            (
                "[server]\nadress = \"1.2.3.4:5\"\n",
                "unknown setting server.adress",
            ),
            ("[server]\naddr = \n", "at line 2"),
        ];
        for (i, (text, expected)) in cases.into_iter().enumerate() {
            let file = dir.join(format!("c{i}.toml"));
            std::fs::write(&file, text).unwrap();
            let err =
                Config::load_from(Some(&file), Vec::new(), &Overrides::default()).unwrap_err();
            assert!(err.0.contains(expected), "{err}");
            assert_eq!(err.0.lines().count(), 1, "{err}");
        }
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn command_line_wins() {
        let overrides = Overrides {
            addr: Some("127.0.0.1:9999".into()),
            database_url: None,
        };
        let env = [(
            "LIAISON_SERVER__ADDR".to_string(),
            "127.0.0.1:7000".to_string(),
        )];
        let config = Config::load_from(None, env, &overrides).unwrap();
        assert_eq!(config.server.addr, "127.0.0.1:9999");
    }

    #[test]
    fn secrets_are_redacted() {
        assert_eq!(
            redact_url("postgres://app:hunter2@db/liaison"),
            "postgres://app:***@db/liaison"
        );
        let config = load(&[("LIAISON_DATABASE_URL", "postgres://app:hunter2@db/x")]).unwrap();
        assert!(!format!("{config:?}").contains("hunter2"));
        assert!(!config.to_redacted_toml().contains("hunter2"));
    }
}
