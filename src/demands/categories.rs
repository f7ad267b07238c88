//! Demand categories: a tree of names in four languages, each with the
//! department that leads its demands by default (the responsibility matrix)
//! and the SLA policy its deadlines follow. Administrators keep them.

use std::sync::Arc;

use serde::Serialize;

use crate::app::App;
use crate::auth::{Action, Actor, authorize};
use crate::db::events::{self, Entity};
use crate::db::{Conn, Timestamp};
use crate::demands::store;
use crate::error::{Code, Error, FieldError, Problems, Result};
use crate::fields;
use crate::i18n::Locale;

crate::text_enum!("sla-kind",
    /// Which deadlines a category's demands get.
    pub enum SlaKind {
        Enquiry => "enquiry",
        Complaint => "complaint",
        Coordination => "coordination",
    }
);

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Category {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub name_zh: String,
    pub name_ja: Option<String>,
    pub name_ko: Option<String>,
    pub name_en: Option<String>,
    pub lead_department_id: Option<i64>,
    pub sla_kind: SlaKind,
    #[schema(value_type = Option<String>)]
    pub retired_at: Option<Timestamp>,
    #[schema(value_type = String)]
    pub created_at: Timestamp,
    #[schema(value_type = String)]
    pub updated_at: Timestamp,
}

impl Category {
    pub fn name(&self, locale: Locale) -> &str {
        crate::i18n::localized_name(
            locale,
            &self.name_zh,
            self.name_ja.as_deref(),
            self.name_ko.as_deref(),
            self.name_en.as_deref(),
        )
    }
}

#[derive(Debug, Clone, Default)]
pub struct CategoryDraft {
    pub parent_id: Option<i64>,
    pub name_zh: String,
    pub name_ja: Option<String>,
    pub name_ko: Option<String>,
    pub name_en: Option<String>,
    pub lead_department_id: Option<i64>,
    pub sla_kind: String,
}

pub(crate) struct ValidCategory {
    pub(crate) parent_id: Option<i64>,
    pub(crate) name_zh: String,
    pub(crate) name_ja: Option<String>,
    pub(crate) name_ko: Option<String>,
    pub(crate) name_en: Option<String>,
    pub(crate) lead_department_id: Option<i64>,
    pub(crate) sla_kind: SlaKind,
}

impl CategoryDraft {
    fn parse(&self) -> Result<ValidCategory> {
        let mut p = Problems::default();
        let name_zh = fields::text(&mut p, "name_zh", Some(&self.name_zh), 100);
        if name_zh.is_none() {
            p.add(FieldError::new("name_zh", Code::Required));
        }
        let name_ja = fields::text(&mut p, "name_ja", self.name_ja.as_deref(), 100);
        let name_ko = fields::text(&mut p, "name_ko", self.name_ko.as_deref(), 100);
        let name_en = fields::text(&mut p, "name_en", self.name_en.as_deref(), 100);
        let sla_kind = SlaKind::parse(&self.sla_kind);
        if sla_kind.is_none() {
            p.add(FieldError::new("sla_kind", Code::InvalidChoice));
        }
        p.finish()?;
        Ok(ValidCategory {
            parent_id: self.parent_id,
            name_zh: name_zh.expect("checked"),
            name_ja,
            name_ko,
            name_en,
            lead_department_id: self.lead_department_id,
            sla_kind: sla_kind.expect("checked"),
        })
    }
}

pub(crate) use crate::demands::store::{category as get_row, policy_rows};

/// Every category, parents before children, then by name (shared with
/// every reader: kept in memory).
pub async fn list(app: &App, actor: &Actor) -> Result<Arc<Vec<Category>>> {
    authorize(actor, Action::UseOwnAccount)?;
    app.cache
        .categories
        .get(|| async {
            let mut conn = app.db.pool().acquire().await?;
            Ok::<_, Error>(tree_order(store::categories(&mut conn).await?))
        })
        .await
}

/// Parents first, each followed by its children.
fn tree_order(rows: Vec<Category>) -> Vec<Category> {
    fn add(out: &mut Vec<Category>, rows: &[Category], parent: Option<i64>) {
        for c in rows.iter().filter(|c| c.parent_id == parent) {
            out.push(c.clone());
            add(out, rows, Some(c.id));
        }
    }
    let mut out = Vec::with_capacity(rows.len());
    add(&mut out, &rows, None);
    out
}

/// Checks that the parent and the lead department exist and are current.
async fn check_links(conn: &mut Conn, v: &ValidCategory, own_id: Option<i64>) -> Result<()> {
    let mut p = Problems::default();
    if let Some(parent) = v.parent_id {
        match get_row(conn, parent).await? {
            Some(c) if c.retired_at.is_none() && Some(c.id) != own_id && c.parent_id.is_none() => {}
            _ => p.add(FieldError::new("parent_id", Code::CategoryParentInvalid)),
        }
    }
    if let Some(department) = v.lead_department_id {
        p.check(
            crate::org::service::check_assignable(conn, "lead_department_id", department).await,
        );
    }
    p.finish()
}

pub async fn create(app: &App, actor: &Actor, draft: &CategoryDraft) -> Result<Category> {
    authorize(actor, Action::ManageDemandSettings)?;
    let v = draft.parse()?;
    let mut tx = app.db.begin().await?;
    check_links(&mut tx, &v, None).await?;
    let now = app.now();
    let created = store::insert_category(&mut tx, &v, now).await?;
    let entity = Entity::new("demand_category", created.id);
    events::record(
        &mut tx,
        actor,
        now,
        entity,
        "create",
        None::<&()>,
        Some(&created),
    )
    .await?;
    tx.commit().await?;
    app.cache.categories.forget();
    Ok(created)
}

pub async fn update(
    app: &App,
    actor: &Actor,
    id: i64,
    edit: impl FnOnce(&mut CategoryDraft),
) -> Result<Category> {
    authorize(actor, Action::ManageDemandSettings)?;
    let mut tx = app.db.begin().await?;
    let before = store::category_for_update(&mut tx, id)
        .await?
        .ok_or(Error::NotFound)?;
    let mut draft = CategoryDraft {
        parent_id: before.parent_id,
        name_zh: before.name_zh.clone(),
        name_ja: before.name_ja.clone(),
        name_ko: before.name_ko.clone(),
        name_en: before.name_en.clone(),
        lead_department_id: before.lead_department_id,
        sla_kind: before.sla_kind.as_str().into(),
    };
    edit(&mut draft);
    let v = draft.parse()?;
    check_links(&mut tx, &v, Some(id)).await?;
    let now = app.now();
    let after = store::update_category(&mut tx, id, &v, now).await?;
    let entity = Entity::new("demand_category", id);
    events::record(
        &mut tx,
        actor,
        now,
        entity,
        "update",
        Some(&before),
        Some(&after),
    )
    .await?;
    tx.commit().await?;
    app.cache.categories.forget();
    Ok(after)
}

/// Deadlines in working days for one kind of category.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct SlaPolicy {
    pub kind: SlaKind,
    /// The lead department signs for it within this many working days.
    pub sign_for_days: i64,
    pub reply_days: i64,
    /// For urgent demands; 0 is the same working day.
    pub urgent_reply_days: i64,
    /// The enterprise may rate the reply for this many working days.
    pub feedback_days: i64,
    #[schema(value_type = String)]
    pub updated_at: Timestamp,
}

pub async fn policies(app: &App, actor: &Actor) -> Result<Vec<SlaPolicy>> {
    authorize(actor, Action::UseOwnAccount)?;
    let mut conn = app.db.pool().acquire().await?;
    Ok(policy_rows(&mut conn).await?)
}

/// Changes one policy; demands already assigned keep their deadlines.
pub async fn set_policy(
    app: &App,
    actor: &Actor,
    kind: SlaKind,
    days: [i64; 4],
) -> Result<SlaPolicy> {
    authorize(actor, Action::ManageDemandSettings)?;
    let names = [
        "sign_for_days",
        "reply_days",
        "urgent_reply_days",
        "feedback_days",
    ];
    let mut p = Problems::default();
    for (value, name) in days.iter().zip(names) {
        if !(0..=60).contains(value) {
            p.add(
                FieldError::new(name, Code::NumberOutOfRange)
                    .with("min", 0)
                    .with("max", 60),
            );
        }
    }
    p.finish()?;
    let mut tx = app.db.begin().await?;
    let before = policy_rows(&mut tx)
        .await?
        .into_iter()
        .find(|s| s.kind == kind);
    let now = app.now();
    let after = store::set_policy(&mut tx, kind, days, now).await?;
    let entity = Entity::new("sla_policy", 0);
    events::record(
        &mut tx,
        actor,
        now,
        entity,
        "update",
        before.as_ref(),
        Some(&after),
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}
