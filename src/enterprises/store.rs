//! SQL for enterprises and tags.

use crate::auth::permission::EnterpriseScope;
use crate::db::{Conn, Params, Timestamp, escape_like};
use crate::enterprises::model::{
    Enterprise, EnterpriseNames, EnterpriseStatus, Place, ValidEnterprise,
};
use crate::enterprises::tags::Tag;

const COLUMNS: &str = "id, uscc, name_zh, name_ja, name_ko, name_en, country, parent_company, industry_code, \
     industry_section, district, address, founded_on, registered_capital, capital_currency, employees, \
     main_products, status, created_at, updated_at";

/// The scope as SQL parameters: (restrict, id). `Nothing` matches no row.
fn scope_params(scope: EnterpriseScope) -> (i64, i64) {
    match scope {
        EnterpriseScope::All => (0, 0),
        EnterpriseScope::Only(id) => (1, id),
        EnterpriseScope::Nothing => (1, -1),
    }
}

pub async fn get(conn: &mut Conn, id: i64) -> sqlx::Result<Option<Enterprise>> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM enterprises WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// Where the enterprise is, if it exists.
pub async fn place(conn: &mut Conn, id: i64) -> sqlx::Result<Option<Place>> {
    sqlx::query_as("SELECT country, district FROM enterprises WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// Reads an enterprise and locks its row until the transaction ends (a
/// no-op UPDATE locks on both backends).
pub async fn get_for_update(conn: &mut Conn, id: i64) -> sqlx::Result<Option<Enterprise>> {
    sqlx::query_as(&format!(
        "UPDATE enterprises SET updated_at = updated_at WHERE id = $1 RETURNING {COLUMNS}"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// The enterprises having any of these credit codes (for imports: one
/// query per 500 codes instead of one per row).
pub async fn find_by_usccs(conn: &mut Conn, codes: &[String]) -> sqlx::Result<Vec<Enterprise>> {
    select_in(conn, COLUMNS, "uscc", codes).await
}

/// The enterprises with these ids, in no particular order.
/// The names of the enterprises `ids`.
pub async fn names(conn: &mut Conn, ids: &[i64]) -> sqlx::Result<Vec<EnterpriseNames>> {
    select_in(conn, "id, name_zh, name_ja, name_ko, name_en", "id", ids).await
}

/// `columns` of the enterprises whose `column` is one of `values`.
async fn select_in<T, V>(
    conn: &mut Conn,
    columns: &str,
    column: &str,
    values: &[V],
) -> sqlx::Result<Vec<T>>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
    V: for<'q> sqlx::Encode<'q, sqlx::Any> + sqlx::Type<sqlx::Any> + Clone + Send + 'static,
{
    let sql = format!("SELECT {columns} FROM enterprises WHERE {column} IN ({{in}})");
    crate::db::select_in(conn, &sql, values).await
}

/// How a list is ordered. Every order ends with the id, so keyset paging
/// ("the rows after this one") is exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    #[default]
    Name,
    Newest,
    Employees,
}

impl Sort {
    pub const ALL: [Sort; 3] = [Sort::Name, Sort::Newest, Sort::Employees];

    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Name => "name",
            Sort::Newest => "newest",
            Sort::Employees => "employees",
        }
    }

    pub fn parse(s: &str) -> Option<Sort> {
        Sort::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// (ORDER BY, the keyset condition relative to the row whose id is `{after}`).
    fn sql(self) -> (&'static str, &'static str) {
        match self {
            Sort::Name => (
                "e.sort_name, e.id",
                "(e.sort_name, e.id) > (SELECT a.sort_name, a.id FROM enterprises a WHERE a.id = {after})",
            ),
            Sort::Newest => ("e.id DESC", "e.id < {after}"),
            Sort::Employees => (
                "COALESCE(e.employees, -1) DESC, e.id",
                "(COALESCE(e.employees, -1) < (SELECT COALESCE(a.employees, -1) FROM enterprises a WHERE a.id = {after}) \
                 OR (COALESCE(e.employees, -1) = (SELECT COALESCE(a.employees, -1) FROM enterprises a WHERE a.id = {after}) \
                 AND e.id > {after}))",
            ),
        }
    }
}

/// A filtered, ordered page of the registry.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    pub country: Option<String>,
    /// A section letter (A–T) or a division code (01–97).
    pub industry: Option<String>,
    pub district: Option<String>,
    pub tag_id: Option<i64>,
    pub status: Option<EnterpriseStatus>,
    /// Text in any name, the credit code or the products.
    pub text: Option<String>,
    pub sort: Sort,
    /// The id of the last row of the previous page.
    pub after: Option<i64>,
    pub limit: i64,
}

/// Only the filters given become conditions, so that the database can use
/// the index of each (an `($1 IS NULL OR col = $1)` condition defeats
/// indexes). The SQL is still the same on both backends.
pub async fn list(
    conn: &mut Conn,
    scope: EnterpriseScope,
    q: &ListQuery,
) -> sqlx::Result<Vec<Enterprise>> {
    let mut conditions: Vec<String> = Vec::new();
    let mut args = Params::default();
    match scope {
        EnterpriseScope::All => {}
        EnterpriseScope::Only(id) => conditions.push(format!("e.id = {}", args.int(id))),
        EnterpriseScope::Nothing => conditions.push("1 = 0".into()),
    }
    if let Some(country) = &q.country {
        conditions.push(format!("e.country = {}", args.text(country.clone())));
    }
    match &q.industry {
        Some(code) if code.len() == 1 => {
            conditions.push(format!("e.industry_section = {}", args.text(code.clone())))
        }
        Some(code) => conditions.push(format!("e.industry_code = {}", args.text(code.clone()))),
        None => {}
    }
    if let Some(district) = &q.district {
        conditions.push(format!("e.district = {}", args.text(district.clone())));
    }
    if let Some(status) = q.status {
        conditions.push(format!("e.status = {}", args.text(status.as_str())));
    }
    if let Some(tag) = q.tag_id {
        let p = args.int(tag);
        conditions.push(format!("EXISTS (SELECT 1 FROM enterprise_tags t WHERE t.enterprise_id = e.id AND t.tag_id = {p})"));
    }
    let (order, after) = q.sort.sql();
    if let Some(id) = q.after {
        let p = args.int(id);
        conditions.push(after.replace("{after}", &p));
    }
    if let Some(text) = &q.text {
        let p = args.text(format!("%{}%", escape_like(&text.to_lowercase())));
        let columns = [
            "e.sort_name",
            "e.name_zh",
            "e.name_ja",
            "e.name_ko",
            "e.name_en",
            "e.uscc",
            "e.main_products",
        ];
        let any: Vec<String> = columns
            .iter()
            .map(|c| format!("LOWER(COALESCE({c}, '')) LIKE {p} ESCAPE '\\'"))
            .collect();
        conditions.push(format!("({})", any.join(" OR ")));
    }
    let limit = args.int(q.limit);
    let filter = if conditions.is_empty() {
        "1 = 1".to_string()
    } else {
        conditions.join(" AND ")
    };
    let columns = COLUMNS
        .split(", ")
        .map(|c| format!("e.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "SELECT {columns} FROM enterprises e WHERE {filter} ORDER BY {order} LIMIT {limit}"
    );
    args.bind(sqlx::query_as::<_, Enterprise>(&sql))
        .fetch_all(conn)
        .await
}

pub async fn count(conn: &mut Conn, scope: EnterpriseScope) -> sqlx::Result<i64> {
    let (restrict, only) = scope_params(scope);
    sqlx::query_scalar("SELECT COUNT(*) FROM enterprises WHERE ($1 = 0 OR id = $2)")
        .bind(restrict)
        .bind(only)
        .fetch_one(conn)
        .await
}

pub async fn insert(
    conn: &mut Conn,
    e: &ValidEnterprise,
    now: Timestamp,
) -> sqlx::Result<Enterprise> {
    sqlx::query_as(&format!(
        "INSERT INTO enterprises (uscc, name_zh, name_ja, name_ko, name_en, country, parent_company, industry_code, \
         industry_section, district, address, founded_on, registered_capital, capital_currency, employees, \
         main_products, status, sort_name, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $19) \
         RETURNING {COLUMNS}"
    ))
    .bind(e.uscc.as_str())
    .bind(&e.name_zh)
    .bind(&e.name_ja)
    .bind(&e.name_ko)
    .bind(&e.name_en)
    .bind(&e.country)
    .bind(&e.parent_company)
    .bind(&e.industry_code)
    .bind(&e.industry_section)
    .bind(&e.district)
    .bind(&e.address)
    .bind(&e.founded_on)
    .bind(&e.registered_capital)
    .bind(&e.capital_currency)
    .bind(e.employees)
    .bind(&e.main_products)
    .bind(e.status)
    .bind(e.sort_name())
    .bind(now)
    .fetch_one(conn)
    .await
}

pub async fn update(
    conn: &mut Conn,
    id: i64,
    e: &ValidEnterprise,
    now: Timestamp,
) -> sqlx::Result<Enterprise> {
    sqlx::query_as(&format!(
        "UPDATE enterprises SET uscc = $1, name_zh = $2, name_ja = $3, name_ko = $4, name_en = $5, country = $6, \
         parent_company = $7, industry_code = $8, industry_section = $9, district = $10, address = $11, \
         founded_on = $12, registered_capital = $13, capital_currency = $14, employees = $15, main_products = $16, \
         status = $17, sort_name = $18, updated_at = $19 WHERE id = $20 RETURNING {COLUMNS}"
    ))
    .bind(e.uscc.as_str())
    .bind(&e.name_zh)
    .bind(&e.name_ja)
    .bind(&e.name_ko)
    .bind(&e.name_en)
    .bind(&e.country)
    .bind(&e.parent_company)
    .bind(&e.industry_code)
    .bind(&e.industry_section)
    .bind(&e.district)
    .bind(&e.address)
    .bind(&e.founded_on)
    .bind(&e.registered_capital)
    .bind(&e.capital_currency)
    .bind(e.employees)
    .bind(&e.main_products)
    .bind(e.status)
    .bind(e.sort_name())
    .bind(now)
    .bind(id)
    .fetch_one(conn)
    .await
}

// ---- tags ----

const TAG_COLUMNS: &str =
    "id, name_zh, name_ja, name_ko, name_en, created_at, updated_at, retired_at";

pub async fn tags(conn: &mut Conn, include_retired: bool) -> sqlx::Result<Vec<Tag>> {
    sqlx::query_as(&format!(
        "SELECT {TAG_COLUMNS} FROM tags WHERE ($1 = 1 OR retired_at IS NULL) ORDER BY name_zh, id"
    ))
    .bind(i64::from(include_retired))
    .fetch_all(conn)
    .await
}

pub async fn tag(conn: &mut Conn, id: i64) -> sqlx::Result<Option<Tag>> {
    sqlx::query_as(&format!("SELECT {TAG_COLUMNS} FROM tags WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await
}

pub async fn insert_tag(
    conn: &mut Conn,
    names: &[Option<String>; 4],
    now: Timestamp,
) -> sqlx::Result<Tag> {
    sqlx::query_as(&format!(
        "INSERT INTO tags (name_zh, name_ja, name_ko, name_en, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $5) RETURNING {TAG_COLUMNS}"
    ))
    .bind(names[0].clone().unwrap_or_default())
    .bind(&names[1])
    .bind(&names[2])
    .bind(&names[3])
    .bind(now)
    .fetch_one(conn)
    .await
}

pub async fn update_tag(
    conn: &mut Conn,
    id: i64,
    names: &[Option<String>; 4],
    retired_at: Option<Timestamp>,
    now: Timestamp,
) -> sqlx::Result<Tag> {
    sqlx::query_as(&format!(
        "UPDATE tags SET name_zh = $1, name_ja = $2, name_ko = $3, name_en = $4, retired_at = $5, updated_at = $6 \
         WHERE id = $7 RETURNING {TAG_COLUMNS}"
    ))
    .bind(names[0].clone().unwrap_or_default())
    .bind(&names[1])
    .bind(&names[2])
    .bind(&names[3])
    .bind(retired_at)
    .bind(now)
    .bind(id)
    .fetch_one(conn)
    .await
}

/// The tag ids of each of the given enterprises.
pub async fn tag_ids_of(conn: &mut Conn, enterprise_ids: &[i64]) -> sqlx::Result<Vec<(i64, i64)>> {
    if enterprise_ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = enterprise_ids
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    // The ids are integers from our own rows, so listing them inline is safe.
    sqlx::query_as(&format!(
        "SELECT enterprise_id, tag_id FROM enterprise_tags WHERE enterprise_id IN ({list}) ORDER BY enterprise_id, tag_id"
    ))
    .fetch_all(conn)
    .await
}

/// Adds a tag; returns whether it was new.
pub async fn add_tag(conn: &mut Conn, enterprise_id: i64, tag_id: i64) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "INSERT INTO enterprise_tags (enterprise_id, tag_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
    )
    .bind(enterprise_id)
    .bind(tag_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Removes a tag; returns whether it was there.
pub async fn remove_tag(conn: &mut Conn, enterprise_id: i64, tag_id: i64) -> sqlx::Result<bool> {
    let done = sqlx::query("DELETE FROM enterprise_tags WHERE enterprise_id = $1 AND tag_id = $2")
        .bind(enterprise_id)
        .bind(tag_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}
