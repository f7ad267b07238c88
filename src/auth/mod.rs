//! Who is acting, and what they may do.
//!
//! An [`Actor`] is built once per request (from a session or an API token) or
//! once per CLI command ([`Actor::system`]). Services pass it to
//! [`permission::authorize`] before reading or writing anything.

pub mod login;
pub mod password;
pub mod permission;
pub mod secret;
pub mod sessions;
mod throttle;
pub mod tokens;
pub mod web;

use serde::Serialize;

use crate::i18n::Locale;

pub use permission::{Action, authorize};

crate::text_column!(Role);

/// The six roles of SPEC section 2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Leader,
    Coordinator,
    Officer,
    Enterprise,
    Viewer,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Admin,
        Role::Leader,
        Role::Coordinator,
        Role::Officer,
        Role::Enterprise,
        Role::Viewer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Leader => "leader",
            Role::Coordinator => "coordinator",
            Role::Officer => "officer",
            Role::Enterprise => "enterprise",
            Role::Viewer => "viewer",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s.trim())
    }

    /// The message id of the role's name.
    pub fn message_id(self) -> String {
        format!("role-{}", self.as_str())
    }
}

/// Whoever is acting: a signed-in user, a token holder, or the operator at
/// the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub department_id: Option<i64>,
    pub enterprise_id: Option<i64>,
    pub locale: Option<Locale>,
    /// Whether this actor may see contacts' personal data (names, phones,
    /// emails). Decided from the role and the `privacy` settings when the
    /// actor is built, so the permission check itself stays pure.
    pub sees_personal_data: bool,
}

/// Whether `role` is granted personal data under the settings.
pub fn sees_personal_data(role: Role, privacy: &crate::config::PrivacyConfig) -> bool {
    match role {
        Role::Admin | Role::Leader | Role::Coordinator | Role::Enterprise => true,
        Role::Officer => privacy.officers_see_contacts,
        Role::Viewer => privacy.viewers_see_contacts,
    }
}

impl Actor {
    /// The language the actor chose, or the default.
    pub fn locale(&self) -> Locale {
        self.locale.unwrap_or(Locale::DEFAULT)
    }

    /// The operator running a CLI command on the server: an administrator
    /// who is not a user row (events name it "system").
    pub fn system() -> Actor {
        Actor {
            user_id: None,
            username: "system".into(),
            display_name: "system".into(),
            role: Role::Admin,
            department_id: None,
            enterprise_id: None,
            locale: None,
            sees_personal_data: true,
        }
    }

    pub fn is(&self, role: Role) -> bool {
        self.role == role
    }
}

/// The columns that make an [`Actor`], read with the user row aliased `u`.
pub(crate) const ACTOR_COLUMNS: &str = "u.id AS user_id, u.username, u.display_name, u.role, u.department_id, u.enterprise_id, u.locale";

#[derive(sqlx::FromRow)]
pub(crate) struct ActorRow {
    user_id: i64,
    username: String,
    display_name: String,
    role: String,
    department_id: Option<i64>,
    enterprise_id: Option<i64>,
    locale: Option<String>,
}

impl ActorRow {
    pub(crate) fn into_actor(
        self,
        privacy: &crate::config::PrivacyConfig,
    ) -> anyhow::Result<Actor> {
        let role = Role::parse(&self.role).ok_or_else(|| {
            anyhow::anyhow!("user {} has unknown role {:?}", self.user_id, self.role)
        })?;
        Ok(Actor {
            user_id: Some(self.user_id),
            username: self.username,
            display_name: self.display_name,
            role,
            department_id: self.department_id,
            enterprise_id: self.enterprise_id,
            locale: self.locale.as_deref().and_then(Locale::parse),
            sees_personal_data: sees_personal_data(role, privacy),
        })
    }
}
