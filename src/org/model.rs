//! Departments and the shape of the hierarchy.

use serde::Serialize;

use crate::db::Timestamp;
use crate::error::{Code, FieldError, Problems, Result};
use crate::i18n::Locale;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DepartmentKind {
    City,
    Bureau,
    Division,
    District,
    Committee,
}

crate::text_column!(DepartmentKind);

impl DepartmentKind {
    pub const ALL: [DepartmentKind; 5] = [
        DepartmentKind::City,
        DepartmentKind::Bureau,
        DepartmentKind::Division,
        DepartmentKind::District,
        DepartmentKind::Committee,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DepartmentKind::City => "city",
            DepartmentKind::Bureau => "bureau",
            DepartmentKind::Division => "division",
            DepartmentKind::District => "district",
            DepartmentKind::Committee => "committee",
        }
    }

    pub fn parse(s: &str) -> Option<DepartmentKind> {
        DepartmentKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s.trim())
    }

    pub fn message_id(self) -> String {
        format!("department-kind-{}", self.as_str())
    }

    /// Where a unit of this kind may hang: `None` means at the top.
    /// The order is strict (no kind under itself or below), so no cycle can form.
    pub fn may_hang_under(self, parent: Option<DepartmentKind>) -> bool {
        use DepartmentKind::*;
        matches!(
            (self, parent),
            (City, None)
                | (Bureau, Some(City))
                | (Division, Some(Bureau))
                | (District, None | Some(City))
                | (Committee, Some(District))
        )
    }
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Department {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub kind: DepartmentKind,
    pub name_zh: String,
    pub name_ja: Option<String>,
    pub name_ko: Option<String>,
    pub name_en: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub retired_at: Option<Timestamp>,
}

impl Department {
    /// The name in `locale`, falling back to the Chinese name.
    pub fn name(&self, locale: Locale) -> &str {
        crate::i18n::localized_name(
            locale,
            &self.name_zh,
            self.name_ja.as_deref(),
            self.name_ko.as_deref(),
            self.name_en.as_deref(),
        )
    }

    pub fn is_active(&self) -> bool {
        self.retired_at.is_none()
    }
}

/// A department's fields as given (form or JSON).
#[derive(Debug, Clone, Default)]
pub struct DepartmentDraft {
    pub parent_id: Option<i64>,
    pub kind: String,
    pub name_zh: String,
    pub name_ja: Option<String>,
    pub name_ko: Option<String>,
    pub name_en: Option<String>,
}

/// A draft whose own fields are valid; the parent is checked by the service.
#[derive(Debug, Clone)]
pub struct ValidDepartment {
    pub parent_id: Option<i64>,
    pub kind: DepartmentKind,
    pub name_zh: String,
    pub name_ja: Option<String>,
    pub name_ko: Option<String>,
    pub name_en: Option<String>,
}

pub const MAX_NAME: usize = 120;

impl DepartmentDraft {
    pub fn from_department(d: &Department) -> DepartmentDraft {
        DepartmentDraft {
            parent_id: d.parent_id,
            kind: d.kind.as_str().into(),
            name_zh: d.name_zh.clone(),
            name_ja: d.name_ja.clone(),
            name_ko: d.name_ko.clone(),
            name_en: d.name_en.clone(),
        }
    }

    pub fn parse(&self) -> Result<ValidDepartment> {
        let mut problems = Problems::default();
        let mut name = |field: &'static str, value: Option<&str>, required: bool| {
            let value = value.map(str::trim).filter(|v| !v.is_empty());
            match value {
                None if required => problems.add(FieldError::new(field, Code::Required)),
                Some(v) if v.chars().count() > MAX_NAME => {
                    problems.add(FieldError::new(field, Code::TooLong).with("max", MAX_NAME))
                }
                _ => {}
            }
            value.map(str::to_string)
        };
        let name_zh = name("name_zh", Some(&self.name_zh), true);
        let name_ja = name("name_ja", self.name_ja.as_deref(), false);
        let name_ko = name("name_ko", self.name_ko.as_deref(), false);
        let name_en = name("name_en", self.name_en.as_deref(), false);
        let kind = DepartmentKind::parse(&self.kind);
        if kind.is_none() {
            problems.add(FieldError::new("kind", Code::InvalidChoice));
        }
        problems.finish()?;
        Ok(ValidDepartment {
            parent_id: self.parent_id,
            kind: kind.expect("checked"),
            name_zh: name_zh.expect("checked"),
            name_ja,
            name_ko,
            name_en,
        })
    }
}

/// Orders departments as a tree (parents before children, siblings by name)
/// and gives each its depth, for indented lists and selects.
pub fn as_tree(departments: &[Department]) -> Vec<(usize, &Department)> {
    fn visit<'a>(
        all: &'a [Department],
        parent: Option<i64>,
        depth: usize,
        out: &mut Vec<(usize, &'a Department)>,
    ) {
        let mut children: Vec<&Department> = all.iter().filter(|d| d.parent_id == parent).collect();
        children.sort_by(|a, b| a.name_zh.cmp(&b.name_zh));
        for child in children {
            out.push((depth, child));
            visit(all, Some(child.id), depth + 1, out);
        }
    }
    let mut out = Vec::with_capacity(departments.len());
    visit(departments, None, 0, &mut out);
    // A department whose parent is not in the list (filtered out) still shows.
    for d in departments {
        if !out.iter().any(|(_, o)| o.id == d.id) {
            out.push((0, d));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use DepartmentKind::*;

    #[test]
    fn hierarchy_rules() {
        assert!(City.may_hang_under(None));
        assert!(Bureau.may_hang_under(Some(City)));
        assert!(Division.may_hang_under(Some(Bureau)));
        assert!(Committee.may_hang_under(Some(District)));
        assert!(District.may_hang_under(Some(City)));
        assert!(!Division.may_hang_under(Some(City)));
        assert!(!Bureau.may_hang_under(Some(Bureau)));
        assert!(!City.may_hang_under(Some(City)));
        assert!(!Committee.may_hang_under(None));
    }

    #[test]
    fn drafts_report_every_problem() {
        let draft = DepartmentDraft {
            kind: "ministry".into(),
            name_zh: " ".into(),
            ..Default::default()
        };
        let errors = draft.parse().unwrap_err().field_errors();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_deref()).collect();
        assert_eq!(fields, [Some("name_zh"), Some("kind")]);
    }
}
