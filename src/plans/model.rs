//! Plans, goals, KPIs and tasks as stored, and the drafts people send.

use serde::{Deserialize, Serialize};

use crate::db::Timestamp;

crate::text_enum!("plan-horizon",
    pub enum Horizon {
        /// Up to a year.
        Short => "short",
        /// One to three years.
        Medium => "medium",
        /// Three to five years and more.
        Long => "long",
    }
);

crate::text_enum!("plan-status",
    pub enum PlanStatus {
        Draft => "draft",
        /// A leader approved it (an event says who and when).
        Approved => "approved",
        InForce => "in_force",
        Closed => "closed",
    }
);

crate::text_enum!("kpi-direction",
    pub enum Direction {
        Higher => "higher",
        Lower => "lower",
    }
);

crate::text_enum!("task-status",
    pub enum TaskStatus {
        NotStarted => "not_started",
        OnTrack => "on_track",
        AtRisk => "at_risk",
        Late => "late",
        Done => "done",
    }
);

crate::text_enum!("task-report-kind",
    pub enum ReportKind {
        /// The lead unit's report: a percent and what was done.
        Progress => "progress",
        /// A co-unit's contribution.
        Input => "input",
    }
);

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Plan {
    pub id: i64,
    pub title: String,
    pub summary: Option<String>,
    #[schema(value_type = String)]
    pub horizon: Horizon,
    /// YYYY-MM-DD.
    pub starts_on: String,
    pub ends_on: String,
    /// One key area per line.
    pub key_areas: String,
    /// GB/T 4754 industry codes, comma-separated.
    pub key_industries: String,
    #[schema(value_type = String)]
    pub status: PlanStatus,
    pub approved_by: Option<i64>,
    #[schema(value_type = Option<String>)]
    pub approved_at: Option<Timestamp>,
    pub created_by: Option<i64>,
    #[schema(value_type = String)]
    pub created_at: Timestamp,
    #[schema(value_type = String)]
    pub updated_at: Timestamp,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct PlanDraft {
    pub title: String,
    #[serde(default)]
    pub summary: Option<String>,
    /// short, medium or long.
    #[serde(default)]
    pub horizon: String,
    #[serde(default)]
    pub starts_on: String,
    #[serde(default)]
    pub ends_on: String,
    #[serde(default)]
    pub key_areas: Vec<String>,
    #[serde(default)]
    pub key_industries: Vec<String>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Goal {
    pub id: i64,
    pub plan_id: i64,
    pub title: String,
    pub description: Option<String>,
    pub position: i64,
    /// 0-100: the weighted average of its top-level tasks.
    pub progress: f64,
    #[schema(value_type = String)]
    pub created_at: Timestamp,
    #[schema(value_type = String)]
    pub updated_at: Timestamp,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct GoalDraft {
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Kpi {
    pub id: i64,
    pub goal_id: i64,
    pub name: String,
    pub unit: String,
    #[schema(value_type = String)]
    pub direction: Direction,
    /// `manual`, or the Liaison figure that feeds it (see [`super::kpi::Source`]).
    pub source: String,
    /// Fed by enterprises visited: only enterprises with this tag count.
    pub tag_id: Option<i64>,
    pub baseline: String,
    pub baseline_on: String,
    pub target: String,
    pub target_on: String,
    #[schema(value_type = String)]
    pub created_at: Timestamp,
    #[schema(value_type = String)]
    pub updated_at: Timestamp,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct KpiDraft {
    pub name: String,
    #[serde(default)]
    pub unit: String,
    /// higher or lower (is better).
    #[serde(default)]
    pub direction: String,
    /// manual (the default) or a Liaison figure.
    #[serde(default)]
    pub source: String,
    /// With source `enterprises_visited`: count only enterprises with this
    /// tag (the key enterprises, say).
    #[serde(default)]
    pub tag_id: Option<i64>,
    #[serde(default)]
    pub baseline: String,
    #[serde(default)]
    pub baseline_on: String,
    #[serde(default)]
    pub target: String,
    #[serde(default)]
    pub target_on: String,
}

/// A KPI value as entered.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct KpiValue {
    pub id: i64,
    pub kpi_id: i64,
    pub value: String,
    pub observed_on: String,
    pub source: Option<String>,
    pub entered_by: Option<i64>,
    #[schema(value_type = String)]
    pub entered_at: Timestamp,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct KpiValueDraft {
    pub value: String,
    /// YYYY-MM-DD; today when empty.
    #[serde(default)]
    pub observed_on: String,
    /// Where the figure comes from (a statistics bulletin, a survey, ...).
    #[serde(default)]
    pub source: Option<String>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Task {
    pub id: i64,
    pub plan_id: i64,
    pub goal_id: i64,
    pub parent_id: Option<i64>,
    pub title: String,
    pub objective: Option<String>,
    pub measures: Option<String>,
    pub lead_department_id: i64,
    pub starts_on: String,
    pub due_on: String,
    pub weight: f64,
    /// 0-100 (see [`super::rollup`]).
    pub progress: f64,
    #[schema(value_type = String)]
    pub status: TaskStatus,
    pub done_on: Option<String>,
    pub position: i64,
    pub created_by: Option<i64>,
    #[schema(value_type = String)]
    pub created_at: Timestamp,
    #[schema(value_type = String)]
    pub updated_at: Timestamp,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct MilestoneDraft {
    pub title: String,
    pub due_on: String,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct TaskDraft {
    pub goal_id: Option<i64>,
    /// A sub-task names its parent (in the same goal).
    #[serde(default)]
    pub parent_id: Option<i64>,
    pub title: String,
    #[serde(default)]
    pub objective: Option<String>,
    #[serde(default)]
    pub measures: Option<String>,
    pub lead_department_id: Option<i64>,
    #[serde(default)]
    pub co_department_ids: Vec<i64>,
    #[serde(default)]
    pub starts_on: String,
    #[serde(default)]
    pub due_on: String,
    /// How much it counts in its parent's progress (default 1).
    #[serde(default)]
    pub weight: Option<f64>,
    #[serde(default)]
    pub milestones: Vec<MilestoneDraft>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Milestone {
    pub id: i64,
    pub task_id: i64,
    pub title: String,
    pub due_on: String,
    pub done_on: Option<String>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Report {
    pub id: i64,
    pub task_id: i64,
    #[schema(value_type = String)]
    pub kind: ReportKind,
    pub percent: Option<i64>,
    pub body: String,
    pub department_id: Option<i64>,
    pub author_id: Option<i64>,
    /// The author's name as the page shows it.
    #[sqlx(default)]
    pub author_name: Option<String>,
    #[schema(value_type = String)]
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct ReportDraft {
    /// progress (the lead unit) or input (a co-unit).
    #[serde(default)]
    pub kind: String,
    /// 0-100, for a progress report on a task without sub-tasks.
    #[serde(default)]
    pub percent: Option<i64>,
    pub body: String,
}
